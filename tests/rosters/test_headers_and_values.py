"""表头与取值: headers recognised as offices write them, one value for a whole column (the mapping
page and ``--set``), the fixed lists read in their usual forms, ID numbers and phones as typed."""

import datetime
import decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.headers import header_key
from core.idnumbers import id_number_from_cell, make_id_number
from directory.models import Deputy, Party, Station
from elections.structure import structure_mix
from rosters import cells
from rosters.deputy_roster import COLUMNS as DEPUTY_COLUMNS
from rosters.services import roster_import_file
from rosters.sheets import column_for_label, detect_mapping
from rosters.values import ETHNICITIES, Lookup, occupation_category, vocabularies
from rosters.voter_roster import VoterRoster
from tests import factories as f
from tests.rosters.helpers import upload, workbook_bytes

ID = make_id_number("510824", datetime.date(1969, 7, 15), 12, "M")


def mapped(headers, columns=DEPUTY_COLUMNS):
    return {key: headers[col] for key, col in detect_mapping(tuple(headers), columns).items()}


def test_headers_are_found_by_label_synonym_or_containing_one():
    headers = [
        "序号", "姓 名", "＊性别", "出生年月", "公民身份号码", "联系方式", "所在选区",
        "代表级别", "届次(必填)", "民族：", "职业", "代表构成", "工作单位及职务",
    ]  # fmt: skip
    assert mapped(headers) == {
        "name": "姓 名",
        "gender": "＊性别",
        "birth_date": "出生年月",
        "id_number": "公民身份号码",
        "phone": "联系方式",
        "constituency": "所在选区",
        "level": "代表级别",
        "term": "届次(必填)",
        "ethnicity": "民族：",
        "occupation_title": "职业",
        "occupation": "代表构成",
        "workplace": "工作单位及职务",
    }


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("选区名称", "constituency"),
        ("选举单位（选区）", "constituency"),
        ("选举单位(选区)", "constituency"),
        ("手机号", "phone"),
        ("联系电话", "phone"),
        ("出生日期", "birth_date"),
        ("身份证号", "id_number"),
        ("身份证号码", "id_number"),
        ("公民身份号码*", "id_number"),
        ("姓  名", "name"),
    ],
)
def test_each_usual_header_is_its_column(header, key):
    assert detect_mapping((header,), DEPUTY_COLUMNS) == {key: 0}


def test_the_more_specific_header_wins_and_no_sheet_column_serves_two():
    # 代表姓名 is the deputy's, 姓名 the voter's, though 代表姓名 contains 姓名.
    assert mapped(["姓名", "代表姓名", "代表身份证号码"], VoterRoster.COLUMNS) == {
        "name": "姓名",
        "deputy_name": "代表姓名",
        "deputy_id_number": "代表身份证号码",
    }
    # One 职业类别 column: the category takes it exactly, 职业 (contained) is left unmapped.
    assert mapped(["职业类别"]) == {"occupation": "职业类别"}
    # A title row names things but is too long to be a header.
    assert detect_mapping(("甲县第十八届人民代表大会代表花名册(选区、届次)",), DEPUTY_COLUMNS) == {}


def test_a_header_key_folds_full_width_brackets_spaces_stars_and_required_marks():
    assert header_key(" 选举单位（选区）* ") == "选举单位(选区)"
    assert header_key("身份证号码（必填）") == "身份证号码"


def test_a_column_is_named_by_its_label_or_a_synonym():
    assert column_for_label("届次", DEPUTY_COLUMNS).key == "term"
    assert column_for_label("选区", DEPUTY_COLUMNS).key == "constituency"
    with pytest.raises(Exception, match="没有名为“星座”的列;可用的列:姓名、公民身份号码"):
        column_for_label("星座", DEPUTY_COLUMNS)


# Values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("中共党员", Party.CPC), ("党员", Party.CPC), ("中国共产党党员", Party.CPC),
        ("中共预备党员", Party.CPC_PROBATIONARY), ("预备党员", Party.CPC_PROBATIONARY),
        ("共青团员", Party.CYL), ("团员", Party.CYL),
        ("民革党员", Party.RCCK), ("民革", Party.RCCK),
        ("民盟盟员", Party.CDL), ("民盟", Party.CDL),
        ("民建会员", Party.CNDCA), ("民进会员", Party.CAPD),
        ("农工党党员", Party.CPWDP), ("致公党党员", Party.CZGP),
        ("九三学社社员", Party.JIUSAN), ("九三", Party.JIUSAN),
        ("台盟盟员", Party.TDSL), ("无党派人士", Party.NONPARTISAN), ("无党派", Party.NONPARTISAN),
        ("群众", Party.NONE), (" 中共 党员 ", Party.CPC),
    ],
)  # fmt: skip
def test_every_gbt_4762_party_and_its_short_forms(written, stored):
    assert Lookup(vocabularies()["party"])(written) == stored


