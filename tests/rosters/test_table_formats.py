"""A roster as offices send it — .xlsx, .xls (Excel 97–2003, WPS), .ods, a GBK or UTF-8 CSV —
goes through the one reader (core.tables) and gives the same preview and the same deputies; the
sheet can be named on the page and on the command line."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from directory.models import Deputy
from rosters.base import RowStatus
from rosters.models import ImportJob
from rosters.services import roster_import_file
from tests.rosters.helpers import DEPUTY_HEADER
from tests.rosters.test_deputy_roster import BIRTH, FULL_WIDTH, ID_1, ID_2, ID_3
from tests.tablefiles import write_table

UPLOAD = reverse("rosters:upload")
TITLE = ["苍溪县第十八届人大代表名册", *[None] * (len(DEPUTY_HEADER) - 1)]
UNIT = ["填报单位:县人大常委会代表工委", *[None] * (len(DEPUTY_HEADER) - 1)]
ROWS = [
    # full-width digits and spaces in text cells, a dotted date typed as text
    [1, "王\u3000小明 ", "男", ID_1.translate(FULL_WIDTH), "1975.3.8", "中共党员",
     "甲一镇代表之家 ", "县级", "第十八届", "第3选区", "139 0000 0001"],
    # the ID number typed as a number (its last digits are 000: 15 digits keep it whole)
    [2, "李红", None, int(ID_2), "1975年3月15日", "群众",
     "甲一村联络站", "乡镇人大代表", 18, "第5选区", None],
    # a real date cell, the phone typed as a number
    [3, "赵强", "男", ID_3, BIRTH, None, "甲一镇代表之家", "县人大代表", "18",
     "第3选区", 13900000003],
    # the first row again
    [1, "王\u3000小明 ", "男", ID_1.translate(FULL_WIDTH), "1975.3.8", "中共党员",
     "甲一镇代表之家 ", "县级", "第十八届", "第3选区", "139 0000 0001"],
]  # fmt: skip
MERGE = (f"A1:{chr(64 + len(DEPUTY_HEADER))}1",)
FILES = [
    ("xlsx", None),
    ("xls", None),
    ("ods", None),
    ("csv", "gbk"),  # Excel's "CSV (逗号分隔)" on a Chinese Windows
    ("csv", "utf-8-sig"),  # Excel's "CSV UTF-8"
]


def roster_file(fmt: str, encoding: str | None = None, **kwargs) -> SimpleUploadedFile:
    data = write_table(
        [TITLE, UNIT, DEPUTY_HEADER, *ROWS], fmt, encoding=encoding, merge=MERGE, **kwargs
    )
    return SimpleUploadedFile(f"代表名册.{fmt}", data)


def import_as_staff(users, uploaded: SimpleUploadedFile, *, commit: bool = False):
    return roster_import_file(
        roster="deputies", uploaded_file=uploaded, user=users["staff"], commit=commit
    )


@pytest.mark.django_db
def test_each_format_gives_the_same_preview(world, users):
    previews = {
        (fmt, encoding): import_as_staff(users, roster_file(fmt, encoding)).as_dict()
        for fmt, encoding in FILES
    }
    reference = previews[("xlsx", None)]
    assert reference["file_errors"] == [] and reference["ok"]
    assert reference["header_row"] == 3
    assert [(row["row"], row["status"]) for row in reference["rows"]] == [
        (4, RowStatus.CREATE),
        (5, RowStatus.CREATE),
        (6, RowStatus.CREATE),
        (7, RowStatus.DUPLICATE),
    ]
    for key, preview in previews.items():
        assert preview == reference, key
    assert not Deputy.objects.filter(name="王小明").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "encoding"), FILES[1:])
def test_each_format_saves_the_same_deputies(world, users, fmt, encoding):
    saved = import_as_staff(users, roster_file(fmt, encoding), commit=True)
    assert saved.committed, saved.report_lines()
    deputies = Deputy.objects.filter(name__in=["王小明", "李红", "赵强"])
    assert sorted(
        (d.id_number, d.name, d.birth_date, d.gender, d.phone, d.station_id) for d in deputies
    ) == sorted(
        [
            (ID_1, "王小明", BIRTH, "M", "13900000001", world.home_a1.pk),
            (ID_3, "赵强", BIRTH, "M", "13900000003", world.home_a1.pk),
            (ID_2, "李红", datetime.date(1975, 3, 15), "F", "", world.liaison_a1.pk),
        ]
    )
    again = import_as_staff(users, roster_file(fmt, encoding), commit=True)
    assert [row.status for row in again.rows] == [RowStatus.UNCHANGED] * 3 + [RowStatus.DUPLICATE]


def test_a_file_that_is_no_table_is_refused_with_the_formats_named(users):
    preview = import_as_staff(users, SimpleUploadedFile("名册.xls", b"%PDF-1.4 not a table"))
    assert preview.file_errors == [
        "这是PDF文件,不是表格。请上传 .xlsx、.xls、.ods、.csv 格式的表格文件。"
    ]
    assert not preview.rows


# --- The sheet -----------------------------------------------------------------------------------


def two_sheets(fmt: str = "xls") -> SimpleUploadedFile:
    """A workbook whose first sheet is a note and whose second holds the roster."""
    data = write_table(
        [["填表说明:请勿修改表头"], ["身份证号请以文本格式填写"]],
        fmt,
        sheet="说明",
        sheets={"代表名单": [TITLE, UNIT, DEPUTY_HEADER, *ROWS[:3]]},
    )
    return SimpleUploadedFile(f"名册.{fmt}", data)


@pytest.mark.django_db
def test_the_page_reads_the_sheet_named_on_the_form(
    client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("staff")
    page = client.get(UPLOAD).content.decode()
    assert 'accept=".xlsx,.xls,.ods,.csv"' in page and "工作表" in page
    response = client.post(
        UPLOAD, {"roster": "deputies", "file": two_sheets(), "sheet": "代表名单"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert (job.sheet, job.header_row) == ("代表名单", 3)
    assert job.head[2][:3] == ["序号", "代表姓名", "性别"]
    mapping = client.get(reverse("rosters:mapping", args=[job.pk])).context["form"]
    data = {name: mapping[name].value() for name in mapping.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rosters:mapping", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.error
    assert job.result["counts"]["create"] == 3


@pytest.mark.django_db
def test_an_unknown_sheet_is_refused_on_the_form_and_nothing_is_kept(client_for):
    response = client_for("staff").post(
        UPLOAD, {"roster": "deputies", "file": two_sheets("xlsx"), "sheet": "名单"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "文件中没有名为“名单”的工作表。文件中的工作表:“说明”、“代表名单”。"
    ]
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_without_a_sheet_name_the_first_sheet_is_read(world, users):
    preview = roster_import_file(roster="deputies", uploaded_file=two_sheets(), user=users["staff"])
    # The note sheet is the first with data: its rows hold no header (staff name the sheet).
    assert preview.file_errors == ["没有找到表头:前15行中没有可识别的列名。"]
    assert not preview.rows


@pytest.mark.django_db
def test_the_command_takes_a_sheet(world, tmp_path, capsys):
    path = tmp_path / "名册.xls"
    path.write_bytes(two_sheets().read())
    call_command("import_roster", str(path), "--sheet", "代表名单")
    assert "3 rows: 3 to create, 0 to update" in capsys.readouterr().out
    assert Deputy.objects.filter(name__in=["王小明", "李红", "赵强"]).count() == 3


def test_the_upload_page_refuses_other_roles(client_for):
    for role in ("member", "deputy", "unit"):
        assert client_for(role).post(UPLOAD, {"roster": "deputies"}).status_code == 403
