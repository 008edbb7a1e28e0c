import pytest
from django.core.exceptions import ValidationError

from directory.models import Region, Station
from tests import factories as f


def test_region_county_is_denormalised_down_the_tree(world):
    village = f.make_village(world.a1)
    assert world.a1.county_id == world.county_a.pk
    assert village.county_id == world.county_a.pk


def test_a_village_must_sit_under_a_township(world):
    region = Region(name="错村", code="X1", level=Region.Level.VILLAGE, parent=world.county_a)
    with pytest.raises(ValidationError) as excinfo:
        region.full_clean()
    assert "parent" in excinfo.value.message_dict


def test_a_liaison_station_needs_a_village_of_its_own_township(world):
    other_village = f.make_village(world.a2)
    station = Station(
        name="错站", kind=Station.Kind.LIAISON, township=world.a1, village=other_village
    )
    with pytest.raises(ValidationError) as excinfo:
        station.full_clean()
    assert "不属于所选乡镇" in excinfo.value.message_dict["village"][0]
    station.village = None
    with pytest.raises(ValidationError) as excinfo:
        station.full_clean()
    assert "village" in excinfo.value.message_dict


def test_reception_day_must_exist_in_every_month(world):
    station = Station(name="新站", kind=Station.Kind.HOME, township=world.a1, reception_day=31)
    with pytest.raises(ValidationError) as excinfo:
        station.full_clean()
    assert "reception_day" in excinfo.value.message_dict


def test_station_county_follows_its_township(world):
    assert world.liaison_a1.county_id == world.county_a.pk
