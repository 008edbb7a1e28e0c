from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.access import require

from . import checks
from .selectors import system_status


@never_cache
def readyz(request):
    """For the load balancer and monitoring: 200 when the database, cache, broker, a worker for
    each queue and beat are all alive; otherwise 503 naming what is down."""
    results = checks.readiness()
    down = [name for name, result in results.items() if not result["ok"]]
    body = {"status": "down" if down else "ok", "down": down, "checks": results}
    return JsonResponse(body, status=503 if down else 200)


@login_required
def status_page(request):
    require(request.user, "system.status")
    return render(request, "operations/status.html", {"status": system_status()})
