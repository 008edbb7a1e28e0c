"""The sources of the searchable pickers (core.widgets.SearchPicker) on the portal's forms (JSON,
scoped to what the user may read: 403 for a role that reads no such records), and the pages of
the life of a mandate (an event, the vacancies and their 补选)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import require
from core.actions import form_page
from core.pagination import paginate

from . import selectors
from .forms import ByElectionForm, MandateEventForm
from .models import MandateEvent
from .services import RECORDABLE, kinds_for, mandate_by_elect, mandate_event_record


@login_required
@require_GET
def deputy_search(request):
    results = selectors.deputy_picks(
        user=request.user,
        query=request.GET.get("q", ""),
        county_level=request.GET.get("level") == "county",
    )
    return JsonResponse({"results": results})


@login_required
@require_GET
def station_search(request):
    results = selectors.station_picks(user=request.user, query=request.GET.get("q", ""))
    return JsonResponse({"results": results})


@login_required
@require_GET
def unit_search(request):
    results = selectors.unit_picks(user=request.user, query=request.GET.get("q", ""))
    return JsonResponse({"results": results})


# The life of a mandate ----------------------------------------------------------------------


@login_required
def mandate_event_new(request, pk: int):
    """Record one event of a mandate (资格审查, 辞职, 罢免, 终止, 暂停, 恢复, 任期届满, death): the
    form asks for what the kind needs."""
    mandate = selectors.mandate_get_for_change(user=request.user, pk=pk)
    kind = request.GET.get("kind", "")
    if not kind:
        # Which event? The kinds the mandate's state allows.
        return render(
            request,
            "directory/mandate_event_form.html",
            {"mandate": mandate, "kinds": kinds_for(mandate)},
        )
    if kind not in RECORDABLE:
        raise Http404
    form = MandateEventForm(request.POST if request.method == "POST" else None, kind=kind)

    def save(data):
        return mandate_event_record(user=request.user, mandate=mandate, kind=kind, **data)

    return form_page(
        request,
        form,
        save,
        template="directory/mandate_event_form.html",
        context={"mandate": mandate, "kind_label": MandateEvent.Kind(kind).label},
        success=_("已登记,代表名册、家站、轮流列席和统计自该日起随之调整。"),
        done=reverse("deputies:detail", args=[mandate.deputy_id]) + "#mandates",
    )


@login_required
def vacancies(request):
    """缺额: mandates of this term ended and not yet filled by 补选."""
    require(request.user, "mandate.record")
    return render(
        request,
        "directory/vacancies.html",
        {"page": paginate(request, selectors.vacancy_list(user=request.user))},
    )


@login_required
def by_election(request, pk: int):
    """补选: the elected deputy's new mandate in the vacancy's constituency."""
    vacancy = selectors.vacancy_get_for_change(user=request.user, pk=pk)
    form = ByElectionForm(
        request.POST if request.method == "POST" else None,
        deputies=selectors.by_election_deputies(user=request.user, vacancy=vacancy),
    )

    def save(data):
        return mandate_by_elect(user=request.user, vacancy=vacancy, **data)

    return form_page(
        request,
        form,
        save,
        template="directory/by_election_form.html",
        context={"vacancy": vacancy},
        success=_("补选已登记,新任代表自资格审查确认之日起在任。"),
        done=lambda mandate: reverse("deputies:detail", args=[mandate.deputy_id]) + "#mandates",
    )
