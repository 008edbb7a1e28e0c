"""Bare 50-row lists: the cheapest honest Django page over the same table (login required, one
query for the rows, a minimal template). The portal's pages are measured against these."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from directory.models import Deputy, Station

ROWS = 50


@login_required
def bare_deputies(request):
    rows = Deputy.objects.order_by("pk")[:ROWS]
    return render(request, "bench/bare_deputies.html", {"rows": rows})


@login_required
def bare_stations(request):
    rows = Station.objects.order_by("pk")[:ROWS]
    return render(request, "bench/bare_stations.html", {"rows": rows})
