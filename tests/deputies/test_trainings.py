"""Training: the sign-in sheet import (each bad row reported, nothing saved; re-import changes
nothing), the pages and their access."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from deputies.models import DutyRecord, Training, TrainingAttendance
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()
IMPORT = reverse("deputies:training_import")
LIST = reverse("deputies:trainings")


@pytest.fixture
def course(world):
    return Training.objects.create(
        county=world.county_a,
        name="新任代表履职培训班",
        kind=Training.Kind.FOUNDATION,
        mode=Training.Mode.CLASSROOM,
        start_date=TODAY,
        end_date=TODAY,
        hours=8,
    )


def sheet(rows, *, title_rows=1) -> SimpleUploadedFile:
    """A sign-in sheet with a merged-looking title row above the header, columns reordered."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    for _ in range(title_rows):
        ws.append(["2026年代表培训签到表"])
    ws.append(["序号", "姓名", "公民身份号码", "培训班", "学时"])
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "签到表.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def upload(client, rows):
    return client.post(IMPORT, {"file": sheet(rows)})


def test_a_clean_sheet_is_imported_once(client_for, world, course):
    d1, d2 = world.deputy_a1, world.deputy_a2
    rows = [
        (d1.name, d1.id_number, course.name, None),
        (d2.name, d2.id_number.lower(), course.name, 4),  # a lower-case x is fine
    ]
    response = upload(client_for("staff"), rows)
    assert response.status_code == 302
    hours = dict(TrainingAttendance.objects.values_list("deputy_id", "hours"))
    assert hours == {d1.pk: 8, d2.pk: 4}
    assert DutyRecord.objects.filter(kind="training").count() == 2
    upload(client_for("staff"), rows)  # the same file again
    assert TrainingAttendance.objects.count() == 2
    assert DutyRecord.objects.filter(kind="training").count() == 2


def test_each_bad_row_is_reported_and_nothing_is_saved(client_for, world, course):
    d1, d2 = world.deputy_a1, world.deputy_a2
    bad_id = d2.id_number[:17] + ("0" if d2.id_number[17] != "0" else "1")
    rows = [
        (d1.name, d1.id_number, course.name, None),  # fine
        (d2.name, bad_id, course.name, None),  # wrong check digit
        (d1.name, d1.id_number, "不存在的培训班", None),  # unknown course
        ("", d2.id_number, course.name, None),  # empty name
        ("别人", d2.id_number, course.name, None),  # name does not match
        (d1.name, d1.id_number, course.name, None),  # repeat of row 3
        (world.deputy_b1.name, world.deputy_b1.id_number, course.name, None),  # other county
    ]
    response = upload(client_for("staff"), rows)
    assert response.status_code == 200
    errors = response.context["report"].errors
    assert [e.split(":")[0] for e in errors] == [
        "第4行",
        "第5行",
        "第6行",
        "第7行",
        "第8行",
        "第9行",
    ]
    assert "公民身份号码有误" in errors[0]
    assert "没有名为“不存在的培训班”的培训班" in errors[1]
    assert "姓名为空" in errors[2]
    assert f"应为{world.deputy_a2.name}" in errors[3]
    assert "与第3行重复" in errors[4]
    assert "本县没有" in errors[5]
    assert not TrainingAttendance.objects.exists() and not DutyRecord.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(client_for, course):
    fake = SimpleUploadedFile("签到表.xlsx", b"not a workbook")
    response = client_for("staff").post(IMPORT, {"file": fake})
    assert response.context["report"].errors and not TrainingAttendance.objects.exists()


def test_a_sheet_without_the_header_is_refused(client_for, course):
    workbook = openpyxl.Workbook()
    workbook.active.append(["名单"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client_for("staff").post(
        IMPORT, {"file": SimpleUploadedFile("a.xlsx", buffer.getvalue())}
    )
    assert "没有找到表头" in response.content.decode()


@pytest.mark.parametrize("role", ["member", "township", "keeper", "deputy", "unit"])
def test_only_staff_import(client_for, world, course, role):
    row = (world.deputy_a1.name, world.deputy_a1.id_number, course.name, None)
    assert upload(client_for(role), [row]).status_code == 403
    assert not TrainingAttendance.objects.exists()


def test_the_pages_show_courses_trainees_and_a_deputys_hours(client_for, world, course):
    row = (world.deputy_a1.name, world.deputy_a1.id_number, course.name, None)
    upload(client_for("staff"), [row])
    page = client_for("township").get(LIST)
    assert page.context["totals"]["trainees"] == 1 and course.name in page.content.decode()
    detail = client_for("staff").get(reverse("deputies:training_detail", args=[course.pk]))
    assert world.deputy_a1.name in detail.content.decode()
    archive = client_for("deputy").get(reverse("deputies:archive", args=[world.deputy_a1.pk]))
    assert "本年参加培训 1 次、8 学时" in archive.content.decode()
    assert client_for("unit").get(LIST).status_code == 403


def test_the_api_lists_courses_with_trainees(client_for, world, course):
    data = client_for("deputy").get(reverse("training-list"), {"year": TODAY.year}).json()
    assert [row["name"] for row in data["results"]] == [course.name]
    assert client_for("unit").get(reverse("training-list")).status_code == 403


def test_the_list_query_count_does_not_grow(client_for, world, course):
    client = client_for("staff")
    before = count_queries(client, LIST)
    for i in range(4):
        extra = Training.objects.create(
            county=world.county_a,
            name=f"专题培训{i}",
            kind=Training.Kind.THEMATIC,
            mode=Training.Mode.ONLINE,
            start_date=TODAY - datetime.timedelta(days=i),
            end_date=TODAY,
            hours=2,
        )
        TrainingAttendance.objects.create(
            training=extra, deputy=f.make_deputy(world.home_a1), hours=2
        )
    assert count_queries(client, LIST) == before


def test_a_sign_in_sheet_in_the_offices_words_is_read(client_for, world, course):
    """Headers as an office writes them (spaces, full-width brackets, a star, a (必填) mark,
    a longer wording), a 填报单位 row above, ID numbers typed with an apostrophe or spaces."""
    d1, d2 = world.deputy_a1, world.deputy_a2
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["2026年代表培训签到表"])
    ws.append(["填报单位:甲县人大常委会代表工委"])
    ws.append(["序号", "姓  名", "*身份证号码（必填）", "培训班名称", "培训学时"])
    ws.append([1, d1.name, "'" + d1.id_number, course.name, 6])
    ws.append([2, d2.name, " ".join([d2.id_number[:6], d2.id_number[6:]]), course.name, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload_file = SimpleUploadedFile("签到表.xlsx", buffer.getvalue())
    response = client_for("staff").post(IMPORT, {"file": upload_file})
    assert response.status_code == 302
    hours = dict(TrainingAttendance.objects.values_list("deputy_id", "hours"))
    assert hours == {d1.pk: 6, d2.pk: 8}
