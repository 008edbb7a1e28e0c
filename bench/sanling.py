#!/usr/bin/env python
"""三零 voter registration check benchmark: the portal's check against bare python-calamine, same run.

    .venv/bin/python bench/sanling.py                    # 600,000 voters
    .venv/bin/python bench/sanling.py --voters 60000     # a quick run

Data (generated into a temporary directory with XlsxWriter in constant_memory mode, seeded):
a county of 30 townships × 20 villages; the population list holds every voter plus 8 % minors,
1 % unregistered adults (漏登) and 0.3 % deceased; the voter list holds the registered adults plus
0.3 % under age, 0.3 % deceased, 0.3 % registered in the wrong village, 0.2 % bad ID numbers,
0.2 % registered twice (same ID, another village) and 0.1 % a namesake born the same day.

Each measurement runs in a fresh child process (spawn), so its peak RSS is its own:

  (a) bare — python-calamine over the same passes the check makes (each file once, the whole
      sheet loaded and every row's values fetched), nothing else;
  (b) check — ``registration_check_execute`` end to end: the two files read from the check's
      storage, the comparison, the findings stored in batches, the files deleted (SQLite database
      in the temporary directory, migrated once beforehand).

Prints wall and CPU seconds and peak RSS of each and the RSS each child held before it started
(Django and the apps imported), and writes bench/results/sanling-<voters>-<timestamp>.json. The
machine is shared: CPU seconds are the steadier figure when others run at the same time.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ELECTION_DAY = datetime.date(2026, 11, 1)


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%SZ}] {message}", flush=True)


def setup_django(directory: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "congress_portal.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["VAR_DIR"] = directory
    import django

    django.setup()


def rss_mib() -> float:
    """Peak RSS of this process image (VmHWM): unlike ru_maxrss it does not carry over the
    parent's peak through fork and exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(directory: str, voters: int, seed: int = 7) -> dict:
    """Write population.xlsx and voters.xlsx; return how many of each kind were planted."""
    import xlsxwriter
    from stdnum.cn import ric

    rng = random.Random(seed)
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    given = "芳伟娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
    places = [(f"第{t:02d}镇", f"第{v:02d}村") for t in range(30) for v in range(20)]
    sequence: dict[tuple[str, str], int] = {}

    def new_id(birth: datetime.date) -> str:
        key = (f"{rng.randrange(100):02d}", f"{birth:%Y%m%d}")
        order = sequence.get(key, 0)
        sequence[key] = order + 1
        body = f"5108{key[0]}{key[1]}{order:03d}"
        return body + ric.calc_check_digit(body + "0")

    def adult_birth() -> datetime.date:
        return datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(24_000))

    def minor_birth() -> datetime.date:
        return datetime.date(2009, 1, 1) + datetime.timedelta(days=rng.randrange(5_000))

    def name() -> str:
        return rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.randrange(1, 3)))

    planted = {key: 0 for key in ("missing", "wrong", "duplicate")}
    population_rows: list[tuple] = []
    voter_rows: list[tuple] = []
    for _ in range(voters):
        place = rng.choice(places)
        person = (place[0], place[1], name(), new_id(adult_birth()))
        roll = rng.random()
        dead = ""
        voter_place = place
        if roll < 0.003:
            dead = "是"
            planted["wrong"] += 1
        elif roll < 0.006:
            voter_place = rng.choice(places)
            planted["wrong"] += voter_place != place
        population_rows.append((*person, dead))
        voter_rows.append((*voter_place, person[2], person[3]))
        if roll > 0.998:  # registered again in another village
            voter_rows.append((*rng.choice(places), person[2], person[3]))
            planted["duplicate"] += 1
    for _ in range(voters // 100):  # unregistered adults
        place = rng.choice(places)
        population_rows.append((*place, name(), new_id(adult_birth()), ""))
        planted["missing"] += 1
    for _ in range(voters * 8 // 100):  # minors, not registered
        place = rng.choice(places)
        population_rows.append((*place, name(), new_id(minor_birth()), ""))
    for _ in range(voters * 3 // 1000):  # deceased, not registered
        place = rng.choice(places)
        population_rows.append((*place, name(), new_id(adult_birth()), "是"))
    for _ in range(voters * 3 // 1000):  # minors registered
        place = rng.choice(places)
        number = new_id(minor_birth())
        population_rows.append((*place, name(), number, ""))
        voter_rows.append((*place, name(), number))
        planted["wrong"] += 1
    for _index in range(voters * 2 // 1000):  # bad ID numbers
        place = rng.choice(places)
        good = new_id(adult_birth())
        voter_rows.append((*place, name(), good[:17] + ("0" if good[17] != "0" else "1")))
        planted["wrong"] += 1
    rng.shuffle(population_rows)
    rng.shuffle(voter_rows)

    def write(path: str, headers: list[str], rows) -> None:
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, headers)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                sheet.write_string(number, column, value)
        workbook.close()

    write(
        f"{directory}/population.xlsx",
        ["乡镇", "村(社区)", "姓名", "公民身份号码", "死亡标识"],
        population_rows,
    )
    write(f"{directory}/voters.xlsx", ["乡镇", "村(社区)", "姓名", "公民身份号码"], voter_rows)
    return {
        "population_rows": len(population_rows),
        "voter_rows": len(voter_rows),
        "planted_at_least": planted,
    }


def bare(directory: str, queue) -> None:
    setup_django(directory)
    import python_calamine

    before = rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    for name in ("voters.xlsx", "population.xlsx"):
        workbook = python_calamine.CalamineWorkbook.from_path(f"{directory}/{name}")
        for values in workbook.get_sheet_by_index(0).iter_rows():
            rows += len(values) > 0
        workbook.close()
    queue.put(
        {
            "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu,
            "rows": rows,
            "rss_before": before,
            "peak_rss": rss_mib(),
        }
    )


def check(directory: str, queue) -> None:
    setup_django(directory)
    from core.crypto import SealedContent
    from directory.models import Region
    from elections.models import RegistrationCheck
    from elections.services import registration_check_execute

    county = Region.objects.get(level=Region.Level.COUNTY)
    run = RegistrationCheck.objects.create(county=county, election_day=ELECTION_DAY)
    with open(f"{directory}/voters.xlsx", "rb") as voters:
        run.voter_file.save("voters.sealed", SealedContent(voters), save=False)
    with open(f"{directory}/population.xlsx", "rb") as population:
        run.population_file.save("population.sealed", SealedContent(population), save=False)
    run.save()
    before = rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    result = registration_check_execute(run.pk)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    run.refresh_from_db()
    queue.put(
        {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "result": result,
            "error": run.error,
            "voter_rows": run.voter_rows,
            "population_rows": run.population_rows,
            "missing": run.missing,
            "wrong": run.wrong,
            "duplicate": run.duplicate,
            "rss_before": before,
            "peak_rss": rss_mib(),
        }
    )


def prepare_database(directory: str) -> None:
    setup_django(directory)
    from django.core.management import call_command

    from directory.models import Region

    call_command("migrate", verbosity=0)
    county = Region.objects.create(name="苍溪县", code="510824", level=Region.Level.COUNTY)
    for t in range(30):
        Region.objects.create(
            name=f"第{t:02d}镇", code=f"510824{t:03d}", level=Region.Level.TOWNSHIP, parent=county
        )


def in_child(target, directory: str) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(directory, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=600_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--reuse", metavar="DIR", help="a directory kept by --keep: its files, not new ones"
    )
    args = parser.parse_args(argv)
    directory = args.reuse or tempfile.mkdtemp(prefix="bench-sanling-")
    try:
        if args.reuse:
            data = {"reused": directory}
            Path(directory, "bench.sqlite3").unlink(missing_ok=True)
        else:
            log(f"generating {args.voters:,} voters in {directory}")
            started = time.perf_counter()
            data = generate(directory, args.voters)
            data["generate_seconds"] = time.perf_counter() - started
        for name in ("population.xlsx", "voters.xlsx"):
            data[f"{name}_mib"] = os.path.getsize(f"{directory}/{name}") / 1024 / 1024
        log(f"generated: {data}")
        in_child(_prepare, directory)
        log("database ready")
        results = {"data": data, "bare": in_child(bare, directory)}
        log(f"bare python-calamine: {results['bare']}")
        results["check"] = in_child(check, directory)
        log(f"check: {results['check']}")
        results["ratio"] = results["check"]["seconds"] / results["bare"]["seconds"]
        log(f"check ÷ bare: {results['ratio']:.2f}")
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        (out / f"sanling-{args.voters}-{stamp}.json").write_text(json.dumps(results, indent=2))
    finally:
        if not args.keep and not args.reuse:
            shutil.rmtree(directory, ignore_errors=True)


def _prepare(directory: str, queue) -> None:
    prepare_database(directory)
    queue.put({})


if __name__ == "__main__":
    main()
