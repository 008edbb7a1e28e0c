"""Duty records of station activities named their kind twice when the theme began with it
("法律进社区:法律进社区:民法典宣讲"): say it once. Reversing leaves the titles as they are."""

from django.db import migrations

# StationActivity.Kind's labels, as the titles were written (a snapshot, like the models here).
ACTIVITY_LABELS = ("季度专题活动", "选民走访日", "法律进社区", "其他活动")
COLONS = (":", ":")


def once(title: str, label: str) -> str:
    rest = title[len(label) + 1 :]
    while rest.startswith(label) and rest[len(label) : len(label) + 1] in COLONS:
        rest = rest[len(label) + 1 :]
    return f"{label}:{rest.strip()}"


def forwards(apps, schema_editor):
    DutyRecord = apps.get_model("deputies", "DutyRecord")
    for label in ACTIVITY_LABELS:
        for first in COLONS:
            for second in COLONS:
                records = DutyRecord.objects.filter(
                    kind__in=("activity", "voter_visit"),
                    title__startswith=f"{label}{first}{label}{second}",
                ).only("pk", "title")
                changed = []
                for record in records.iterator(chunk_size=2000):
                    record.title = once(record.title, label)
                    changed.append(record)
                DutyRecord.objects.bulk_update(changed, ["title"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("deputies", "0019_roster_to_directory_delete")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
