from django.db import migrations
from django.db.models.functions import Length


def remask(apps, schema_editor):
    """A phone of exactly 7 characters was stored in full as its masked form (three and four
    shown were all of it); mask it whole now. Only such rows are read."""
    Voter = apps.get_model("linkages", "Voter")
    Voter.objects.annotate(shown=Length("phone_masked")).filter(shown=7).exclude(
        phone_masked__contains="*"
    ).update(phone_masked="*******")


class Migration(migrations.Migration):
    dependencies = [
        ("linkages", "0002_key_projects"),
    ]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
