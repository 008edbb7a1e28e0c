"""Background exports (core.exports) through the suggestion register exporter: queued from a page,
run by the Celery task, polled, downloaded by their owner only, expired and purged."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import exports
from core.models import ExportJob
from suggestions.exporters import SuggestionRegisterExporter
from suggestions.models import Assignment, Reply, ReplyCategory, Suggestion
from tests import factories as f

START = reverse("export_start", args=["suggestion_register"])
S = Suggestion.Status


def make(users, world, *, title="关于硬化村道的建议", deputy=None, co_signers=(), status=S.REPLIED):
    deputy = deputy or world.deputy_a1
    suggestion = Suggestion.objects.create(
        number=f"2026-{Suggestion.objects.count() + 1:03d}",
        title=title,
        content="内容",
        category="roads",
        county_id=deputy.station.county_id,
        lead_deputy=deputy,
        created_by=users["admin"],
        status=status,
        submitted_at=timezone.now(),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    suggestion.co_signers.set(co_signers)
    unit = world.unit_a if deputy.station.county_id == world.county_a.pk else world.unit_b
    Assignment.objects.create(
        suggestion=suggestion,
        unit=unit,
        role=Assignment.Role.LEAD,
        round=1,
        assigned_on=timezone.localdate(),
        deadline=suggestion.deadline,
    )
    Reply.objects.create(
        suggestion=suggestion,
        unit=unit,
        round=1,
        category=ReplyCategory.objects.get(code="A"),
        text="已解决",
        replied_on=timezone.localdate(),
        replied_by=users["unit"],
    )
    return suggestion


def start(client, django_capture_on_commit_callbacks, data=None):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(START, data or {})


def workbook(response):
    content = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(content))


def test_staff_export_the_register_and_download_it(
    client_for, users, world, django_capture_on_commit_callbacks
):
    make(users, world, co_signers=[world.deputy_a2])
    make(users, world, title='=HYPERLINK("http://x","点我")')
    make(users, world, deputy=world.deputy_b1, title="乙县的建议")
    client = client_for("staff")
    response = start(
        client, django_capture_on_commit_callbacks, {"year": str(timezone.localdate().year)}
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("export_detail", args=[job.pk])
    assert job.status == ExportJob.Status.DONE and job.rows_done > 0
    status = client.get(reverse("export_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100
    page = client.get(reverse("export_detail", args=[job.pk])).content.decode()
    assert reverse("export_download", args=[job.pk]) in page

    download = client.get(reverse("export_download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    book = workbook(download)
    assert book.sheetnames == ["建议台账", "统计概况", "按类别统计", "按承办单位统计"]
    register = book["建议台账"]
    assert register["A2"].value == "编号" and register.freeze_panes == "A3"
    rows = list(register.iter_rows(min_row=3, values_only=True))
    titles = {row[1] for row in rows}
    assert titles == {"关于硬化村道的建议", '=HYPERLINK("http://x","点我")'}  # county A only
    formula_cell = next(c for c in register["B"] if c.value and str(c.value).startswith("="))
    assert formula_cell.data_type == "s"  # text, never a formula
    first = next(row for row in rows if row[1] == "关于硬化村道的建议")
    assert first[7] == world.deputy_a2.name and first[21] == "A 已解决或基本解决"
    overview = {row[0]: row[1] for row in book["统计概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["交办建议"] == 2 and overview["推动解决问题"] == 2


def test_the_register_page_offers_the_export_with_its_filters(client_for):
    html = client_for("staff").get(reverse("suggestions:list"), {"status": "replied"})
    assert START in html.content.decode()
    assert 'name="status" value="replied"' in html.content.decode()
    assert START not in client_for("deputy").get(reverse("suggestions:list")).content.decode()


@pytest.mark.parametrize("role", ["deputy", "unit", "keeper"])
def test_other_roles_cannot_start_the_export(client_for, role, django_capture_on_commit_callbacks):
    client = client_for(role)
    response = start(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert "无权导出" in str(list(get_messages(response.wsgi_request))[0])
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "nonsense"}, "筛选条件有误"),
        ({"start": "2026-02-30"}, "开始日期不是有效的日期"),
        ({"start": "2026-03-01", "end": "2026-01-01"}, "开始日期不能晚于结束日期"),
    ],
)
def test_bad_parameters_are_refused_and_nothing_is_queued(
    client_for, data, message, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    response = start(client, django_capture_on_commit_callbacks, {**data, "next": "/suggestions/"})
    assert response.status_code == 302 and response.url == "/suggestions/"
    assert message in str(list(get_messages(response.wsgi_request))[0])
    assert not ExportJob.objects.exists()


def test_an_unknown_export_is_refused(client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(reverse("export_start", args=["nope"]))
    assert response.status_code == 302 and not ExportJob.objects.exists()


def test_only_the_owner_sees_and_downloads_a_job(
    client_for, users, world, django_capture_on_commit_callbacks
):
    make(users, world)
    start(client_for("staff"), django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    other = client_for("member")
    for name in ("export_detail", "export_status", "export_download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert job.pk not in [j.pk for j in other.get(reverse("export_list")).context["page"]]


def test_an_expired_export_is_not_downloaded_and_is_purged(
    client_for, users, world, django_capture_on_commit_callbacks
):
    make(users, world)
    client = client_for("staff")
    start(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    assert "已过期" in client.get(reverse("export_detail", args=[job.pk])).content.decode()
    assert exports.purge_expired() == 1
    assert not ExportJob.objects.exists()
    import os

    assert not os.path.exists(path)


def test_running_a_job_twice_writes_it_once(users, world):
    make(users, world)
    job = ExportJob.objects.create(user=users["staff"], exporter="suggestion_register")
    assert exports.run_export(str(job.pk)) == "done"
    assert exports.run_export(str(job.pk)) == "skipped"


def test_a_failing_export_is_marked_failed_with_a_message(users, world, monkeypatch):
    make(users, world)

    def broken(self):
        raise RuntimeError("disk full")
        yield

    monkeypatch.setattr("suggestions.exporters.RegisterSheet.rows", broken)
    job = ExportJob.objects.create(user=users["staff"], exporter="suggestion_register")
    assert exports.run_export(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "导出时发生错误" in job.error


def test_the_progress_is_saved_while_rows_are_written(users, world, monkeypatch):
    for i in range(5):
        make(users, world, title=f"建议{i}")
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    seen = []
    exporter = SuggestionRegisterExporter(user=users["staff"], params={})
    exports.write_workbook(io.BytesIO(), exporter, progress=lambda done, total: seen.append(done))
    assert seen[:2] == [2, 4]


def test_the_export_query_count_does_not_grow_with_the_register(users, world):
    def queries() -> int:
        exporter = SuggestionRegisterExporter(user=users["staff"], params={})
        with CaptureQueriesContext(connection) as ctx:
            exports.write_workbook(io.BytesIO(), exporter, progress=lambda *a: None)
        return len(ctx.captured_queries)

    make(users, world, co_signers=[world.deputy_a2])
    before = queries()
    for i in range(8):
        make(users, world, title=f"建议{i}", co_signers=[world.deputy_a2])
    f.make_unit(world.county_a, "甲县水务局")
    assert queries() == before
