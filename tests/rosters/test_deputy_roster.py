"""The deputies roster: messy cells read or reported by row and column, all or nothing,
re-import idempotent."""

import datetime

import pytest
from openpyxl.utils.datetime import to_excel

from core.idnumbers import make_id_number
from directory.models import Deputy, Mandate
from rosters.base import RowStatus
from rosters.services import roster_import_file
from tests.rosters.helpers import DEPUTY_HEADER, upload

BIRTH = datetime.date(1975, 3, 8)
ID_1 = make_id_number("510824", BIRTH, 401, "M")
# Ends in 000: the 15 significant digits Excel keeps of a number cell still make it whole.
ID_2 = make_id_number("510824", datetime.date(1975, 3, 15), 50, "F")
assert ID_2.endswith("000")
ID_3 = make_id_number("510824", BIRTH, 403, "M")
FULL_WIDTH = str.maketrans("0123456789", "0123456789")


def clean_rows(world):
    return [
        # full-width spaces and digits, a trailing space, a dotted text date
        (1, "王\u3000小明 ", "男", ID_1.translate(FULL_WIDTH), "1975.3.8", "中共党员",
         "甲一镇代表之家 ", "县级", "第十八届", "第3选区", "139 0000 0001"),
        # the ID number stored as a number, a 年月日 date, an empty gender
        (2, "李红", None, int(ID_2), "1975年3月15日", "群众",
         "甲一村联络站", "乡镇人大代表", 18, "第5选区", None),
        # an Excel serial date, the full level label
        (3, "赵强", "男", ID_3, to_excel(BIRTH), "", "甲一镇代表之家", "县人大代表", "18",
         "第3选区", 13900000003),
        # an exact repeat of the first row
        (1, "王\u3000小明 ", "男", ID_1.translate(FULL_WIDTH), "1975.3.8", "中共党员",
         "甲一镇代表之家 ", "县级", "第十八届", "第3选区", "139 0000 0001"),
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_messy_but_valid_file_previews_then_commits(world, users):
    rows = clean_rows(world)
    preview = roster_import_file(
        roster="deputies", uploaded_file=upload(DEPUTY_HEADER, rows), user=users["staff"]
    )
    assert preview.report_lines() == []
    assert preview.header_row == 3
    assert [r.status for r in preview.rows] == [
        RowStatus.CREATE,
        RowStatus.CREATE,
        RowStatus.CREATE,
        RowStatus.DUPLICATE,
    ]
    assert [r.row for r in preview.rows] == [4, 5, 6, 7]
    assert not Deputy.objects.filter(name="王小明").exists()  # a preview saves nothing

    saved = roster_import_file(
        roster="deputies",
        uploaded_file=upload(DEPUTY_HEADER, rows),
        user=users["staff"],
        commit=True,
    )
    assert saved.committed
    wang = Deputy.objects.get(name="王小明")
    assert wang.id_number == ID_1
    assert wang.birth_date == BIRTH
    assert wang.station == world.home_a1
    assert wang.party == "cpc"
    assert wang.phone == "13900000001"
    li = Deputy.objects.get(name="李红")
    assert (li.gender, li.station) == ("F", world.liaison_a1)
    mandate = li.mandates.get()
    assert (mandate.level, mandate.term, mandate.directly_elected) == ("township", 18, True)
    assert Deputy.objects.get(name="赵强").phone == "13900000003"


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(world, users):
    rows = clean_rows(world)
    for _ in range(2):
        preview = roster_import_file(
            roster="deputies",
            uploaded_file=upload(DEPUTY_HEADER, rows),
            user=users["staff"],
            commit=True,
        )
    assert [r.status for r in preview.rows] == [RowStatus.UNCHANGED] * 3 + [RowStatus.DUPLICATE]
    assert Deputy.objects.filter(name__in=["王小明", "李红", "赵强"]).count() == 3
    assert Mandate.objects.filter(deputy__name__in=["王小明", "李红", "赵强"]).count() == 3


@pytest.mark.django_db
def test_an_existing_deputy_is_updated_and_gains_a_mandate(world, users):
    deputy = world.deputy_a1
    rows = [
        (1, deputy.name, None, deputy.id_number, None, "中共党员", "甲一镇代表之家",
         "县", 18, "第2选区", None),
        (2, deputy.name, None, deputy.id_number, None, None, "甲一镇代表之家",
         "市", 5, "苍溪县", None),
    ]  # fmt: skip
    preview = roster_import_file(
        roster="deputies",
        uploaded_file=upload(DEPUTY_HEADER, rows),
        user=users["staff"],
        commit=True,
    )
    assert preview.report_lines() == []
    assert [r.status for r in preview.rows] == [RowStatus.UPDATE, RowStatus.UPDATE]
    assert preview.rows[0].changes == ["政治面貌", "选举单位/选区"]
    deputy.refresh_from_db()
    assert deputy.party == "cpc"
    assert dict(deputy.mandates.values_list("level", "constituency")) == {
        "county": "第2选区",
        "city": "苍溪县",
    }


@pytest.mark.django_db
def test_every_error_is_reported_by_row_and_column_and_nothing_is_saved(world, users):
    bad_check = ID_3[:17] + ("0" if ID_3[17] != "0" else "1")
    rows = [
        *clean_rows(world)[:2],
        (4, "张三", "男", float(ID_3), "1975.3.8", None, "甲一镇代表之家", "县", 18, "一", None),
        (5, "张四", "女", bad_check, None, None, "甲一镇代表之家", "县", 18, "一", None),
        (6, "张五", "女", ID_3, "1975.13.45", None, "不存在的站", "区", 18, "一", None),
        (7, "", "男", ID_3, "1976.3.8", "无", "乙一镇代表之家", "县", "十八届", None, None),
        (8, "王小明", "男", ID_1, "1975.3.8", "中共党员", "甲一镇代表之家", "县级",
         18, "第9选区", None),
    ]  # fmt: skip
    preview = roster_import_file(
        roster="deputies",
        uploaded_file=upload(DEPUTY_HEADER, rows),
        user=users["staff"],
        commit=True,
    )
    assert not preview.committed
    assert preview.report_lines() == [
        "第6行 D列“身份证号码”:公民身份号码被Excel存成了数字,末几位已经丢失;"
        "请把该列设为文本格式后重新录入",
        "第7行 D列“身份证号码”:公民身份号码校验码错误,请核对后重新填写。",
        "第8行 E列“出生年月”:“1975.13.45”不是出生年月(可写作1969.07、1969年7月或1969-07-15)",
        "第8行 C列“性别”:性别与公民身份号码不一致",
        "第8行 G列“进驻家站”:没有名为“不存在的站”的家站",
        "第9行 B列“代表姓名”:姓名为空",
        "第9行 E列“出生年月”:出生年月1976.3.8与公民身份号码中的1975-03-08不一致",
        "第9行 G列“进驻家站”:没有名为“乙一镇代表之家”的家站",
        "第10行:与第4行是同一代表的同一层级任职,但内容不同",
    ]
    # Not errors: values the portal does not know, listed once each for staff to map.
    assert preview.unknown_values == {"party": {"无": 1}, "level": {"区": 1}}
    assert [r.status for r in preview.rows][:2] == [RowStatus.CREATE, RowStatus.CREATE]
    assert not Deputy.objects.filter(name__in=["王小明", "李红"]).exists()


@pytest.mark.django_db
def test_an_empty_id_number_is_named_as_such(world, users):
    rows = [(1, "王小明", None, "\u3000 ", None, None, "甲一镇代表之家", "县", 18, "一")]
    preview = roster_import_file(
        roster="deputies", uploaded_file=upload(DEPUTY_HEADER, rows), user=users["staff"]
    )
    assert preview.report_lines() == ["第4行 D列“身份证号码”:公民身份号码为空"]


@pytest.mark.django_db
def test_a_deputy_of_another_county_cannot_be_changed_by_staff(world, users):
    other = world.deputy_b1
    rows = [(1, other.name, None, other.id_number, None, None, "甲一镇代表之家", "县", 18, "一")]
    preview = roster_import_file(
        roster="deputies", uploaded_file=upload(DEPUTY_HEADER, rows), user=users["staff"]
    )
    assert preview.report_lines() == ["第4行:该代表不在您管理的范围内,不能修改"]


@pytest.mark.django_db
def test_a_file_without_the_required_columns_is_refused(world, users):
    preview = roster_import_file(
        roster="deputies",
        uploaded_file=upload(["姓名", "身份证号"], [("王小明", ID_1)]),
        user=users["staff"],
    )
    assert preview.file_errors == ["缺少必填列:代表层级"]


@pytest.mark.django_db
def test_a_header_without_data_rows_says_so(world, users):
    preview = roster_import_file(
        roster="deputies", uploaded_file=upload(DEPUTY_HEADER, []), user=users["staff"]
    )
    assert preview.file_errors == ["第3行是表头,但下面没有数据行:这个文件没有可导入的内容。"]
    assert not preview.ok and not preview.rows


@pytest.mark.django_db
def test_a_new_person_with_two_mandates_takes_two_rows(world, users):
    rows = [
        (1, "王小明", None, ID_1, None, None, "甲一镇代表之家", "县", 18, "第1选区"),
        (2, "王小明", None, ID_1, None, None, "甲一镇代表之家", "乡镇", 18, "第2选区"),
    ]
    preview = roster_import_file(
        roster="deputies",
        uploaded_file=upload(DEPUTY_HEADER, rows),
        user=users["staff"],
        commit=True,
    )
    assert [r.status for r in preview.rows] == [RowStatus.CREATE, RowStatus.CREATE]
    deputy = Deputy.objects.get(name="王小明")
    assert sorted(deputy.mandates.values_list("level", flat=True)) == ["county", "township"]
