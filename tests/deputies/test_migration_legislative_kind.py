"""Deputies' opinions on draft laws were archived as 其他履职 before they had a kind of their own:
the migration moves those records (and only those) to 提出立法意见 and gives every year's scheme
the default rule for it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.crypto import keyed_hash
from core.idnumbers import make_id_number

BEFORE = [("deputies", "0021_small_problems_aid")]
AFTER = [("deputies", "0022_legislative_opinion_kind")]


@pytest.mark.django_db(transaction=True)
def test_legislative_opinions_leave_other_and_every_scheme_gets_their_rule():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    ContentType = old.get_model("contenttypes", "ContentType")
    county = old.get_model("directory", "Region").objects.create(
        name="迁移县", code="519902", level="county"
    )
    id_number = make_id_number("519902", datetime.date(1970, 1, 1), 1, "M")
    deputy = old.get_model("directory", "Deputy").objects.create(
        name="代表",
        gender="M",
        birth_date=datetime.date(1970, 1, 1),
        id_number=id_number,
        id_number_hash=keyed_hash(id_number),
        county=county,
    )
    opinion_type, _ = ContentType.objects.get_or_create(
        app_label="legislation", model="legislativeopinion"
    )
    manual_type, _ = ContentType.objects.get_or_create(
        app_label="deputies", model="manualdutyrecord"
    )
    DutyRecord = old.get_model("deputies", "DutyRecord")
    for source_type, source_id in ((opinion_type, 7), (manual_type, 8)):
        DutyRecord.objects.create(
            deputy=deputy,
            kind="other",
            occurred_on=datetime.date(2026, 5, 1),
            title="立法意见" if source_id == 7 else "其他",
            source_type=source_type,
            source_id=source_id,
        )
    Scheme = old.get_model("deputies", "ScoringScheme")
    Scheme.objects.create(year=2025)
    Scheme.objects.create(year=2026)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    kinds = dict(new.get_model("deputies", "DutyRecord").objects.values_list("source_id", "kind"))
    assert kinds == {7: "legislative_opinion", 8: "other"}
    rules = new.get_model("deputies", "ScoringRule").objects.filter(kind="legislative_opinion")
    assert sorted(rules.values_list("scheme__year", "group", "points", "cap")) == [
        (2025, "activity", Decimal(2), Decimal(10)),
        (2026, "activity", Decimal(2), Decimal(10)),
    ]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
