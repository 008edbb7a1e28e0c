from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .errors import DomainError
from .files import private_file_response
from .models import ExportJob
from .notifications import notifications_mark_read
from .pagination import paginate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page_not_found(request, exception):
    """handler404: the API answers in JSON as its schema says (core.api.schema), also for a path
    no route matches; pages get the 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return defaults.page_not_found(request, exception)


@require_GET
@never_cache
def healthz(request):
    """For the load balancer and service manager: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def notification_list(request):
    page = paginate(request, selectors.notification_list(user=request.user))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request):
    updated = notifications_mark_read(user=request.user)
    if updated:
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": updated})
    return redirect("notifications")


# Exports (core.exports) ------------------------------------------------------------------------


@login_required
@require_POST
def export_start(request, identifier: str):
    """Queue an export with the parameters of the page it was started from, then show its
    progress. A refused export goes back to that page with the reason."""
    from .exports import start_export

    try:
        job = start_export(user=request.user, identifier=identifier, data=request.POST)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_safe_next(request) or "dashboard")
    return redirect("export_detail", pk=job.pk)


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _own_job(request, pk) -> ExportJob:
    return selectors.export_job_get(user=request.user, pk=pk)


@login_required
def export_detail(request, pk):
    job = _own_job(request, pk)
    from .exports import get_exporter

    exporter_class = get_exporter(job.exporter)
    return render(
        request,
        "core/export_detail.html",
        {
            "job": job,
            "verbose_name": exporter_class.verbose_name if exporter_class else job.exporter,
            "expired": job.expires_at is not None and job.expires_at < timezone.now(),
        },
    )


@login_required
@never_cache
def export_status(request, pk):
    """What the progress bar polls."""
    job = _own_job(request, pk)
    return JsonResponse(job.progress())


@login_required
def export_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or (job.expires_at and job.expires_at < timezone.now()):
        raise Http404
    response = private_file_response(job.file, content_type=XLSX, filename=job.filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export_list(request):
    page = paginate(request, selectors.export_job_list(user=request.user))
    return render(request, "core/export_list.html", {"page": page, "now": timezone.now()})
