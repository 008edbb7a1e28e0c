"""The staff pages: upload → columns (detected, correctable) → background check with the
preview → commit; the template; who may use them."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import Deputy
from rosters.models import ImportJob
from tests.rosters.helpers import DEPUTY_HEADER, XLSX, upload
from tests.rosters.test_deputy_roster import ID_1, ID_3

UPLOAD = reverse("rosters:upload")


def rows(station="甲一镇代表之家"):
    return [
        (1, "王小明", None, ID_1, None, None, "甲一镇代表之家", "县", 18, "第1选区", None),
        (2, "赵强", None, ID_3, None, None, station, "县", 18, "第1选区", None),
    ]


def start(client, file, django_capture_on_commit_callbacks, **mapping_overrides):
    response = client.post(UPLOAD, {"roster": "deputies", "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    page = client.get(reverse("rosters:mapping", args=[job.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()} | mapping_overrides
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rosters:mapping", args=[job.pk]), data)
    assert response.status_code == 302
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_upload_check_preview_and_commit(client_for, django_capture_on_commit_callbacks):
    client = client_for("staff")
    job = start(client, upload(DEPUTY_HEADER, rows()), django_capture_on_commit_callbacks)
    assert job.header_row == 3
    assert job.mapping["id_number"] == 3  # column D
    assert job.status == ImportJob.Status.CHECKED
    page = client.get(reverse("rosters:detail", args=[job.pk]))
    assert "新增 2 行" in page.content.decode()
    assert not Deputy.objects.filter(name="王小明").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rosters:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED
    assert Deputy.objects.filter(name__in=["王小明", "赵强"]).count() == 2
    status = client.get(reverse("rosters:status", args=[job.pk])).json()
    assert (status["status"], status["percent"]) == ("done", 100)


@pytest.mark.django_db
def test_a_file_with_errors_shows_them_and_cannot_be_committed(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    job = start(client, upload(DEPUTY_HEADER, rows("无此站")), django_capture_on_commit_callbacks)
    page = client.get(reverse("rosters:detail", args=[job.pk]) + "?status=error").content.decode()
    assert "第5行" in page and "G列“进驻家站”:没有名为“无此站”的家站" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rosters:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert not Deputy.objects.filter(name="王小明").exists()


@pytest.mark.django_db
def test_staff_map_a_column_the_detection_did_not_know(
    client_for, django_capture_on_commit_callbacks
):
    header = [*DEPUTY_HEADER]
    header[6] = "所在站点名"  # not a known name for 进驻家站
    client = client_for("staff")
    job = start(client, upload(header, rows()), django_capture_on_commit_callbacks, col_station="6")
    assert job.mapping["station"] == 6
    assert job.result["ok"], job.result


@pytest.mark.django_db
def test_the_template_is_recognised_as_it_is(client_for, django_capture_on_commit_callbacks):
    client = client_for("staff")
    response = client.get(reverse("rosters:template", args=["deputies"]))
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    values = {"姓名": "王小明", "公民身份号码": ID_1, "进驻家站": "甲一镇代表之家",
              "代表层级": "县", "届次": "18", "选举单位/选区": "第1选区"}  # fmt: skip
    header = [cell.value.rstrip("*") for cell in sheet[2]]
    sheet.append([values.get(label) for label in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = start(
        client,
        SimpleUploadedFile("t.xlsx", buffer.getvalue(), XLSX),
        django_capture_on_commit_callbacks,
    )
    assert job.header_row == 2
    assert job.result["counts"]["create"] == 1, job.result


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "township", "keeper", "deputy", "unit", "outsider"])
def test_other_roles_may_not_import(client_for, role):
    client = client_for(role)
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"roster": "deputies"}).status_code == 403
    assert client.get(reverse("rosters:template", args=["deputies"])).status_code == 403


@pytest.mark.django_db
def test_a_job_is_only_its_uploaders(client_for, django_capture_on_commit_callbacks):
    job = start(
        client_for("staff"), upload(DEPUTY_HEADER, rows()), django_capture_on_commit_callbacks
    )
    admin = client_for("admin")
    for name in ("rosters:detail", "rosters:mapping", "rosters:status"):
        assert admin.get(reverse(name, args=[job.pk])).status_code == 404
    assert admin.post(reverse("rosters:commit", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_the_preview_page_costs_the_same_queries_however_many_rows(
    client_for, django_capture_on_commit_callbacks
):
    from tests.querycount import count_queries

    client = client_for("staff")
    small = start(client, upload(DEPUTY_HEADER, rows()[:1]), django_capture_on_commit_callbacks)
    url = reverse("rosters:detail", args=[small.pk])
    # session, user, the job (the preview is stored on it)
    few = count_queries(client, url)
    ImportJob.objects.all().delete()
    big = start(client, upload(DEPUTY_HEADER, rows() * 60), django_capture_on_commit_callbacks)
    assert count_queries(client, reverse("rosters:detail", args=[big.pk])) == few


@pytest.mark.django_db
@pytest.mark.parametrize("roster", ["deputies", "stations", "units", "voters"])
def test_every_template_is_found_with_all_its_columns(client_for, roster):
    from rosters.services import ROSTERS
    from rosters.sheets import build_sheet, missing_required, read_rows

    response = client_for("admin").get(reverse("rosters:template", args=[roster]))
    rows = read_rows(io.BytesIO(response.content))
    columns = ROSTERS[roster].columns
    sheet = build_sheet(rows, columns, max_rows=10)
    assert sheet.header_row == 2
    assert missing_required(sheet, columns) == []
    assert len(sheet.mapping) == len(columns)


@pytest.mark.django_db
def test_changing_the_header_row_detects_the_columns_again(client_for):
    client = client_for("staff")
    client.post(UPLOAD, {"roster": "deputies", "file": upload(DEPUTY_HEADER, rows())})
    job = ImportJob.objects.get()
    url = reverse("rosters:mapping", args=[job.pk])
    assert client.get(url).context["form"]["col_id_number"].value() == 3
    wrong = client.get(url + "?header_row=1").context["form"]
    assert wrong["header_row"].value() == 1
    assert wrong["col_id_number"].value() is None


@pytest.mark.django_db
def test_old_uploads_are_purged_with_their_file(client_for, settings, tmp_path):
    import datetime

    from django.utils import timezone

    from rosters.jobs import import_jobs_purge

    settings.MEDIA_ROOT = tmp_path
    client_for("staff").post(UPLOAD, {"roster": "deputies", "file": upload(DEPUTY_HEADER, rows())})
    job = ImportJob.objects.get()
    path = job.file.path
    assert import_jobs_purge() == 0
    later = timezone.now() + datetime.timedelta(hours=settings.ROSTER_IMPORT_RETENTION_HOURS + 1)
    assert import_jobs_purge(later) == 1
    assert not ImportJob.objects.exists()
    import os

    assert not os.path.exists(path)


@pytest.mark.django_db
def test_a_column_the_file_lacks_takes_one_value_on_the_mapping_page(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    header = ["姓名", "身份证号码", "进驻家站"]
    rows = [("王小明", ID_1, "甲一镇代表之家"), ("赵强", ID_3, "甲一镇代表之家")]
    client.post(UPLOAD, {"roster": "deputies", "file": upload(header, rows)})
    job = ImportJob.objects.get()
    url = reverse("rosters:mapping", args=[job.pk])
    form = client.get(url).context["form"]
    assert "fix_level" in form.fields and "fix_name" not in form.fields
    assert "第十八届" in str(form["fix_term"].help_text)  # county A's current term
    data = {k: ("" if v is None else v) for k, v in ((n, form[n].value()) for n in form.fields)}
    refused = client.post(url, data)
    assert "请为必填列选择对应的列或填写整列取值:代表层级" in refused.content.decode()
    both = client.post(url, data | {"col_level": "0", "fix_level": "县"})
    assert "代表层级已对应到文件中的列,不能再填整列取值" in both.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data | {"fix_level": "县", "fix_constituency": "第1选区"})
    job.refresh_from_db()
    assert job.fixed_values == {"level": "县", "constituency": "第1选区"}
    assert job.result["ok"] and job.result["counts"]["create"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rosters:commit", args=[job.pk]))
    mandates = Deputy.objects.get(name="王小明").mandates.values_list(
        "level", "term", "constituency"
    )
    assert list(mandates) == [("county", 18, "第1选区")]
