"""Bare 50-row lists: the cheapest honest Django page over the same table (login required, one
query for the rows, a minimal template). The portal's pages are measured against these."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from directory.models import Deputy, Station
from public.captcha import SESSION_KEY

ROWS = 50


@login_required
def bare_deputies(request):
    rows = Deputy.objects.order_by("pk")[:ROWS]
    return render(request, "bench/bare_deputies.html", {"rows": rows})


@login_required
def bare_stations(request):
    rows = Station.objects.order_by("pk")[:ROWS]
    return render(request, "bench/bare_stations.html", {"rows": rows})


@never_cache
def captcha_answer(request):
    """The load test's way past the public form's CAPTCHA, as the tests do it: the answer kept in
    the visitor's session (public/captcha.py). Only in bench/urls.py, which only the benchmark
    settings use; production's URLconf has nothing like it."""
    challenge = request.session.get(SESSION_KEY)
    return HttpResponse(str(challenge["answer"]) if challenge else "", content_type="text/plain")
