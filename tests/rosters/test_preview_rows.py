"""The preview is stored row by row (rosters.ImportRow), sealed, and shown a page at a time with
a filter by outcome; the job keeps only counts and file errors. Jobs stored before are converted
by the data migration (their rows, their first rows and their file sealed)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from core.crypto import is_sealed
from core.idnumbers import make_id_number
from rosters.models import ImportJob, ImportRow
from tests.rosters.helpers import DEPUTY_HEADER, upload, workbook_bytes
from tests.rosters.test_pages import start

PHONE = "13912345678"


def deputies(n: int) -> list[tuple]:
    """n new deputies, then an exact repeat of the first and a row naming no known station."""
    birth = datetime.date(1970, 1, 1)
    rows = [
        (i + 1, f"代表{i}", None, make_id_number("510824", birth + datetime.timedelta(days=i // 400),
         i % 400, "M"), None, None, "甲一镇代表之家", "县", 18, "第1选区", PHONE)
        for i in range(n)
    ]  # fmt: skip
    bad_id = make_id_number("510824", birth, 450, "F")
    return [
        *rows,
        rows[0],
        (0, "错站", None, bad_id, None, None, "无此站", "县", 18, "第1选区", None),
    ]


def raw(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


@pytest.mark.django_db
def test_each_row_is_stored_sealed_and_the_job_keeps_only_counts(
    client_for, django_capture_on_commit_callbacks
):
    job = start(
        client_for("staff"), upload(DEPUTY_HEADER, deputies(3)), django_capture_on_commit_callbacks
    )
    assert set(job.result) == {
        "roster",
        "header_row",
        "file_errors",
        "committed",
        "ok",
        "counts",
        "unknown_values",
    }
    assert job.result["unknown_values"] == {}
    assert job.result["counts"] == {
        "create": 3, "update": 0, "unchanged": 0, "duplicate": 1, "error": 1
    }  # fmt: skip
    stored = list(ImportRow.objects.filter(job=job).order_by("row"))
    assert [(r.row, r.status) for r in stored] == [
        (4, "create"), (5, "create"), (6, "create"), (7, "duplicate"), (8, "error")
    ]  # fmt: skip
    assert stored[0].label == "代表0"
    assert stored[3].changes == ["与第4行完全相同,已忽略"]
    assert stored[4].errors == [{"column": "G列“进驻家站”", "message": "没有名为“无此站”的家站"}]
    text = raw("rosters_importrow") + raw("rosters_importjob")
    for secret in (
        "代表0",
        "无此站",
        PHONE,
        make_id_number("510824", datetime.date(1970, 1, 1), 0, "M"),
    ):
        assert secret not in text


@pytest.mark.django_db
def test_the_preview_pages_rows_and_filters_them_by_outcome(
    client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client = client_for("staff")
    job = start(client, upload(DEPUTY_HEADER, deputies(230)), django_capture_on_commit_callbacks)
    url = reverse("rosters:detail", args=[job.pk])
    # session, user, the job, the page's row count, the page's rows (+ savepoints of the client)
    with django_assert_max_num_queries(6):
        first = client.get(url)
    assert [r.row for r in first.context["page"]] == list(range(4, 104))
    with django_assert_max_num_queries(6):
        last = client.get(url + "?page=3")
    assert [r.row for r in last.context["page"]] == [*range(204, 234), 234, 235]
    errors = client.get(url + "?status=error")
    assert [(r.row, r.status) for r in errors.context["page"]] == [(235, "error")]
    assert "没有名为“无此站”的家站" in errors.content.decode()
    repeats = client.get(url + "?status=duplicate").context["page"]
    assert [r.row for r in repeats] == [234]
    new = client.get(url + "?status=create&page=3").context["page"]
    assert [r.row for r in new] == list(range(204, 234))
    assert client.get(url + "?status=bogus").context["page"].paginator.count == 232


@pytest.mark.django_db
def test_rows_are_written_in_chunks_and_a_new_check_replaces_them(
    client_for, django_capture_on_commit_callbacks, monkeypatch
):
    from django.test.utils import CaptureQueriesContext

    from rosters import jobs

    monkeypatch.setattr(jobs, "ROW_CHUNK", 7)
    client = client_for("staff")
    with CaptureQueriesContext(connection) as queries:
        job = start(client, upload(DEPUTY_HEADER, deputies(20)), django_capture_on_commit_callbacks)
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "rosters_importrow"')]
    assert [sql.count("), (") + 1 for sql in inserts] == [7, 7, 7, 1]
    assert ImportRow.objects.filter(job=job).count() == 22
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rosters:mapping", args=[job.pk]), {
            "header_row": 3, **{f"col_{k}": v for k, v in job.mapping.items()}
        })  # fmt: skip
    # checked again: the rows are the new check's, not added to the first one's
    assert ImportRow.objects.filter(job=job).count() == 22
    assert sorted(ImportRow.objects.filter(job=job).values_list("row", flat=True)) == list(
        range(4, 26)
    )


@pytest.mark.django_db
def test_the_purge_deletes_the_rows_and_the_sealed_file(
    client_for, django_capture_on_commit_callbacks, settings, tmp_path
):
    from django.utils import timezone

    from rosters.jobs import import_jobs_purge

    settings.MEDIA_ROOT = tmp_path
    job = start(
        client_for("staff"), upload(DEPUTY_HEADER, deputies(2)), django_capture_on_commit_callbacks
    )
    path = tmp_path / job.file.name
    assert is_sealed(path.read_bytes()) and ImportRow.objects.count() == 4
    later = timezone.now() + datetime.timedelta(hours=settings.ROSTER_IMPORT_RETENTION_HOURS + 1)
    assert import_jobs_purge(later) == 1
    assert not ImportRow.objects.exists() and not ImportJob.objects.exists()
    assert not path.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_jobs_stored_before(settings, tmp_path):
    from django.db.migrations.executor import MigrationExecutor

    from tests import factories as f

    settings.MEDIA_ROOT = tmp_path
    id_number = make_id_number("510824", datetime.date(1970, 1, 1), 7, "M")
    executor = MigrationExecutor(connection)
    executor.migrate([("rosters", "0001_initial")])
    old = executor.loader.project_state([("rosters", "0001_initial")]).apps
    user = old.get_model("accounts", "User").objects.get(pk=f.make_user("admin", "mig").pk)
    clear = workbook_bytes(DEPUTY_HEADER, [(1, "王小明", None, id_number)])
    (tmp_path / "roster-imports" / "j").mkdir(parents=True)
    (tmp_path / "roster-imports" / "j" / "roster.xlsx").write_bytes(clear)
    row = {"row": 4, "label": "王小明", "status": "error", "changes": [],
           "errors": [{"row": 4, "column": "D列", "message": f"{id_number}不对"}]}  # fmt: skip
    job = old.get_model("rosters", "ImportJob").objects.create(
        user=user,
        roster="deputies",
        file="roster-imports/j/roster.xlsx",
        original_name="名册.xlsx",
        head=[["姓名", "身份证号码"], ["王小明", id_number]],
        result={"ok": False, "counts": {"error": 1}, "file_errors": [], "rows": [row]},
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    job = ImportJob.objects.get(pk=job.pk)
    assert job.head == [["姓名", "身份证号码"], ["王小明", id_number]]
    assert job.result == {"ok": False, "counts": {"error": 1}, "file_errors": []}
    stored = ImportRow.objects.get(job=job)
    assert (stored.row, stored.status, stored.label) == (4, "error", "王小明")
    assert stored.errors == [{"column": "D列", "message": f"{id_number}不对"}]
    assert not (tmp_path / "roster-imports" / "j" / "roster.xlsx").exists()
    assert is_sealed((tmp_path / job.file.name).read_bytes())
    from core.crypto import open_sealed_file

    assert open_sealed_file(job.file).read() == clear
    assert id_number not in raw("rosters_importjob") + raw("rosters_importrow")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "member", "township", "deputy", "outsider"])
def test_nobody_but_the_uploader_reads_the_rows(
    role, client_for, django_capture_on_commit_callbacks
):
    job = start(
        client_for("staff"), upload(DEPUTY_HEADER, deputies(2)), django_capture_on_commit_callbacks
    )
    url = reverse("rosters:detail", args=[job.pk]) + "?status=error"
    # the administrator imports too, but not another's file: 404; the others may not import: 403
    assert client_for(role).get(url).status_code == (404 if role == "admin" else 403)
