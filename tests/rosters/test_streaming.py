"""The deputies roster is read, checked and saved a chunk at a time as the file is read: what
spans chunks (an exact repeat, a repeat that differs, a person's two mandates) comes out as it
does within one chunk, a commit stays all or nothing, memory does not grow with the rows and
the queries grow by a fixed number per chunk."""

import datetime
import math
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.idnumbers import make_id_number
from directory.models import Deputy, Mandate
from rosters import deputy_roster
from rosters.base import RowStatus
from rosters.models import ImportRow
from rosters.services import roster_import
from tests.rosters.helpers import DEPUTY_HEADER, upload
from tests.rosters.test_pages import start

BIRTH = datetime.date(1970, 1, 1)


def person(n: int, *, level="县级", name=None, workplace_station="甲一镇代表之家", term=18):
    """A data row of DEPUTY_HEADER for the n-th person."""
    number = make_id_number("510824", BIRTH + datetime.timedelta(days=n // 400), n % 400, "M")
    return (n + 1, name or f"代表{n}", "男", number, None, "群众", workplace_station, level, term,
            f"第{n % 7 + 1}选区", f"139{n:08d}")  # fmt: skip


def sheet_rows(data):
    """The rows of a file as the reader gives them: a title row, then the header, then data."""
    yield ("苍溪县人大代表名册",)
    yield tuple(DEPUTY_HEADER)
    yield from data


def run(users, data, *, commit=False, sink=None, progress=None):
    return roster_import(
        roster="deputies",
        rows=sheet_rows(data),
        user=users["staff"],
        commit=commit,
        sink=sink,
        progress=progress,
    )


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(deputy_roster, "CHUNK", 4)


@pytest.mark.django_db
def test_an_exact_repeat_in_a_later_chunk_is_a_duplicate(world, users, small_chunks):
    data = [person(n) for n in range(10)]
    data.append(data[1])  # row 4 again, as row 13: three chunks later
    preview = run(users, data)
    assert preview.report_lines() == []
    assert [r.status for r in preview.rows] == [RowStatus.CREATE] * 10 + [RowStatus.DUPLICATE]
    assert preview.rows[-1].row == 13
    assert preview.rows[-1].changes == ["与第4行完全相同,已忽略"]

    saved = run(users, data, commit=True)
    assert saved.committed
    assert [r.status for r in saved.rows] == [r.status for r in preview.rows]
    assert Deputy.objects.filter(name__startswith="代表").count() == 10
    assert Mandate.objects.filter(deputy__name__startswith="代表").count() == 10


@pytest.mark.django_db
def test_a_differing_repeat_in_a_later_chunk_is_an_error_and_nothing_is_saved(
    world, users, small_chunks
):
    data = [person(n) for n in range(10)]
    other_district = person(1)[:9] + ("第9选区",) + person(1)[10:]
    other_name = person(2, level="乡镇", name="别人")
    data += [other_district, other_name]
    preview = run(users, data)
    assert [str(e) for e in preview.errors] == [
        "第13行:与第4行是同一代表的同一层级任职,但内容不同",
        "第14行:与第5行身份证号码相同,但个人信息或进驻家站不同",
    ]
    saved = run(users, data, commit=True)
    assert not saved.committed
    # the first chunks were clean and written as they went: the transaction took them back
    assert not Deputy.objects.filter(name__startswith="代表").exists()
    assert not Mandate.objects.filter(deputy__name__startswith="代表").exists()


@pytest.mark.django_db
def test_a_value_unknown_in_the_last_chunk_undoes_the_whole_commit(world, users, small_chunks):
    data = [person(n) for n in range(9)]
    data.append(person(9, level="村级"))
    saved = run(users, data, commit=True)
    assert not saved.committed
    assert saved.unknown_values == {"level": {"村级": 1}}
    assert not Deputy.objects.filter(name__startswith="代表").exists()


@pytest.mark.django_db
def test_a_new_persons_second_mandate_in_a_later_chunk(world, users, small_chunks):
    data = [person(n) for n in range(9)]
    data.append(person(0, level="乡镇"))
    preview = run(users, data)
    saved = run(users, data, commit=True)
    assert saved.committed
    # the check and the commit say the same of every row
    assert [(r.status, r.changes) for r in saved.rows] == [
        (r.status, r.changes) for r in preview.rows
    ]
    assert (preview.rows[0].status, preview.rows[0].changes) == (
        RowStatus.CREATE,
        ["新代表", "新任职:县人大代表"],
    )
    assert (preview.rows[-1].status, preview.rows[-1].changes) == (
        RowStatus.CREATE,
        ["新任职:乡镇人大代表"],
    )
    deputy = Deputy.objects.get(name="代表0")
    assert sorted(deputy.mandates.values_list("level", flat=True)) == ["county", "township"]
    again = run(users, data, commit=True)
    assert [r.status for r in again.rows] == [RowStatus.UNCHANGED] * 10


@pytest.mark.django_db
def test_an_existing_persons_change_is_planned_once_across_chunks(world, users, small_chunks):
    data = [person(n) for n in range(6)]
    assert run(users, data, commit=True).committed
    renamed = [person(0, name="代表零"), *(person(n) for n in range(1, 6))]
    renamed.append(person(0, level="乡镇", name="代表零"))
    preview = run(users, renamed)
    saved = run(users, renamed, commit=True)
    assert saved.committed
    assert [(r.status, r.changes) for r in saved.rows] == [
        (r.status, r.changes) for r in preview.rows
    ]
    assert preview.rows[0].changes == ["姓名"]
    assert (preview.rows[-1].status, preview.rows[-1].changes) == (
        RowStatus.UPDATE,
        ["新任职:乡镇人大代表"],
    )
    deputy = Deputy.objects.get(name="代表零")
    assert sorted(deputy.mandates.values_list("level", flat=True)) == ["county", "township"]


@pytest.mark.django_db
def test_rows_go_to_the_sink_chunk_by_chunk_and_progress_is_reported(world, users, small_chunks):
    chunks, reports = [], []
    data = [person(n) for n in range(10)] + [person(0)]
    preview = run(
        users,
        data,
        sink=lambda results: chunks.append([(r.row, r.status) for r in results]),
        progress=lambda done, total: reports.append((done, total)),
    )
    assert preview.rows == []  # handed on, not kept
    assert [len(chunk) for chunk in chunks] == [4, 4, 3]
    assert [row for chunk in chunks for row, _status in chunk] == list(range(3, 14))
    assert preview.counts()["create"] == 10 and preview.counts()["duplicate"] == 1
    assert preview.ok and preview.row_count == 11
    assert reports[-1] == (11, 11)
    assert all(done <= total for done, total in reports)


@pytest.mark.django_db
def test_too_many_rows_found_while_reading_saves_nothing(world, users, small_chunks, settings):
    settings.ROSTER_IMPORT_MAX_ROWS = 9
    saved = run(users, [person(n) for n in range(12)], commit=True)
    assert saved.file_errors == ["一次最多导入9行。"]
    assert not saved.committed
    assert not Deputy.objects.filter(name__startswith="代表").exists()


@pytest.mark.django_db
def test_a_commit_that_finds_an_error_after_all_stores_the_recheck(
    client_for, world, django_capture_on_commit_callbacks, monkeypatch
):
    """A deputy of the file was stationed elsewhere between the check and the commit:
    nothing is saved, and the stored rows are those of the check run again."""
    monkeypatch.setattr(deputy_roster, "CHUNK", 2)
    client = client_for("staff")
    job = start(
        client, upload(DEPUTY_HEADER, [person(n) for n in range(5)]),
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    assert job.result["ok"]
    Deputy.objects.create(
        name="别人", id_number=person(4)[3], gender="M", birth_date=BIRTH, county=world.county_b
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rosters:commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.result["ok"]) == ("checked", False)
    assert not Deputy.objects.filter(name__startswith="代表").exists()
    stored = list(ImportRow.objects.filter(job=job).order_by("row"))
    assert [(r.row, r.status) for r in stored] == [(4, "create"), (5, "create"), (6, "create"),
                                                   (7, "create"), (8, "error")]  # fmt: skip
    assert stored[-1].errors == [{"column": "", "message": "该代表不在您管理的范围内,不能修改"}]


def _peak(users, rows: int) -> int:
    data = (person(n, term=18) for n in range(rows))
    tracemalloc.start()
    try:
        preview = run(users, data, sink=lambda results: None)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert preview.ok and preview.row_count == rows
    return peak


@pytest.mark.django_db
def test_peak_memory_does_not_grow_with_the_rows(world, users, monkeypatch):
    monkeypatch.setattr(deputy_roster, "CHUNK", 500)
    _peak(users, 50)  # the first run fills the caches a process keeps (translations, …)
    small, large = _peak(users, 1500), _peak(users, 6000)
    # Before, every row's objects were held to the end: about 5 KiB a row, 22 MiB more for the
    # 4,500 extra rows. What may grow now is the print kept per person and mandate.
    assert large - small < 4500 * 600, (small, large)


@pytest.mark.django_db
def test_queries_grow_by_a_fixed_number_per_chunk(world, users, monkeypatch):
    monkeypatch.setattr(deputy_roster, "CHUNK", 50)

    def queries(rows: int, *, commit: bool) -> int:
        Deputy.objects.filter(name__startswith="代表").delete()
        with CaptureQueriesContext(connection) as captured:
            assert run(users, [person(n) for n in range(rows)], commit=commit).ok
        return len(captured)

    # A check looks up the chunk's deputies; a commit also inserts its deputies and mandates:
    # on PostgreSQL their primary keys drawn and two COPYs, elsewhere as many INSERTs as the
    # database takes rows in one (SQLite: some 47 deputies) and one for the mandates.
    fields = [f.name for f in Deputy._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * 50) or 50
    writes = 3 if connection.vendor == "postgresql" else math.ceil(50 / batch) + 1
    for commit, per_chunk in ((False, 1), (True, 1 + writes)):
        one, nine = queries(50, commit=commit), queries(450, commit=commit)
        assert nine - one <= 8 * per_chunk, (commit, one, nine)


@pytest.mark.django_db
def test_a_new_deputy_is_written_as_save_would_write_it(world, users):
    """New deputies are inserted without Deputy.save(): their derived columns are what
    save() (Deputy.fill_hashes) gives, the model's defaults fill what the file lacks."""
    assert run(users, [person(0), person(1, workplace_station="甲一村联络站")], commit=True).ok
    for deputy in Deputy.objects.filter(name__in=["代表0", "代表1"]):
        again = Deputy(
            name=deputy.name,
            id_number=deputy.id_number,
            phone=deputy.phone,
            station=deputy.station,
            county=None,
        )
        again.fill_hashes()
        derived = ("name_pinyin", "name_initials", "id_number_hash", "id_number_masked",
                   "phone_hash", "phone_masked", "county_id")  # fmt: skip
        assert [getattr(deputy, f) for f in derived] == [getattr(again, f) for f in derived]
        assert (deputy.ethnicity, deputy.education, deputy.occupation) == ("汉族", "", "other")
        assert deputy.created_at == deputy.updated_at is not None
    assert Deputy.objects.get(name="代表1").station == world.liaison_a1
    assert Deputy.objects.get(name="代表0").name_pinyin == "daibiao0"
