from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .models import Notification
from .pagination import paginate


@require_GET
@never_cache
def healthz(request):
    """For the load balancer and service manager: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)
    page = paginate(request, notifications)
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request):
    updated = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if updated:
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": updated})
    return redirect("notifications")
