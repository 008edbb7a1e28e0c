import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from accounts.access import get_for_user, scoped

from .models import MemberLink, Voter


def member_link_list(*, user) -> QuerySet[MemberLink]:
    """The pairings in scope, each with this year's contacts and the last contact."""
    start = datetime.date(timezone.localdate().year, 1, 1)
    return (
        scoped(
            MemberLink.objects.select_related("member", "deputy__station__township"),
            user,
            "member_link",
        )
        .annotate(
            contacts_this_year=Count("contacts", filter=Q(contacts__date__gte=start)),
            last_contact=Max("contacts__date"),
        )
        .order_by("ended_on", "member__full_name", "member_id", "deputy__name")
    )


def member_link_get(*, user, pk: int) -> MemberLink:
    return get_for_user(
        MemberLink.objects.select_related("member", "deputy__station"),
        user,
        "member_link",
        pk=pk,
    )


def voter_list(*, user) -> QuerySet[Voter]:
    return (
        scoped(Voter.objects.select_related("deputy", "village"), user, "voter")
        .annotate(contact_count=Count("contacts"), last_contact=Max("contacts__date"))
        .order_by("deputy__name", "deputy_id", "pk")
    )


def voter_get(*, user, pk: int) -> Voter:
    return get_for_user(Voter.objects.select_related("deputy__station"), user, "voter", pk=pk)
