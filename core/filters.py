"""Filter-form helpers shared by the list pages."""

import django_filters
from django import forms

from .widgets import FastSelect


class PortalFilterSet(django_filters.FilterSet):
    """The FilterSet of every list page: selects render fast, and a station select lists only the
    stations of the chosen township."""

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
    township = form.data.get(township_field)
    selected = form.data.get(station_field)

    computed: list = []

    def choices():
        # Django iterates a select's choices twice per render (the required attribute asks for
        # the first one): compute them once.
        if computed:
            return computed
        shown = stations
        if township and str(township).isdigit():
            shown = stations.filter(township_id=township)
        elif selected and str(selected).isdigit():
            shown = stations.filter(pk=selected)
        elif len(stations[:2]) > 1:  # more than one station in scope: pick a township first
            shown = stations.none()
        computed.extend([("", field.empty_label), *shown.values_list("pk", "name")])
        return computed

    field.widget.choices = choices
