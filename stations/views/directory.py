from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from core import listcache
from core.history import history_for
from core.pagination import paginate
from directory import selectors
from directory.selectors import deputy_list


@login_required
def station_list(request):
    def content() -> str:
        filterset = selectors.StationFilter(
            request.GET, queryset=selectors.station_list(user=request.user), request=request
        )
        page = paginate(request, filterset.qs)
        return render_to_string(
            "stations/_station_list_content.html",
            {"filter": filterset, "page": page},
            request=request,
        )

    return render(
        request,
        "stations/station_list.html",
        {"content": listcache.cached(request, "stations:list", content)},
    )


@login_required
def station_detail(request, pk: int):
    station = selectors.station_get(user=request.user, pk=pk)
    deputies = deputy_list(user=request.user).filter(station=station)
    return render(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "deputies": deputies,
            "keepers": station.keepers.filter(is_active=True).only("full_name", "username"),
            "next_reception": station.next_reception_date(timezone.localdate()),
            "history": history_for(request.user, station),
        },
    )
