import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.idnumbers import make_id_number
from directory.models import Deputy, Mandate


def deputy_with(world, **fields) -> Deputy:
    values = {
        "name": "测试",
        "gender": "M",
        "birth_date": datetime.date(1975, 3, 8),
        "id_number": make_id_number("510824", datetime.date(1975, 3, 8), 1, "M"),
        "station": world.home_a1,
    }
    values.update(fields)
    return Deputy(**values)


def test_clean_accepts_a_consistent_person(world):
    deputy = deputy_with(
        world, id_number=make_id_number("510824", datetime.date(1975, 3, 8), 1, "M").lower()
    )
    deputy.full_clean()
    assert deputy.id_number.isupper() or deputy.id_number[-1].isdigit()


def test_clean_reports_birth_date_and_gender_that_contradict_the_id_number(world):
    deputy = deputy_with(world, birth_date=datetime.date(1975, 3, 9), gender="F")
    with pytest.raises(ValidationError) as excinfo:
        deputy.full_clean()
    assert set(excinfo.value.message_dict) >= {"birth_date", "gender"}
    assert "1975-03-08" in excinfo.value.message_dict["birth_date"][0]


def test_clean_reports_a_bad_id_number_on_its_field(world):
    deputy = deputy_with(world, id_number="510824197503080350")
    with pytest.raises(ValidationError) as excinfo:
        deputy.full_clean()
    assert "校验码" in excinfo.value.message_dict["id_number"][0]


def test_id_number_is_unique(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        deputy_with(world, id_number=world.deputy_a1.id_number).save()


def test_one_person_may_hold_mandates_at_several_levels_but_one_active_per_level(world):
    deputy = world.deputy_a1
    Mandate.objects.create(deputy=deputy, level="township", term=18, constituency="第2选区")
    Mandate.objects.create(
        deputy=deputy, level="county", term=17, constituency="旧选区", is_active=False
    )
    assert deputy.mandates.filter(is_active=True).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(deputy=deputy, level="county", term=18, constituency="第3选区")


def test_mandate_end_before_start_is_refused(world):
    mandate = Mandate(
        deputy=world.deputy_a1,
        level="city",
        term=9,
        constituency="苍溪县",
        is_active=False,
        started_on=datetime.date(2022, 1, 1),
        ended_on=datetime.date(2021, 1, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        mandate.full_clean()
    assert "ended_on" in excinfo.value.message_dict
