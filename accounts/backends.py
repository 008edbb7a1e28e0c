"""Permissions that come with a role, declared in code so they are reviewed with it.

Administrators can still grant more to a user through Django's groups and user permissions
(ModelBackend, listed next in AUTHENTICATION_BACKENDS)."""

from functools import cache

from django.apps import apps
from django.contrib.auth.backends import BaseBackend

from .models import Role

_ACTIONS = ("add", "change", "delete", "view")


@cache
def _model_permissions(*app_labels: str) -> frozenset[str]:
    return frozenset(
        f"{label}.{action}_{model._meta.model_name}"
        for label in app_labels
        for model in apps.get_app_config(label).get_models()
        for action in _ACTIONS
    )


@cache
def role_permissions(role: str) -> frozenset[str]:
    if role == Role.COMMITTEE_STAFF:
        # The back office enters rosters in the admin and may see personal data in full; the
        # scoring rules it reads, the administrator sets them.
        rules_edits = {
            f"deputies.{action}_{model}"
            for action in ("add", "change", "delete")
            for model in ("scoringscheme", "scoringrule", "scoringmultiplier")
        }
        domain = _model_permissions(
            "directory",
            "stations",
            "deputies",
            "suggestions",
            "linkages",
            "dutyreports",
            "public",
            "oversight",
            "legislation",
            "plenary",
            "elections",
        )
        return (domain - rules_edits) | {
            "directory.view_personal_data",
            "auditlog.view_logentry",
        }
    return frozenset()


class RolePermissionBackend(BaseBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(role_permissions(user_obj.role))

    def has_module_perms(self, user_obj, app_label):
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj))
