"""The API's filter backends: every endpoint's filters go through core.filters, so a crafted
query value is a 400 that names the field, never a server error."""

from django.core.exceptions import ImproperlyConfigured
from django_filters.rest_framework import DjangoFilterBackend

from core.filters import BoundedFiltersMixin, PortalApiFilterSet


class PortalFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose generated filtersets (``filterset_fields``) are bounded too, and
    which refuses a ``filterset_class`` that is not."""

    filterset_base = PortalApiFilterSet

    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        if filterset_class is not None and not issubclass(filterset_class, BoundedFiltersMixin):
            raise ImproperlyConfigured(
                f"{view.__class__.__name__}.filterset_class must derive from "
                "core.filters.PortalFilterSet: its inputs must be bounded."
            )
        return filterset_class
