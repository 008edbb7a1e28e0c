from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpResponse
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer

from accounts.access import scope_level
from core import listcache
from core.personal import log_personal_access, wants_reveal

if TYPE_CHECKING:
    # What the mixins below are mixed into, for the type checker only.
    _ViewSetBase = viewsets.ReadOnlyModelViewSet
else:
    _ViewSetBase = object


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint whose rows come from a selector scoped to the user.

    ``scope_resource`` names the access policy row; roles that may not read it at all get 403 even
    on an empty list, rows outside the scope 404 on detail. ``selector`` is the app's selector,
    wrapped in ``staticmethod``; ``queryset`` is only the model's empty queryset for the schema."""

    scope_resource: str
    selector: Callable

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        scope_level(request.user, self.scope_resource)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real user
            return self.queryset
        return self.selector(user=self.request.user)


class PersonalDataRevealMixin(_ViewSetBase):
    """``?reveal=1`` shows ``personal_fields`` in full to users with the permission (403 for
    others), and logs one access entry per record serialized."""

    personal_fields: tuple[str, ...] = ()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["reveal_personal"] = getattr(self, "_reveal", False)
        return context

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._reveal = wants_reveal(request)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if args and getattr(self, "_reveal", False):
            records = args[0] if isinstance(args[0], list | tuple) else [args[0]]
            log_personal_access(self.request, records, self.personal_fields)
        return serializer


class CachedListMixin(_ViewSetBase):
    """Serve the list (one page of it) from core.listcache. A reveal of personal data bypasses
    it; a refusal (bad filter, no access) is an exception and is never stored."""

    list_cache_name: str

    def list(self, request, *args, **kwargs):
        if getattr(self, "_reveal", False):
            return super().list(request, *args, **kwargs)

        def build() -> bytes:
            response = super(CachedListMixin, self).list(request, *args, **kwargs)
            return JSONRenderer().render(response.data)

        body = listcache.cached(request, self.list_cache_name, build)
        return HttpResponse(body, content_type="application/json")
