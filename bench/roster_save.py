#!/usr/bin/env python
"""What a first import of new deputies costs once the rows are checked, piece by piece, in one
process against the roster bench's database (run bench/roster_import.py first to build it):

  cpu      — per new deputy: Fernet encryption of ID number and phone, the two keyed hashes,
             the masks, the pinyin keys (cache cleared first, as for a file of new names);
  insert   — 20,000 deputies and 20,000 mandates written by multi-row INSERTs (the SQLite path);
  copy     — the same rows written by COPY … FROM STDIN (the PostgreSQL path);
  fk       — the deferred foreign-key checks of those rows (``SET CONSTRAINTS ALL IMMEDIATE``,
             what COMMIT would run), timed apart;
  like     — ``copy`` again with Django's ``varchar_pattern_ops`` twins of the deputies' text
             indexes made again first (directory 0004 dropped them), to show what they cost.

Each write runs in a transaction that is rolled back, so the database is left as it was.
Rounds interleave the variants; medians are printed.

    .venv/bin/python bench/roster_save.py \\
        --database-url postgres://postgres@127.0.0.1:5432/congress_portal_i16_bench
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIKE_COLUMNS = ("id_number_hash", "name", "name_initials", "name_pinyin", "phone_hash")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/congress_bench_roster"
    )
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = args.database_url
    sys.path[0:1] = [str(ROOT)]
    import django

    django.setup()
    from django.db import connection, transaction

    from core import pinyin
    from core.crypto import encrypt, keyed_hash
    from core.idnumbers import make_id_number
    from core.masking import mask_id_number, mask_phone
    from directory.models import Deputy, Mandate, Station
    from rosters import deputy_roster as roster

    station = Station.objects.select_related("township").first()
    if station is None:
        print("no station: run bench/roster_import.py against this database first")
        return 1
    now = datetime.datetime.now(datetime.UTC)
    people = [
        (
            f"代表{n}号",
            make_id_number(
                "110101", datetime.date(1960, 1, 1) + datetime.timedelta(n // 500), n % 500, "M"
            ),
            f"139{n:08d}",
        )
        for n in range(args.rows)
    ]

    def deputy_values():
        pinyin.keys.cache_clear()
        values = []
        for name, number, phone in people:
            full, initials = pinyin.keys(name)
            values.append(
                (
                    name, full, initials, "M", "汉族", "1960-01-01", encrypt(number),
                    keyed_hash(number), mask_id_number(number), encrypt(phone),
                    keyed_hash(phone), mask_phone(phone), "cpc", "", "other", "", "",
                    station.county_id, station.pk, now, now,
                )
            )  # fmt: skip
        return values

    def parts():
        out = {}
        for label, work in (
            ("fernet", lambda n, p: (encrypt(n), encrypt(p))),
            ("hashes", lambda n, p: (keyed_hash(n), keyed_hash(p))),
            ("masks", lambda n, p: (mask_id_number(n), mask_phone(p))),
        ):
            started = time.perf_counter()
            for _name, number, phone in people:
                work(number, phone)
            out[label] = time.perf_counter() - started
        pinyin.keys.cache_clear()
        started = time.perf_counter()
        for name, _number, _phone in people:
            pinyin.keys(name)
        out["pinyin"] = time.perf_counter() - started
        return out

    def write(path, like=False):
        values = deputy_values()
        timings = {}
        with transaction.atomic():
            with connection.cursor() as cursor:
                if like:
                    for column in LIKE_COLUMNS:
                        cursor.execute(
                            f"CREATE INDEX bench_{column}_like ON deputies_deputy "
                            f"({column} varchar_pattern_ops)"
                        )
            started = time.perf_counter()
            roster.COPY = path == "copy"
            ids = dict(
                roster._write(Deputy, roster._DEPUTY_COLUMNS, values, returning="id_number_hash")
            )
            timings["deputies"] = time.perf_counter() - started
            started = time.perf_counter()
            roster._write(
                Mandate,
                ("deputy", "level", "term", "constituency", "directly_elected", "is_active"),
                [(pk, "township", 18, "第1选区", True, True) for pk in ids.values()],
            )
            timings["mandates"] = time.perf_counter() - started
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            timings["fk"] = time.perf_counter() - started
            transaction.set_rollback(True)
        return timings

    results: dict[str, list[float]] = {}
    for round_ in range(args.repeat):
        for label, seconds in parts().items():
            results.setdefault(f"cpu {label}", []).append(seconds)
        for variant, kwargs in (
            ("insert", {"path": "insert"}),
            ("copy", {"path": "copy"}),
            ("copy, _like twins again", {"path": "copy", "like": True}),
        ):
            for label, seconds in write(**kwargs).items():
                results.setdefault(f"{variant}: {label}", []).append(seconds)
        print(f"round {round_ + 1}/{args.repeat} done", flush=True)
    print(f"{args.rows} new deputies and mandates, medians of {args.repeat}:")
    for label, seconds in results.items():
        print(f"  {label:32} {statistics.median(seconds):7.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
