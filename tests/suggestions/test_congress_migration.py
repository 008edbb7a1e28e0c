"""Existing suggestions take the congress of their lead deputy's mandate when the congress level
comes in (suggestions 0009/0010): the county's for a county deputy, the township where a
township-only deputy is stationed; the timeline's 立案 becomes 登记."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.crypto import keyed_hash
from core.idnumbers import make_id_number

BEFORE = [("suggestions", "0008_extension_closed_on_reply")]
AFTER = [("suggestions", "0010_congress_required")]


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_existing_suggestions_take_the_congress_of_the_lead_deputys_mandate():
    executor = _executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Region = old.get_model("directory", "Region")
    county = Region.objects.create(name="迁移县", code="519901", level="county")
    township = Region.objects.create(
        name="迁移镇", code="519901001", level="township", parent=county, county=county
    )
    station = old.get_model("directory", "Station").objects.create(
        name="迁移镇代表之家", kind="home", county=county, township=township
    )
    Deputy = old.get_model("directory", "Deputy")
    Mandate = old.get_model("directory", "Mandate")
    leads = {}
    for n, level in enumerate(("county", "township")):
        id_number = make_id_number("519901", datetime.date(1970, 1, 1), n + 1, "M")
        leads[level] = Deputy.objects.create(
            name=f"迁移{level}",
            gender="M",
            birth_date=datetime.date(1970, 1, 1),
            id_number=id_number,
            id_number_hash=keyed_hash(id_number),
            county=county,
            station=station,
        )
        Mandate.objects.create(deputy=leads[level], level=level, term=18, constituency="第1选区")
    user = old.get_model("accounts", "User").objects.create(username="migrator")
    Suggestion = old.get_model("suggestions", "Suggestion")
    made = {
        level: Suggestion.objects.create(
            title=f"{level}建议",
            content="内容",
            category="roads",
            county=county,
            lead_deputy=lead,
            created_by=user,
            status="registered",
            number=f"2026-00{n}",
        )
        for n, (level, lead) in enumerate(leads.items(), start=1)
    }
    old.get_model("suggestions", "SuggestionEvent").objects.create(
        suggestion=made["county"], to_status="registered", round=1, note="立案"
    )

    executor = _executor()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = {
        s.title: (s.congress_level, s.congress_id)
        for s in new.get_model("suggestions", "Suggestion").objects.all()
    }
    assert rows == {"county建议": ("county", county.pk), "township建议": ("township", township.pk)}
    event = new.get_model("suggestions", "SuggestionEvent").objects.get()
    assert event.note == "登记"
    _executor().migrate(executor.loader.graph.leaf_nodes())
