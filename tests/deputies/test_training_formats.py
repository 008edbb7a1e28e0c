"""The training sign-in sheet through the one reader: an .xls as WPS saves it, a GBK CSV."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.models import DutyRecord, TrainingAttendance
from tests.deputies.test_trainings import course  # noqa: F401 (the fixture)
from tests.tablefiles import write_table

IMPORT = reverse("deputies:training_import")


def sign_in_sheet(world, training, fmt: str, encoding: str | None = None) -> SimpleUploadedFile:
    d1, d2 = world.deputy_a1, world.deputy_a2
    rows = [
        ["2026年新任代表履职培训班签到表", None, None, None, None],
        ["序号", "姓名", "公民身份号码", "培训班", "学时"],
        [1, d1.name, d1.id_number, training.name, None],
        [2, d2.name, d2.id_number.lower(), training.name, 4],
    ]
    data = write_table(rows, fmt, encoding=encoding, merge=("A1:E1",))
    return SimpleUploadedFile(f"签到表.{fmt}", data)


@pytest.mark.parametrize(("fmt", "encoding"), [("xls", None), ("csv", "gbk"), ("ods", None)])
def test_a_sign_in_sheet_in_each_format_is_imported_once(client_for, world, course, fmt, encoding):  # noqa: F811
    client = client_for("staff")
    page = client.get(IMPORT).content.decode()
    assert 'accept=".xlsx,.xls,.ods,.csv"' in page
    response = client.post(IMPORT, {"file": sign_in_sheet(world, course, fmt, encoding)})
    assert response.status_code == 302
    hours = dict(TrainingAttendance.objects.values_list("deputy_id", "hours"))
    assert hours == {world.deputy_a1.pk: 8, world.deputy_a2.pk: 4}
    assert DutyRecord.objects.filter(kind="training").count() == 2
    client.post(IMPORT, {"file": sign_in_sheet(world, course, fmt, encoding)})
    assert TrainingAttendance.objects.count() == 2


def test_a_word_file_is_refused_with_the_formats_named(client_for, course):  # noqa: F811
    response = client_for("staff").post(
        IMPORT, {"file": SimpleUploadedFile("签到表.xls", b"%PDF-1.5 scanned sign-in sheet")}
    )
    assert response.context["report"].errors == [
        "这是PDF文件,不是表格。请上传 .xlsx、.xls、.ods、.csv 格式的表格文件。"
    ]
    assert not TrainingAttendance.objects.exists()


@pytest.mark.parametrize("role", ["member", "deputy", "unit"])
def test_only_staff_import_a_sheet(client_for, world, course, role):  # noqa: F811
    response = client_for(role).post(IMPORT, {"file": sign_in_sheet(world, course, "xls")})
    assert response.status_code == 403
    assert not TrainingAttendance.objects.exists()
