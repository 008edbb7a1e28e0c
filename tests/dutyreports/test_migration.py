"""Campaigns opened before batches existed keep the batch the old rule asked for: everyone who
reported, and every directly elected deputy whose mandate had begun by the deadline."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.crypto import keyed_hash
from core.idnumbers import make_id_number

BEFORE = [("dutyreports", "0005_directory_references")]
AFTER = [("dutyreports", "0006_campaign_organiser_batch")]


@pytest.mark.django_db(transaction=True)
def test_a_past_campaign_keeps_its_whole_roster_batch():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Region = old.get_model("directory", "Region")
    Deputy = old.get_model("directory", "Deputy")
    Mandate = old.get_model("directory", "Mandate")
    county = Region.objects.create(name="迁移县", code="519901", level="county")
    user = old.get_model("accounts", "User").objects.create(username="m_staff")

    def deputy(n: int, *, started_on, level="county", directly=True, reported_to=None):
        id_number = make_id_number("519901", datetime.date(1970, 1, 1), n, "M")
        made = Deputy.objects.create(
            name=f"代表{n}",
            gender="M",
            birth_date=datetime.date(1970, 1, 1),
            id_number=id_number,
            id_number_hash=keyed_hash(id_number),
            county=county,
        )
        Mandate.objects.create(
            deputy=made,
            level=level,
            term=18,
            constituency="第1选区",
            directly_elected=directly,
            started_on=started_on,
        )
        return made

    Campaign = old.get_model("dutyreports", "ReportCampaign")
    campaign = Campaign.objects.create(
        county=county, year=2024, deadline=datetime.date(2024, 12, 31), opened_by=user
    )
    reported = deputy(1, started_on=datetime.date(2021, 12, 20))
    missing = deputy(2, started_on=None)
    later = deputy(3, started_on=datetime.date(2025, 3, 1))  # elected after that campaign
    appointed = deputy(4, started_on=datetime.date(2021, 12, 20), level="city", directly=False)
    township = deputy(5, started_on=datetime.date(2021, 12, 20), level="township")
    old.get_model("dutyreports", "DutyReport").objects.create(
        campaign=campaign, deputy=reported, written_text="述职", entered_by=user
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    members = dict(
        new.get_model("dutyreports", "BatchMember")
        .objects.filter(campaign_id=campaign.pk)
        .values_list("deputy_id", "source")
    )
    # The old rule asked every directly elected deputy (both levels) in office by the deadline.
    assert set(members) == {reported.pk, missing.pk, township.pk}
    assert later.pk not in members and appointed.pk not in members
    assert set(members.values()) == {"history"}
    assert new.get_model("dutyreports", "ReportCampaign").objects.get().township_id is None
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
