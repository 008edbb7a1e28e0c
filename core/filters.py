"""The filter layer of every list page and API endpoint.

Every value a visitor types into a query string is checked here before it reaches a query, so a
crafted value (``?year=0``, ``?year=-1``, ``?year=0.0``, ``?station=99999999999999999999``, a
superscript digit) is a form error — a message on the page, a 400 naming the field in the API —
never a server error:

* :class:`BoundedFiltersMixin`, the base of :class:`PortalFilterSet` (pages) and
  :class:`PortalApiFilterSet` (the API's generated filtersets; ``core.api.filters`` refuses any
  other), gives each number filter an integer field within the range of what it filters (a year
  1–9999, a month 1–12, an id within its column's range) and each model choice filter a key
  check before the look-up;
* :func:`query_int` and :func:`query_year` read the few parameters views take by hand.
"""

from typing import TYPE_CHECKING

import django_filters
import django_filters.widgets
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters
from django_filters.filterset import FilterSetOptions

from .widgets import FastSelect

# Python's datetime (and so Django's year lookups) knows years 1 to 9999 only.
DATE_PART_RANGES = {
    "year": (1, 9999),
    "iso_year": (1, 9999),
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
BIGINT_RANGE = (-(2**63), 2**63 - 1)


def query_int(value, *, minimum: int = 1, maximum: int = BIGINT_RANGE[1]) -> int | None:
    """An integer typed into a query string (an id, a row number), or None: ASCII digits only
    (``"²".isdigit()`` is true but ``int("²")`` fails), within ``minimum``..``maximum``."""
    text = str(value or "").strip()
    negative = text.startswith("-") and minimum < 0
    digits = text[1:] if negative else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        return None
    number = -int(digits) if negative else int(digits)
    return number if minimum <= number <= maximum else None


def query_year(value, *, default: int, first: int = 2000, last: int | None = None) -> int:
    """``?year=`` within ``first``..``last`` (9999 unless given), else ``default``."""
    year = query_int(value, minimum=first, maximum=last if last is not None else 9999)
    return default if year is None else year


def integer_range(field: models.Field) -> tuple[int, int] | None:
    """The database range of an integer column (or of the key a relation points at), else None."""
    if field.is_relation and (field.many_to_one or field.one_to_one):
        # A relation (ForeignKey, OneToOneField or a reverse one) has target_field; the stubs
        # know it only on ForeignObject.
        field = field.target_field  # type: ignore[attr-defined]
    if not isinstance(field, models.IntegerField):
        return None
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return (BIGINT_RANGE[0] if low is None else low, BIGINT_RANGE[1] if high is None else high)


def number_target(model, path: str):
    """What ``path`` (field names, then transforms and lookups, joined by ``__``) filters on:
    a date part's name ("year"), the model field, or None when it cannot be told."""
    target = None
    for part in path.split("__"):
        if model is not None:
            try:
                target = model._meta.get_field(part)
            except FieldDoesNotExist:
                model = None
            else:
                model = target.related_model if target.is_relation else None
                continue
        if part in DATE_PART_RANGES:
            return part
        # Anything else after the fields is a lookup (exact, gte, in, ...).
    return target


def _bounded_number_field(filterset_model, number_filter) -> tuple[type, dict]:
    """The form field and its arguments for a NumberFilter: an integer within range, or a decimal
    with the digits of the column (Decimal('1E+999'), NaN and Infinity are refused)."""
    path = number_filter.field_name
    if number_filter.lookup_expr and number_filter.lookup_expr != "exact":
        path = f"{path}__{number_filter.lookup_expr}"
    target = number_target(filterset_model, path) if filterset_model else None
    if isinstance(target, str):
        low, high = DATE_PART_RANGES[target]
        return forms.IntegerField, {"min_value": low, "max_value": high}
    if isinstance(target, models.Field):
        bounds = integer_range(target)
        if bounds is not None:
            return forms.IntegerField, {"min_value": bounds[0], "max_value": bounds[1]}
        if isinstance(target, models.DecimalField):
            return forms.DecimalField, {
                "max_digits": target.max_digits,
                "decimal_places": target.decimal_places,
            }
    return forms.DecimalField, {"max_digits": 20, "decimal_places": 6}


if TYPE_CHECKING:
    # What the mixins below are mixed into, for the type checker only.
    _KeyFieldBase = forms.ModelMultipleChoiceField
    _FilterSetBase = django_filters.FilterSet
else:
    _KeyFieldBase = _FilterSetBase = object


class BoundedKeyMixin(_KeyFieldBase):
    """A model choice form field that checks a key's form and range before looking it up: an
    out-of-range id is an invalid choice, not an OverflowError in the database driver."""

    queryset: models.QuerySet  # always given to the filters' model choice fields

    def _key_fits(self, value) -> bool:
        model = self.queryset.model
        key = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        bounds = integer_range(key)
        if bounds is None:
            return "\x00" not in str(value)
        return query_int(value, minimum=bounds[0], maximum=bounds[1]) is not None

    def _refuse(self, value):
        return ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )

    def to_python(self, value):
        checked = not (
            value in self.empty_values
            or value == getattr(self, "null_value", object())
            or isinstance(value, self.queryset.model)
        )
        if checked and not self._key_fits(value):
            raise self._refuse(value)
        return super().to_python(value)

    def _check_values(self, value):
        null_value = getattr(self, "null_value", object())
        for item in value if isinstance(value, list | tuple) else ():
            if item != null_value and not self._key_fits(item):
                raise self._refuse(item)
        # ModelMultipleChoiceField's own check of the chosen keys, private and not in the stubs.
        return super()._check_values(value)  # type: ignore[misc]


