"""Demo life of mandates for the county: 代表证号 for every county deputy, a resignation accepted by
the standing committee and the 补选 that filled it (a township deputy elected to the county
congress, qualified by the credentials committee's report), and a township deputy whose mandate
ended on moving out of the township (代表法第四十九条), left vacant for the vacancies page. Written
through directory.services, all dated in the past; skipped when the county has mandate events."""

import datetime
import random

from django.utils import timezone

from accounts.models import Role, User
from directory.models import Deputy, DeputyGroup, Level, Mandate, MandateEvent, Region
from directory.services import mandate_by_elect, mandate_event_record

TERM_COUNTY = 18


def _office_user(county: Region) -> User | None:
    return (
        User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).order_by("pk").first()
        or User.objects.filter(role=Role.ADMINISTRATOR).order_by("pk").first()
    )


def _certificates(county: Region) -> None:
    """代表证号 of the county's deputies of this term, in roster order: 县代表证 18-0001 …, prefixed
    by the county's code so that two demo counties never share one."""
    mandates = list(
        Mandate.objects.filter(
            deputy__county=county, level=Level.COUNTY, term=TERM_COUNTY, certificate_number=""
        ).order_by("deputy__name", "pk")
    )
    for number, mandate in enumerate(mandates, start=1):
        mandate.certificate_number = f"{county.code[:6]}-{TERM_COUNTY}-{number:04d}"
    Mandate.objects.bulk_update(mandates, ["certificate_number"], batch_size=1000)


DEMO_LOGINS = ("deputy", "member")


def _ordinary(deputies):
    """Deputies other than the demo logins' (whose mandates the demo's walks rely on)."""
    logins = User.objects.filter(username__in=DEMO_LOGINS, deputy__isnull=False)
    return deputies.exclude(pk__in=logins.values("deputy_id")).order_by("pk")


def build_mandates(county: Region, *, seed: int = 0) -> bool:
    if MandateEvent.objects.filter(mandate__deputy__county=county).exists():
        return False
    user = _office_user(county)
    if user is None:
        return False
    rng = random.Random(f"mandates-{seed}")
    today = timezone.localdate()
    _certificates(county)

    # A county deputy's resignation, accepted by the standing committee, and its 补选.
    county_deputies = list(
        _ordinary(Deputy.objects.with_active_level(Level.COUNTY).filter(county=county))[:200]
    )
    resigned_on = today - datetime.timedelta(days=230)
    resigning = rng.choice(county_deputies)
    vacancy = Mandate.objects.select_related("deputy__station").get(
        deputy=resigning, level=Level.COUNTY, is_active=True
    )
    groups = list(DeputyGroup.objects.filter(members=resigning).order_by("pk"))
    mandate_event_record(
        user=user,
        mandate=vacancy,
        kind=MandateEvent.Kind.RESIGNED,
        occurred_on=resigned_on,
        decided_by=MandateEvent.Body.STANDING_COMMITTEE,
        document_number=f"{county.name}人常〔{resigned_on.year}〕7号",
        note="因工作调动,本人提出辞去县人大代表职务。",
    )
    township_only = _ordinary(
        Deputy.objects.with_active_level(Level.TOWNSHIP)
        .filter(county=county, station__township=vacancy.deputy.station.township)
        .exclude(pk__in=Mandate.objects.filter(level=Level.COUNTY).values("deputy_id"))
    )
    elected = township_only.first()
    if elected is None:
        return True
    qualified_on = today - datetime.timedelta(days=150)
    mandate_by_elect(
        user=user,
        vacancy=vacancy,
        deputy=elected,
        elected_on=today - datetime.timedelta(days=170),
        decided_by=MandateEvent.Body.VOTERS,
        qualified_on=qualified_on,
        qualified_by=MandateEvent.Body.STANDING_COMMITTEE,
        document_number=f"{county.name}人常〔{qualified_on.year}〕15号",
        certificate_number=f"{county.code[:6]}-{TERM_COUNTY}-B001",
        today=today,
    )
    # The new deputy takes the seat in the group the resigned deputy left.
    for group in groups[:1]:
        group.members.add(elected)

    # A township deputy who moved out of the township: 代表资格终止, decided by its 主席团 (recorded
    # by the township's staff, as the demo township login would), not yet filled.
    township_user = (
        User.objects.filter(role=Role.TOWNSHIP_STAFF, township__county=county)
        .select_related("township")
        .order_by("pk")
        .first()
    )
    if township_user is None or township_user.township is None:
        return True
    township = township_user.township
    moving = (
        _ordinary(
            Deputy.objects.with_active_level(Level.TOWNSHIP).filter(
                county=county, station__township=township
            )
        )
        .exclude(pk__in=Mandate.objects.filter(level=Level.COUNTY).values("deputy_id"))
        .exclude(pk=elected.pk)
        .last()
    )
    if moving is not None:
        ended_on = today - datetime.timedelta(days=45)
        mandate_event_record(
            user=township_user,
            mandate=Mandate.objects.select_related("deputy__station").get(
                deputy=moving, level=Level.TOWNSHIP, is_active=True
            ),
            kind=MandateEvent.Kind.TERMINATED,
            occurred_on=ended_on,
            decided_by=MandateEvent.Body.PRESIDIUM,
            document_number=f"{township.name}人主〔{ended_on.year}〕3号",
            ground=MandateEvent.Ground.MOVED_AWAY,
            note="户籍迁往外县。",
        )
    return True
