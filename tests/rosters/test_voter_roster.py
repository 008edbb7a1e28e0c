"""The voters roster: voters linked to deputies by the deputy's ID number."""

import pytest

from linkages.models import Voter
from rosters.base import RowStatus
from rosters.services import roster_import_file
from tests.factories import make_village
from tests.rosters.helpers import upload

HEADER = ["联系代表", "代表身份证号码", "选民姓名", "手机", "村"]


@pytest.mark.django_db
def test_voters_are_linked_and_reimport_adds_nobody(world, users):
    village = make_village(world.a1, "桥溪村")
    d1, d2 = world.deputy_a1, world.deputy_a2
    rows = [
        (d1.name, d1.id_number, "王大爷 ", "13800001111", "桥溪村"),
        (None, f" {d2.id_number.lower()} ", "李大娘", None, None),
        (d1.name, d1.id_number, "王大爷", "138 0000 1111", "桥溪村"),
    ]
    for _ in range(2):
        preview = roster_import_file(
            roster="voters", uploaded_file=upload(HEADER, rows), user=users["staff"], commit=True
        )
        assert preview.report_lines() == []
    assert [r.status for r in preview.rows] == [
        RowStatus.UNCHANGED,
        RowStatus.UNCHANGED,
        RowStatus.DUPLICATE,
    ]
    voter = Voter.objects.get(deputy=d1, phone_hash__gt="")
    assert (voter.name, voter.phone, voter.village) == ("王大爷", "13800001111", village)
    assert voter.name_masked and voter.phone_masked
    assert Voter.objects.filter(deputy__in=[d1, d2]).count() == 2


@pytest.mark.django_db
def test_voter_errors(world, users):
    rows = [
        ("张三", world.deputy_a1.id_number, "王大爷", None, None),
        (None, world.deputy_b1.id_number, "李大娘", None, "无此村"),
        (None, world.deputy_a1.id_number, "", None, "无此村"),
    ]
    preview = roster_import_file(
        roster="voters", uploaded_file=upload(HEADER, rows), user=users["staff"], commit=True
    )
    assert preview.report_lines() == [
        "第4行 A列“联系代表”:代表姓名与公民身份号码不符",
        "第5行 B列“代表身份证号码”:您管理的范围内没有这个公民身份号码的代表",
        "第6行 C列“选民姓名”:选民姓名为空",
        "第6行 E列“村”:没有名为“无此村”的村(社区)",
    ]
    assert not Voter.objects.exists()
