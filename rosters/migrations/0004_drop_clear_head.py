from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("rosters", "0003_seal_existing_jobs"),
    ]

    operations = [
        migrations.RemoveField(model_name="importjob", name="head"),
        migrations.RenameField(model_name="importjob", old_name="head_sealed", new_name="head"),
    ]
