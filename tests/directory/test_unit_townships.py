"""A township's government and bodies name their township (directory.HandlingUnit.township): they
answer the township congress's suggestions. Units that existed before were told apart by their
name alone; directory 0003 and link_townships_by_name give them their township."""

import importlib

import pytest
from django.apps import apps

from directory.models import HandlingUnit
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_handling_units_get_the_township_their_name_begins_with(world):
    """directory 0003: a township's government and bodies were told apart by name alone."""
    migration = importlib.import_module("directory.migrations.0003_handling_unit_township")
    government = f.make_unit(world.county_a, f"{world.a1.name}人民政府")
    station = f.make_unit(world.county_a, f"{world.a1.name}农业综合服务中心")
    county_body = f.make_unit(world.county_a, "县交通运输局")
    other_county = f.make_unit(world.county_b, f"{world.a1.name}人民政府")
    migration.link_townships(apps, None)
    linked = dict(HandlingUnit.objects.values_list("pk", "township_id"))
    assert linked[government.pk] == linked[station.pk] == world.a1.pk
    assert linked[county_body.pk] is None
    assert linked[other_county.pk] is None  # another county's unit is not this county's town's
    assert HandlingUnit.objects.link_townships_by_name(world.county_a.pk) == 0  # nothing left
