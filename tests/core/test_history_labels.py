"""History rows name fields, choices and related records by their labels ("状态:已受理 → 已转办",
"转办单位:— → 甲县交通运输局"), on the portal's panels and in the admin, in a fixed number of
queries."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.history import ChangeRow, history_for
from stations.models import Opinion
from tests import factories as f


def make_opinion(world, **fields) -> Opinion:
    return Opinion.objects.create(
        channel=Opinion.Channel.VISIT,
        township=world.a1,
        station=world.home_a1,
        category="education",
        content="村小学门口缺少减速带",
        **fields,
    )


def forward(opinion, unit) -> None:
    opinion.status = Opinion.Status.FORWARDED
    opinion.handling_unit = unit
    opinion.save()


def test_history_rows_show_field_choice_and_related_labels(users, world):
    opinion = make_opinion(world)
    forward(opinion, world.unit_a)
    latest = history_for(users["admin"], opinion)[0]
    assert latest.action == LogEntry.Action.UPDATE
    rows = set(latest.change_rows)
    assert ChangeRow("状态", "已受理", "已转办") in rows
    assert ChangeRow("转办单位", "—", "甲县交通运输局") in rows
    assert not any("forwarded" in (r.old + r.new) for r in rows)


def test_history_needs_the_audit_permission(users, world):
    opinion = make_opinion(world)
    assert history_for(users["deputy"], opinion) is None


def test_the_admin_entry_shows_labels(client_for, users, world):
    opinion = make_opinion(world)
    forward(opinion, world.unit_a)
    entry = LogEntry.objects.get_for_object(opinion).filter(action=LogEntry.Action.UPDATE).get()
    client = client_for("admin")
    html = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).content.decode()
    assert "已转办" in html and "甲县交通运输局" in html
    assert "forwarded" not in html
    listing = client.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    assert "2 项:状态、转办单位" in listing or "2 项:转办单位、状态" in listing
    assert "change:" not in listing


def test_the_portal_history_panel_shows_labels(client_for, users, world):
    station = world.home_a1
    station.kind = station.Kind.LIAISON
    station.save()
    html = client_for("admin").get(reverse("stations:detail", args=[station.pk])).content.decode()
    assert "代表之家 → 代表联络站" in html
    assert "home → liaison" not in html
    # The panel is in the page once, not in its <title>.
    assert html.count("变更记录") == 1


@pytest.mark.parametrize("n", [3])
def test_history_queries_do_not_grow_with_entries(users, world, n):
    def queries(count: int) -> int:
        opinion = make_opinion(world)
        units = [world.unit_a, f.make_unit(world.county_a)]
        for i in range(count):
            forward(opinion, units[i % 2])
            opinion.status = Opinion.Status.RECEIVED
            opinion.save()
        with CaptureQueriesContext(connection) as ctx:
            history_for(users["admin"], opinion)
        return len(ctx.captured_queries)

    # The entries with their actors and content types, then one query for the handling units.
    assert queries(n) == queries(3 * n)
