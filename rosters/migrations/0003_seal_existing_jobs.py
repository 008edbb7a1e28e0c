"""Existing jobs sealed: ``head`` copied into the sealed column, the rows of ``result`` made
ImportRow rows (``result`` keeps the counts and file errors), a clear file sealed in place of
itself. Jobs live three days at most (the hourly purge), so there are few."""

import io

from django.db import migrations

import core.crypto

SUMMARY_KEYS = ("roster", "header_row", "file_errors", "committed", "ok", "counts")


def seal_existing(apps, schema_editor):
    ImportJob = apps.get_model("rosters", "ImportJob")
    ImportRow = apps.get_model("rosters", "ImportRow")
    storage = ImportJob._meta.get_field("file").storage
    for job in ImportJob.objects.all().iterator(chunk_size=100):
        job.head_sealed = job.head or []
        result = job.result or {}
        ImportRow.objects.bulk_create(
            (
                ImportRow(
                    job=job,
                    row=row["row"],
                    status=row["status"],
                    content={
                        "label": row.get("label", ""),
                        "changes": row.get("changes", []),
                        "errors": [
                            {"column": e.get("column", ""), "message": e.get("message", "")}
                            for e in row.get("errors", [])
                        ],
                    },
                )
                for row in result.get("rows", [])
            ),
            batch_size=2000,
        )
        job.result = {key: result[key] for key in SUMMARY_KEYS if key in result}
        if job.file and storage.exists(job.file.name):
            with storage.open(job.file.name, "rb") as handle:
                plain = handle.read()
            if not core.crypto.is_sealed(plain):
                old = job.file.name
                sealed = core.crypto.SealedContent(io.BytesIO(plain))
                job.file.name = storage.save(f"roster-imports/{job.pk}/roster.sealed", sealed)
                storage.delete(old)
        job.save(update_fields=["head_sealed", "result", "file"])


class Migration(migrations.Migration):
    dependencies = [
        ("rosters", "0002_sealed_head_and_import_rows"),
    ]

    operations = [
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
