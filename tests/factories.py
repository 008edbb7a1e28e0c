"""Plain factory functions for tests: each builds a valid row with sensible defaults."""

import datetime
import itertools

from accounts.models import Role, User
from core.idnumbers import make_id_number
from directory.models import Deputy, DeputyGroup, HandlingUnit, Level, Mandate, Region, Station
from dutyreports.models import BatchMember, ReportCampaign
from dutyreports.selectors import campaign_eligible

_seq = itertools.count(1)
PASSWORD = "Test@2026pass"


def make_county(name: str = "测试县") -> Region:
    n = next(_seq)
    return Region.objects.create(name=f"{name}{n}", code=f"5{n:05d}", level=Region.Level.COUNTY)


def make_township(county: Region, name: str | None = None) -> Region:
    n = next(_seq)
    return Region.objects.create(
        name=name or f"镇{n}",
        code=f"{county.code}{n:06d}",
        level=Region.Level.TOWNSHIP,
        parent=county,
    )


def make_village(township: Region, name: str | None = None) -> Region:
    n = next(_seq)
    return Region.objects.create(
        name=name or f"村{n}", code=f"V{n:011d}", level=Region.Level.VILLAGE, parent=township
    )


def make_station(
    township: Region, *, kind: str = Station.Kind.HOME, village=None, **fields
) -> Station:
    n = next(_seq)
    if kind == Station.Kind.LIAISON and village is None:
        village = make_village(township)
    defaults = {"name": f"家站{n}", "reception_day": 15, "address": f"地址{n}"}
    defaults.update(fields)
    return Station.objects.create(kind=kind, township=township, village=village, **defaults)


def make_deputy(
    station: Station, *, level: str = Level.COUNTY, name: str | None = None, **fields
) -> Deputy:
    n = next(_seq)
    gender = fields.pop("gender", "M" if n % 2 else "F")
    birth = fields.pop("birth_date", datetime.date(1970, 1, 1) + datetime.timedelta(days=n))
    deputy = Deputy.objects.create(
        name=name or f"代表{n}",
        gender=gender,
        birth_date=birth,
        id_number=make_id_number("510824", birth, n % 500, gender),
        phone=f"139{n:08d}",
        station=station,
        **fields,
    )
    Mandate.objects.create(
        deputy=deputy,
        level=level,
        term=18,
        constituency="第1选区",
        directly_elected=level in (Level.COUNTY, Level.TOWNSHIP),
    )
    return deputy


def make_group(county: Region, members=(), name: str | None = None) -> DeputyGroup:
    group = DeputyGroup.objects.create(name=name or f"小组{next(_seq)}", county=county)
    group.members.set(members)
    return group


def make_unit(county: Region, name: str | None = None, **fields) -> HandlingUnit:
    return HandlingUnit.objects.create(name=name or f"单位{next(_seq)}", county=county, **fields)


def make_user(role: str, username: str | None = None, **links) -> User:
    user = User(username=username or f"user{next(_seq)}", role=role, **links)
    if role == Role.ADMINISTRATOR:
        user.is_superuser = True
        user.is_staff = True
    if role == Role.COMMITTEE_STAFF:
        user.is_staff = True
    user.set_password(PASSWORD)
    user.save()
    return user


def make_reception_day(station, date, *, on_duty=()):
    from stations.models import ReceptionDay

    day = ReceptionDay.objects.create(station=station, date=date)
    day.on_duty.set(on_duty)
    return day


def make_opinion(user, station, *, status=None, content="路面破损", **fields):
    """A mailbox opinion entered at ``station`` through the service, then put in ``status``
    (with ``fields``) as if it had been handled."""
    from stations.models import Opinion
    from stations.services.opinions import opinion_create

    opinion = opinion_create(
        user=user,
        channel="mailbox",
        township=station.township,
        station=station,
        category="roads",
        content=content,
    )
    if status is not None or fields:
        Opinion.objects.filter(pk=opinion.pk).update(status=status or opinion.status, **fields)
    return opinion


def make_campaign(*, batch=None, **fields):
    """A 述职 campaign (county-run unless ``township``) whose batch is ``batch`` or, by default,
    every eligible deputy, as campaign_open makes it."""
    campaign = ReportCampaign.objects.create(**fields)
    deputies = campaign_eligible(campaign) if batch is None else batch
    BatchMember.objects.bulk_create(
        [BatchMember(campaign=campaign, deputy=deputy, source="rule") for deputy in deputies]
    )
    return campaign
