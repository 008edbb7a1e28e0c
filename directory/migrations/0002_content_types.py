"""The moved models' content types and access-log labels follow them to the directory app.

An existing database keeps its permissions (granted through groups or to users), its audit
log entries and its personal-data access log attached to the same models. On a new database
there is nothing to rename yet (content types are created after the migrations)."""

from django.db import migrations

MOVED = {
    "stations": ("region", "station"),
    "deputies": ("deputy", "mandate", "deputygroup"),
    "suggestions": ("handlingunit",),
}
LABELS = {
    "stations.Region": "directory.Region",
    "stations.Station": "directory.Station",
    "deputies.Deputy": "directory.Deputy",
    "deputies.Mandate": "directory.Mandate",
    "deputies.DeputyGroup": "directory.DeputyGroup",
    "suggestions.HandlingUnit": "directory.HandlingUnit",
}


def _move(apps, schema_editor, *, forwards: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    PersonalDataAccess = apps.get_model("core", "PersonalDataAccess")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    for old_app, models in MOVED.items():
        source, target = (old_app, "directory") if forwards else ("directory", old_app)
        for model in models:
            # If the target exists already (created by an earlier post_migrate), keep it.
            if not types.filter(app_label=target, model=model).exists():
                types.filter(app_label=source, model=model).update(app_label=target)
    for old, new in LABELS.items():
        source, target = (old, new) if forwards else (new, old)
        PersonalDataAccess.objects.using(db).filter(record_type=source).update(record_type=target)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, forwards=True)


def backwards(apps, schema_editor):
    _move(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_exportjob"),
        ("directory", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
