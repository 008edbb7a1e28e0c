"""PostgreSQL: drop the ``varchar_pattern_ops`` twins Django made beside the deputies' indexed
text columns (name, name_pinyin, name_initials, phone_hash, id_number_hash).

Such an index serves only a case-sensitive ``LIKE 'abc%'`` (``startswith``, ``contains`` with a
fixed start). No query of the portal asks that of these columns: names are searched with
``icontains`` (``UPPER(…) LIKE '%…%'``, which no B-tree serves), the hashes by equality (the
unique index and the plain index serve it), lists order by name or name_pinyin (the plain
indexes, kept). Each twin costs every inserted deputy an index entry: measured, a first import's
COPY of 20,000 deputies took 1.17 s without them against 1.42 s with them (bench/README.md,
"COPY, fewer indexes, every roster chunked").

The fields keep ``db_index``/``unique`` in the model state (nothing else changes); should one of
these fields be altered later, Django would make its twin again, and this reasoning applies to
it again. SQLite has no such twins: nothing to do there."""

from django.db import migrations

TABLE = "deputies_deputy"
FIELDS = ("name", "name_pinyin", "name_initials", "phone_hash", "id_number_hash")


def drop_twins(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Deputy = apps.get_model("directory", "Deputy")
    for name in FIELDS:
        column = Deputy._meta.get_field(name).column
        index = schema_editor._create_index_name(TABLE, [column], suffix="_like")
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")


def make_twins(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Deputy = apps.get_model("directory", "Deputy")
    for name in FIELDS:
        field = Deputy._meta.get_field(name)
        sql = schema_editor._create_like_index_sql(Deputy, field)
        if sql is not None:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_handling_unit_township"),
    ]

    operations = [
        migrations.RunPython(drop_twins, make_twins, elidable=False),
    ]