_BOUNDED_CLASSES: dict[type, type] = {}


def _bounded_key_class(field_class: type) -> type:
    if issubclass(field_class, BoundedKeyMixin):  # a filter declared on a parent filterset
        return field_class
    if field_class not in _BOUNDED_CLASSES:
        _BOUNDED_CLASSES[field_class] = type(
            f"Bounded{field_class.__name__}", (BoundedKeyMixin, field_class), {}
        )
    return _BOUNDED_CLASSES[field_class]


class BoundedFiltersMixin(_FilterSetBase):
    """Give every filter of the set a form field that refuses what its query could not take.

    Done once per class, when django-filter collects the filters (also for the filtersets DRF
    generates per request), so the API schema (core.api.schema) can state the same bounds."""

    _meta: FilterSetOptions  # set by django-filter's metaclass

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for each in filters.values():
            if isinstance(each, django_filters.NumberFilter):
                field_class, bounds = _bounded_number_field(cls._meta.model, each)
                each.field_class = field_class
                each.extra.update(bounds)
            elif isinstance(
                each, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
            ):
                each.field_class = _bounded_key_class(each.field_class)
        return filters


class PortalFilterSet(BoundedFiltersMixin, django_filters.FilterSet):
    """The FilterSet of every list page: every input bounded (above), selects render fast, and a
    station select lists only the stations of the chosen township."""

    _form: forms.Form  # django-filter's cache of the form

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                if (
                    type(field.widget) is forms.Select
                    or type(field.widget) is django_filters.widgets.LinkWidget
                ):
                    field.widget = FastSelect(
                        attrs=field.widget.attrs, choices=field.widget.choices
                    )
            if "station" in form.fields and "township" in form.fields:
                narrow_station_choices(form)
        return self._form


class OnlyFilter(django_filters.BooleanFilter):
    """A yes-or-all filter, offered as two choices: 全部 (no filter) or only the rows it names
    (``?name=true``), instead of a yes/no select's 未知/是/否. ``?name=false`` is still read (the
    API, a hand-made link), it just is not offered."""

    def __init__(self, *args, only_label, **kwargs):
        kwargs["widget"] = forms.Select(choices=[("", _("全部")), ("true", only_label)])
        super().__init__(*args, **kwargs)


class PortalApiFilterSet(BoundedFiltersMixin, drf_filters.FilterSet):
    """The base of the filtersets DRF generates from ``filterset_fields``."""


def narrow_station_choices(
    form, *, township_field: str = "township", station_field: str = "station"
) -> None:
    """Render only the stations of the chosen township in a station select.

    A county holds 121 stations and a province a hundred times more: rendering them all as
    <option>s on every list page costs more than the page itself. Validation still uses the
    field's full (scoped) queryset, so ?station=<id> keeps working on its own, e.g. from links
    and the API; only the rendered options shrink, and they are computed only when rendered
    (the API never pays for them)."""
    field = form.fields[station_field]
    stations = getattr(field, "queryset", None)
    if stations is None:
        return
    township = query_int(form.data.get(township_field))
    selected = query_int(form.data.get(station_field))

    computed: list = []

    def choices():
        # Django iterates a select's choices twice per render (the required attribute asks for
        # the first one): compute them once.
        if computed:
            return computed
        shown = stations
        if township is not None:
            shown = stations.filter(township_id=township)
        elif selected is not None:
            shown = stations.filter(pk=selected)
        elif len(stations[:2]) > 1:  # more than one station in scope: pick a township first
            shown = stations.none()
        computed.extend([("", field.empty_label), *shown.values_list("pk", "name")])
        return computed

    field.widget.choices = choices
