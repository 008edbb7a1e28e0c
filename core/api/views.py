from collections.abc import Callable

from rest_framework import viewsets

from accounts.access import scope_level


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
