"""A ledger entry's duty records name its kind once, even when the theme repeats it
("法律进社区:法律进社区:民法典宣讲" was the title of a theme typed as "法律进社区:民法典宣讲");
the data migration mends the titles already written."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from deputies.models import DutyRecord
from stations.models import StationActivity
from stations.models.ledger import duty_title
from stations.services.ledger import activity_save


@pytest.mark.parametrize(
    ("theme", "title"),
    [
        ("民法典宣讲", "法律进社区:民法典宣讲"),
        ("法律进社区:民法典宣讲", "法律进社区:民法典宣讲"),
        ("法律进社区: 民法典宣讲", "法律进社区:民法典宣讲"),
        ("法律进社区:法律进社区:民法典宣讲", "法律进社区:民法典宣讲"),
        ("法律进社区宣传月", "法律进社区:法律进社区宣传月"),  # a theme that merely begins so
        ("法律进社区", "法律进社区:法律进社区"),
    ],
)
def test_the_kind_is_said_once(theme, title):
    assert duty_title("法律进社区", theme) == title


def test_the_duty_records_of_an_entry_name_the_kind_once(users, world):
    activity = activity_save(
        user=users["keeper"],
        station=world.home_a1,
        kind=StationActivity.Kind.LAW,
        date=timezone.localdate(),
        theme="法律进社区:民法典宣讲",
        deputies=[world.deputy_a1],
        people_reached=30,
    )
    (record,) = DutyRecord.objects.filter(source_id=activity.pk, deputy=world.deputy_a1)
    assert record.title == "法律进社区:民法典宣讲"


def test_the_migration_mends_the_titles_already_written(world):
    source_type = ContentType.objects.get_for_model(StationActivity)

    def record(n: int, kind: str, title: str) -> DutyRecord:
        return DutyRecord.objects.create(
            deputy=world.deputy_a1,
            kind=kind,
            occurred_on=timezone.localdate(),
            title=title,
            source_type=source_type,
            source_id=n,
        )

    doubled = record(1, "activity", "法律进社区:法律进社区:民法典宣讲")
    mixed = record(2, "voter_visit", "选民走访日:选民走访日:走访脱贫户")
    fine = record(3, "activity", "季度专题活动:乡村振兴政策宣讲")
    other_kind = record(4, "training", "法律进社区:法律进社区:培训")  # not a ledger entry
    migration = importlib.import_module("deputies.migrations.0020_duty_title_prefix_once")
    migration.forwards(apps, None)
    titles = {r.pk: r.title for r in DutyRecord.objects.all()}
    assert titles[doubled.pk] == "法律进社区:民法典宣讲"
    assert titles[mixed.pk] == "选民走访日:走访脱贫户"
    assert titles[fine.pk] == "季度专题活动:乡村振兴政策宣讲"
    assert titles[other_kind.pk] == "法律进社区:法律进社区:培训"
