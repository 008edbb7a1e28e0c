from django.db import migrations
from django.db.models.functions import Length


def remask(apps, schema_editor):
    """A phone of exactly 7 characters was stored in full as its masked form (three and four
    shown were all of it); mask it whole now. Only such rows are read."""
    Deputy = apps.get_model("deputies", "Deputy")
    Deputy.objects.annotate(shown=Length("phone_masked")).filter(shown=7).exclude(
        phone_masked__contains="*"
    ).update(phone_masked="*******")


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0014_photos_reencoded"),
    ]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
