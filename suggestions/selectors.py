import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import scoped
from core.filters import PortalFilterSet

from .models import HandlingUnit


def handling_unit_list(*, user) -> QuerySet[HandlingUnit]:
    return scoped(HandlingUnit.objects.all(), user, "handling_unit")


class HandlingUnitFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=HandlingUnit.Kind.choices)

    class Meta:
        model = HandlingUnit
        fields = ["q", "kind", "county", "is_active"]
