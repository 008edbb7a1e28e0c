"""New deputies and mandates are written with COPY on PostgreSQL (rosters.deputy_roster._copy):
the rows it writes are the rows the INSERT path writes — special characters, NULLs, dates and
booleans included — and a refused row is Django's IntegrityError, nothing kept."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from core.crypto import encrypt
from directory.models import Deputy, Mandate
from rosters import deputy_roster
from tests.rosters.test_streaming import person, run

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is the PostgreSQL path"
)

# Values COPY's text format must escape or tell apart: a tab, a newline, a carriage return,
# a backslash, the text "\N" (not NULL), quotes, a comma, characters beyond the BMP.
AWKWARD = ("甲\t乙", "一\n二", "回\r车", "反\\斜杠", "\\N", "'单'\"双\",逗号", "𠀀𪚥", "")


def test_a_copy_line_escapes_what_copy_reads_specially():
    line = deputy_roster._copy_line(
        (
            "a\tb",
            "c\nd\re",
            "f\\g",
            "\\N",
            None,
            True,
            False,
            7,
            datetime.date(1970, 1, 2),
            datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
            "",
        )
    )
    assert line == (
        "a\\tb\tc\\nd\\re\tf\\\\g\t\\\\N\t\\N\tt\tf\t7\t1970-01-02\t2026-01-02T03:04:05+00:00\t\n"
    )


NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.UTC)


def _deputy_rows(world, prefix: str) -> list[tuple]:
    """Database-ready rows of deputy_roster._DEPUTY_COLUMNS: awkward names and workplaces, one
    without a station (NULL), one without a phone (empty strings)."""
    now = connection.ops.adapt_datetimefield_value(NOW)
    rows = []
    for n, text in enumerate(AWKWARD):
        station = world.home_a1 if n % 2 else None
        rows.append(
            (
                f"代表{text}", "daibiao", "db", "M", "汉族",
                connection.ops.adapt_datefield_value(datetime.date(1970, 1, n + 1)),
                encrypt(f"号码{text}"), f"{prefix}{n}", "5108**********001X", "" if n == 3 else encrypt(f"139{text}"),
                "" if n == 3 else f"h{prefix}{n}", "139****0000", "cpc", text, "other", text,
                f"单位{text}", world.county_a.pk, station.pk if station else None, now, now,
            )
        )  # fmt: skip
    return rows


def _values(hashes: list[str]) -> list[dict]:
    found = []
    for deputy in Deputy.objects.filter(id_number_hash__in=hashes).order_by("birth_date").values():
        deputy.pop("id")
        deputy.pop("id_number_hash")
        deputy.pop("phone_hash")
        found.append(deputy)
    return found


@postgresql
@pytest.mark.django_db
def test_copy_writes_the_rows_insert_writes(world, monkeypatch):
    written = {}
    for path, copy in (("insert", False), ("copy", True)):
        monkeypatch.setattr(deputy_roster, "COPY", copy)
        rows = _deputy_rows(world, path)
        ids = dict(
            deputy_roster._write(
                Deputy, deputy_roster._DEPUTY_COLUMNS, rows, returning="id_number_hash"
            )
        )
        assert set(ids) == {row[7] for row in rows}
        assert (
            dict(Deputy.objects.filter(pk__in=ids.values()).values_list("id_number_hash", "pk"))
            == ids
        )
        deputy_roster._write(
            Mandate,
            ("deputy", "level", "term", "constituency", "directly_elected", "is_active",
             "started_on"),
            [
                (pk, "county", 18, f"第{n}选区{AWKWARD[n % len(AWKWARD)]}", n % 2 == 0, True,
                 None if n % 2 else datetime.date(2022, 1, n + 1))
                for n, pk in enumerate(sorted(ids.values()))
            ],
        )  # fmt: skip
        written[path] = (
            _values(list(ids)),
            list(
                Mandate.objects.filter(deputy__in=ids.values())
                .order_by("deputy_id")
                .values_list(
                    "level",
                    "term",
                    "constituency",
                    "directly_elected",
                    "is_active",
                    "started_on",
                    "ended_on",
                )
            ),  # fmt: skip
        )
    assert written["copy"] == written["insert"]
    deputies, mandates = written["copy"]
    assert [d["name"] for d in deputies] == [f"代表{text}" for text in AWKWARD]
    assert [d["station_id"] for d in deputies][:2] == [None, world.home_a1.pk]
    assert deputies[4]["education"] == "\\N" and deputies[7]["education"] == ""
    assert deputies[0]["created_at"] == NOW
    assert mandates[0][5] == datetime.date(2022, 1, 1) and mandates[1][5] is None


@postgresql
@pytest.mark.django_db
def test_a_roster_committed_by_copy_is_the_roster_committed_by_insert(world, users, monkeypatch):
    monkeypatch.setattr(deputy_roster, "CHUNK", 3)
    data = [person(n) for n in range(7)]
    data.append(person(7, name="名\\字"))
    data.append(person(8, level="乡镇", workplace_station="甲一村联络站"))
    outcome = {}
    for path, copy in (("insert", False), ("copy", True)):
        Deputy.objects.filter(name__in=[row[1] for row in data]).delete()
        monkeypatch.setattr(deputy_roster, "COPY", copy)
        assert run(users, data, commit=True).ok
        deputies = Deputy.objects.filter(name__in=[row[1] for row in data]).order_by("name")
        outcome[path] = (
            [
                {k: v for k, v in d.items() if k not in ("id", "created_at", "updated_at")}
                for d in deputies.values()
            ],
            list(
                Mandate.objects.filter(deputy__in=deputies)
                .order_by("deputy__name", "level")
                .values_list("deputy__name", "level", "term", "constituency", "is_active")
            ),
        )
        # The decrypted values are those of the file.
        assert deputies.get(name="代表3").id_number == person(3)[3]
    assert outcome["copy"] == outcome["insert"]
    assert len(outcome["copy"][0]) == 9


@postgresql
@pytest.mark.django_db
def test_a_row_copy_refuses_is_an_integrity_error_and_nothing_is_kept(world):
    rows = _deputy_rows(world, "dup")
    rows[2] = rows[2][:7] + (rows[1][7],) + rows[2][8:]  # the same ID hash twice
    with pytest.raises(IntegrityError), transaction.atomic():
        deputy_roster._copy(Deputy, deputy_roster._DEPUTY_COLUMNS, rows, returning="id_number_hash")
    assert not Deputy.objects.filter(id_number_hash__startswith="dup").exists()
