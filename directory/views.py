"""The sources of the searchable pickers (core.widgets.SearchPicker) on the portal's forms: JSON,
scoped to what the user may read (403 for a role that reads no such records)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import selectors


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
