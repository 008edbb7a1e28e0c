from django.db.models import Exists, OuterRef, QuerySet

from accounts.access import scoped
from deputies.models import Deputy

from .models import DutyReport, ReportCampaign
from .services import must_report


def campaign_roll(*, user, campaign: ReportCampaign) -> QuerySet[Deputy]:
    """The deputies of the campaign the user may see, each with ``reported``."""
    return (
        must_report(campaign.county_id)
        .filter(pk__in=scoped(Deputy.objects.all(), user, "deputy").values("pk"))
        .select_related("station__township")
        .annotate(
            reported=Exists(DutyReport.objects.filter(campaign=campaign, deputy=OuterRef("pk")))
        )
    )


def roll_totals(campaign: ReportCampaign, roll: QuerySet[Deputy]) -> dict[str, int]:
    required = roll.count()
    reported = DutyReport.objects.filter(campaign=campaign, deputy__in=roll.values("pk")).count()
    return {"required": required, "reported": reported, "missing": required - reported}
