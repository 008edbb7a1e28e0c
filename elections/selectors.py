"""Reads of the elections app, scoped to the user (accounts.access)."""

from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import get_for_user, scoped
from core.filters import PortalFilterSet
from directory.models import Mandate, Region

from .models import RegistrationCheck, RegistrationFinding

if TYPE_CHECKING:
    from accounts.models import User

Kind = RegistrationFinding.Kind


def check_list(*, user: "User") -> QuerySet[RegistrationCheck]:
    return scoped(
        RegistrationCheck.objects.select_related("county", "created_by"),
        user,
        "registration_check",
    ).order_by("-created_at", "-pk")


def check_get(*, user: "User", pk: int) -> RegistrationCheck:
    return get_for_user(
        RegistrationCheck.objects.select_related("county", "created_by"),
        user,
        "registration_check",
        pk=pk,
    )


def structure_counties(*, user: "User") -> QuerySet[Region]:
    """The counties whose structure the user may read."""
    return scoped(Region.objects.filter(level=Region.Level.COUNTY), user, "region")


def structure_terms(*, county_id: int | None, level: str) -> list[int]:
    """The terms with mandates at ``level`` in the county, the latest first."""
    return list(
        Mandate.objects.filter(level=level, deputy__county_id=county_id)
        .order_by("-term")
        .values_list("term", flat=True)
        .distinct()
    )


def finding_list(
    *, user: "User", check: RegistrationCheck | None = None
) -> QuerySet[RegistrationFinding]:
    findings = scoped(
        RegistrationFinding.objects.select_related("check_run"), user, "registration_finding"
    )
    if check is not None:
        findings = findings.filter(check_run=check)
    return findings.order_by("township_name", "village_name", "kind", "pk")


def counts_by_township(findings: QuerySet[RegistrationFinding]) -> list[dict]:
    """One row per township name with its 漏登/错登/重登 counts: one aggregate query."""
    return list(
        findings.order_by()
        .values("township_name")
        .annotate(
            missing=Count("pk", filter=Q(kind=Kind.MISSING)),
            wrong=Count("pk", filter=Q(kind=Kind.WRONG)),
            duplicate=Count("pk", filter=Q(kind=Kind.DUPLICATE)),
            total=Count("pk"),
        )
        .order_by("township_name")
    )


class FindingFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=Kind.choices, empty_label=_("全部类别")
    )
    reason = django_filters.ChoiceFilter(
        label=_("原因"), choices=RegistrationFinding.Reason.choices, empty_label=_("全部原因")
    )
    township_name = django_filters.CharFilter(label=_("乡镇(街道)"))
    village_name = django_filters.CharFilter(label=_("村(社区)"), lookup_expr="contains")

    class Meta:
        model = RegistrationFinding
        fields = ["kind", "reason", "township_name", "village_name"]