def test_the_56_ethnic_groups_with_or_without_zu():
    lookup = Lookup(vocabularies()["ethnicity"])
    assert len(ETHNICITIES) == len(set(ETHNICITIES)) == 56
    for name in ETHNICITIES:
        assert lookup(name) == name
        assert lookup(name.removesuffix("族")) == name
    assert (lookup("汉"), lookup("土家"), lookup("维族")) == ("汉族", "土家族", "维吾尔族")
    assert lookup.unknown == {}


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("研究生", "postgraduate"), ("硕士", "postgraduate"), ("博士研究生", "postgraduate"),
        ("在职研究生", "postgraduate"), ("大学本科", "university"), ("本科", "university"),
        ("大学", "university"), ("全日制本科", "university"), ("本科学历", "university"),
        ("大专", "college"), ("专科", "college"), ("大学专科", "college"),
        ("中专", "high_school"), ("高中", "high_school"), ("中技", "high_school"),
        ("职高", "high_school"), ("初中", "middle_school"), ("小学", "middle_school"),
        ("初中文化", "middle_school"),
    ],
)  # fmt: skip
def test_education_in_its_usual_variants(written, stored):
    assert Lookup(vocabularies()["education"])(written) == stored


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("教师", "professional"), ("医生", "professional"), ("医务人员", "professional"),
        ("护士", "professional"), ("社区医生", "professional"),
        ("村支部书记", "village_cadre"), ("村党支部书记", "village_cadre"),
        ("村主任", "village_cadre"), ("社区书记", "village_cadre"),
        ("机关干部", "cadre"), ("公务员", "cadre"), ("农民", "farmer"), ("工人", "worker"),
        ("企业负责人", "entrepreneur"), ("解放军", "military"), ("武警", "military"),
    ],
)  # fmt: skip
def test_an_occupation_gives_its_category(written, category):
    assert Lookup(vocabularies()["occupation"])(written) == category


def test_an_unknown_value_is_counted_once_per_value_and_a_remembered_one_is_used():
    lookup = Lookup(vocabularies()["occupation"], {"自由职业者": "other"})
    assert occupation_category("网格管理员") is None
    for value in ("网格管理员", "网格管理员", "退休", "自由职业者", None, ""):
        lookup(value)
    assert lookup.unknown == {"网格管理员": 2, "退休": 1}
    # The county's choice comes before the portal's guess from words.
    assert Lookup(vocabularies()["occupation"], {"乡村医生": "farmer"})("乡村医生") == "farmer"


# Cells -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "'" + ID,
        "‘" + ID,
        " ".join([ID[:6], ID[6:14], ID[14:]]),
        ID.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        ID[:6] + "\u3000" + ID[6:],
    ],
)
def test_an_id_number_as_typed_is_read_as_its_18_characters(cell):
    assert cells.id_number(cell) == ID


def test_an_id_number_stored_as_a_number_keeps_its_digits_when_they_are_intact():
    number = make_id_number("510824", datetime.date(1975, 3, 15), 50, "F")
    assert number.endswith("000")
    scientific = f"{decimal.Decimal(number):.14E}"  # as Excel shows it: 5.10824197503151E+17
    for cell in (int(number), float(number), decimal.Decimal(number), scientific):
        assert cells.id_number(cell) == number, cell
    assert id_number_from_cell(number[:17] + "x") == number[:17] + "X"
    with pytest.raises(cells.CellError, match="末几位已经丢失"):
        cells.id_number(float(ID))  # Excel kept 15 of its 18 digits


@pytest.mark.parametrize(
    ("cell", "phone"),
    [
        ("139 0000 0001", "13900000001"),
        ("139-0000-0001", "13900000001"),
        ("１３９０００００００１", "13900000001"),
        (13900000001, "13900000001"),
        (13900000001.0, "13900000001"),
        ("+86 139 0000 0001", "13900000001"),
        ("0839-5221234", "0839-5221234"),
        ("08395221234", "0839-5221234"),
        ("(0839)5221234", "0839-5221234"),
        ("（0839）5221234", "0839-5221234"),
        ("010-12345678", "010-12345678"),
        ("", ""),
    ],
)
def test_a_phone_as_typed(cell, phone):
    assert cells.phone(cell) == phone


