"""The stations and handling units rosters."""

import pytest

from directory.models import HandlingUnit, Station
from rosters.base import RowStatus
from rosters.models import ValueMapping
from rosters.services import roster_import_file
from tests.rosters.helpers import upload

STATION_HEADER = ["序号", "乡镇", "家站名称", "类型", "村(社区)", "地址", "接待日"]
UNIT_HEADER = ["承办单位", "单位类别", "联系人", "联系电话"]


def station_rows(world, village):
    return [
        (1, world.a1.name, "甲一镇代表之家", "代表之家", None, "新地址 ", "每月20日"),
        (2, world.a1.name, "新联络站", "联络站", village.name, "村委会", 10),
        (3, world.a1.name, "新联络站", "联络站", village.name, "村委会", 10),
        (4, world.a2.name, "新家", "代表之家", None, None, None),
    ]


@pytest.fixture
def village(world):
    from tests.factories import make_village

    return make_village(world.a1, "桥溪村")


@pytest.mark.django_db
def test_stations_are_created_updated_and_reimport_changes_nothing(world, users, village):
    rows = station_rows(world, village)
    preview = roster_import_file(
        roster="stations", uploaded_file=upload(STATION_HEADER, rows), user=users["staff"],
        commit=True,
    )  # fmt: skip
    assert preview.report_lines() == []
    assert [r.status for r in preview.rows] == [
        RowStatus.UPDATE,
        RowStatus.CREATE,
        RowStatus.DUPLICATE,
        RowStatus.CREATE,
    ]
    assert preview.rows[0].changes == ["地址", "每月固定接待日"]
    home = Station.objects.get(pk=world.home_a1.pk)
    assert (home.address, home.reception_day) == ("新地址", 20)
    liaison = Station.objects.get(name="新联络站")
    assert (liaison.village, liaison.county, liaison.reception_day) == (village, world.county_a, 10)
    # Bulk-created stations carry their pinyin search keys like saved ones.
    assert (liaison.name_pinyin, liaison.name_initials) == ("xinlianluozhan", "xllz")
    again = roster_import_file(
        roster="stations", uploaded_file=upload(STATION_HEADER, rows), user=users["staff"],
        commit=True,
    )  # fmt: skip
    assert [r.status for r in again.rows] == [RowStatus.UNCHANGED] * 2 + [
        RowStatus.DUPLICATE,
        RowStatus.UNCHANGED,
    ]


@pytest.mark.django_db
def test_station_errors_by_row_and_column(world, users, village):
    rows = [
        (1, world.b1.name, "站", "代表之家", None, None, None),
        (2, world.a1.name, "站2", "联络站", None, None, 31),
        (3, world.a1.name, "站3", "驿站", "无此村", None, None),
    ]
    preview = roster_import_file(
        roster="stations", uploaded_file=upload(STATION_HEADER, rows), user=users["staff"],
        commit=True,
    )  # fmt: skip
    county = world.county_a.name
    assert preview.report_lines() == [
        f"第4行 B列“乡镇”:{county}没有名为“{world.b1.name}”的乡镇(街道)",
        "第5行 E列“村(社区)”:代表联络站须设在村(社区)",
        "第5行 G列“接待日”:接待日应为每月1–28日",
        f"第6行 E列“村(社区)”:{world.a1.name}没有名为“无此村”的村(社区)",
    ]
    # Not an error: a type the portal does not know, listed for staff to map.
    assert preview.unknown_values == {"station_kind": {"驿站": 1}}
    assert not Station.objects.filter(name__in=["站", "站2", "站3"]).exists()


@pytest.mark.django_db
def test_handling_units(world, users):
    rows = [
        ("甲县交通运输局", "政府部门", "张科长", "0839-1234567"),
        ("县人民法院", "法院", None, None),
        ("县人民法院", "法院", None, None),
    ]
    preview = roster_import_file(
        roster="units", uploaded_file=upload(UNIT_HEADER, rows), user=users["staff"], commit=True
    )
    assert preview.report_lines() == []
    assert [r.status for r in preview.rows] == [
        RowStatus.UPDATE,
        RowStatus.CREATE,
        RowStatus.DUPLICATE,
    ]
    assert HandlingUnit.objects.get(pk=world.unit_a.pk).contact_person == "张科长"
    assert HandlingUnit.objects.get(name="县人民法院").county == world.county_a
    again = roster_import_file(
        roster="units", uploaded_file=upload(UNIT_HEADER, rows), user=users["staff"], commit=True
    )
    assert [r.status for r in again.rows][:2] == [RowStatus.UNCHANGED] * 2
    bad = roster_import_file(
        roster="units", uploaded_file=upload(UNIT_HEADER, [("某局", "部委", None, None)]),
        user=users["staff"],
    )  # fmt: skip
    assert bad.report_lines() == [] and not bad.ok
    assert bad.unknown_values == {"unit_kind": {"部委": 1}}
    ValueMapping.objects.create(
        county=world.county_a, column="unit_kind", raw_value="部委", value="government"
    )
    mapped = roster_import_file(
        roster="units", uploaded_file=upload(UNIT_HEADER, [("某局", "部委", None, None)]),
        user=users["staff"], commit=True,
    )  # fmt: skip
    assert mapped.committed
    assert HandlingUnit.objects.get(name="某局").kind == "government"


@pytest.mark.django_db
def test_a_township_body_imported_takes_its_township(world, users):
    rows = [
        (f"{world.a1.name}人民政府", "乡镇人民政府(街道办事处)", None, None),
        ("县农业农村局", "政府部门", None, None),
    ]
    roster_import_file(
        roster="units", uploaded_file=upload(UNIT_HEADER, rows), user=users["staff"], commit=True
    )
    assert HandlingUnit.objects.get(name=f"{world.a1.name}人民政府").township == world.a1
    assert HandlingUnit.objects.get(name="县农业农村局").township is None
