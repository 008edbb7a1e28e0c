"""The lists of a check still waiting for its run are sealed (core.crypto) like new uploads: the
run now reads only sealed files. Files live only until the run ends, so there are few."""

import io

from django.db import migrations

import core.crypto


def seal_pending(apps, schema_editor):
    RegistrationCheck = apps.get_model("elections", "RegistrationCheck")
    for check in RegistrationCheck.objects.exclude(voter_file="", population_file=""):
        for name in ("voter_file", "population_file"):
            field_file = getattr(check, name)
            if not field_file or not field_file.storage.exists(field_file.name):
                continue
            with field_file.storage.open(field_file.name, "rb") as handle:
                plain = handle.read()
            if core.crypto.is_sealed(plain):
                continue
            old = field_file.name
            field_file.name = field_file.storage.save(
                old.rsplit(".", 1)[0] + ".sealed", core.crypto.SealedContent(io.BytesIO(plain))
            )
            field_file.storage.delete(old)
        check.save(update_fields=["voter_file", "population_file"])


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0003_candidate"),
    ]

    operations = [
        migrations.RunPython(seal_pending, migrations.RunPython.noop),
    ]