@pytest.mark.parametrize("cell", ["5221234", "1390000001", "12345678901", "电话待补"])
def test_a_phone_that_is_neither_mobile_nor_landline_with_area_code_is_an_error(cell):
    with pytest.raises(cells.CellError, match="不是有效的电话号码"):
        cells.phone(cell)


# One value for the whole file ------------------------------------------------------------------

OFFICE_HEADER = ["姓名", "身份证号码", "所在选区"]


@pytest.mark.django_db
def test_set_gives_a_missing_column_one_value_and_term_defaults_to_the_current(
    world, tmp_path, capsys
):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(workbook_bytes(OFFICE_HEADER, [("王小明", ID, "第1选区")]))
    with pytest.raises(CommandError, match="1 errors, nothing saved"):
        call_command("import_roster", str(path))
    assert capsys.readouterr().err.splitlines() == ["缺少必填列:代表层级"]
    call_command("import_roster", str(path), "--set", "级别=县", "--set", "进驻家站=甲一镇代表之家")
    deputy = Deputy.objects.get(name="王小明")
    assert deputy.station == world.home_a1
    mandate = deputy.mandates.get()
    # No 届次 in the file or the command: county A's current county term (the world's: 18).
    assert (mandate.level, mandate.term, mandate.constituency) == ("county", 18, "第1选区")
    call_command("import_roster", str(path), "--set", "代表层级=县", "--set", "届次=第十九届")
    assert "1 to update" in capsys.readouterr().out
    assert deputy.mandates.get().term == 19


@pytest.mark.django_db
def test_set_with_an_unknown_label_or_a_bad_value_is_refused_plainly(world, tmp_path, capsys):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(workbook_bytes(OFFICE_HEADER, [("王小明", ID, "第1选区")]))
    with pytest.raises(CommandError, match="没有名为“星座”的列;可用的列:姓名、公民身份号码"):
        call_command("import_roster", str(path), "--set", "星座=狮子")
    with pytest.raises(CommandError, match="LABEL=VALUE"):
        call_command("import_roster", str(path), "--set", "届次")
    with pytest.raises(CommandError, match="1 errors"):
        call_command(
            "import_roster", str(path), "--set", "代表层级=县", "--set", "届次=一百",
            "--set", f"所属县={world.county_a.name}",
        )  # fmt: skip
    assert capsys.readouterr().err.splitlines() == ["第4行 整列取值“届次”:“一百”不是整数"]
    assert not Deputy.objects.filter(name="王小明").exists()


@pytest.mark.django_db
def test_a_simple_roster_takes_a_whole_column_value(world, tmp_path, capsys):
    path = tmp_path / "家站.xlsx"
    path.write_bytes(
        workbook_bytes(["家站名称", "所属乡镇"], [("甲一镇新代表之家", world.a1.name)])
    )
    call_command(
        "import_roster", str(path), "--roster", "stations",
        "--set", "类型=代表之家", "--set", f"县={world.county_a.name}",
    )  # fmt: skip
    assert "1 to create" in capsys.readouterr().out
    station = Station.objects.get(name="甲一镇新代表之家")
    assert (station.kind, station.county) == (Station.Kind.HOME, world.county_a)


# Statistics ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nonpartisan_is_counted_apart_from_the_masses(world, users):
    for party in ("nonpartisan", "nonpartisan", "none", "cdl"):
        f.make_deputy(world.home_a1, party=party)
    _total, mix = structure_mix(
        user=users["staff"],
        county_id=world.county_a.pk,
        level="county",
        term=18,
        reference=timezone.localdate(),
    )
    counts = {share.code: share.count for share in mix["party"]}
    base = Deputy.objects.filter(pk__in=[world.deputy_a1.pk, world.deputy_a2.pk])
    assert counts["nonpartisan"] == 2
    assert counts["cdl"] == 1
    assert counts["none"] == 1 + base.filter(party="none").count()


@pytest.mark.django_db
def test_a_left_out_term_keeps_an_existing_mandates_and_needs_a_current_one(world, users):
    deputy = world.deputy_a1
    deputy.mandates.update(term=17)
    rows = [
        (deputy.name, deputy.id_number, "县"),
        ("王小明", ID, "市"),  # no city deputy in county A yet: no current city term
    ]
    preview = roster_import_file(
        roster="deputies",
        uploaded_file=upload(["姓名", "身份证号码", "代表层级"], rows),
        user=users["staff"],
    )
    assert [r.status for r in preview.rows] == ["unchanged", "error"]
    assert preview.report_lines() == [
        "第5行:届次为空,本县也还没有该层级的在任代表可推定当前届次;请填写届次"
    ]
    assert deputy.mandates.get().term == 17
