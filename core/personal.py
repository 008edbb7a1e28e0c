"""Showing personal data in full: only for users with the permission, and always logged."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.access import can_view_personal_data

from .models import PersonalDataAccess


def client_ip(request) -> str | None:
    # Behind the reverse proxy REMOTE_ADDR is the proxy; production sets the real address there
    # (see docs/security.md), so only REMOTE_ADDR is trusted.
    return request.META.get("REMOTE_ADDR") or None


def wants_reveal(request, *, param: str = "reveal") -> bool:
    """True when the request asks for full personal data and may have it; 403 when it may not."""
    params = getattr(request, "query_params", request.GET)
    if params.get(param) != "1":
        return False
    if not can_view_personal_data(request.user):
        raise PermissionDenied("无权查看完整的个人信息。")
    return True


def log_personal_access(
    request,
    records: Iterable[models.Model],
    fields: Iterable[str],
    *,
    action: str = PersonalDataAccess.Action.VIEW,
) -> int:
    field_list = ",".join(fields)
    entries = [
        PersonalDataAccess(
            user=request.user,
            action=action,
            record_type=record._meta.label,
            record_id=str(record.pk),
            record_repr=str(record)[:200],
            fields=field_list,
            ip_address=client_ip(request),
            path=request.path[:300],
        )
        for record in records
    ]
    PersonalDataAccess.objects.bulk_create(entries)
    return len(entries)
