"""Per-address rate limiting on Django's cache: a counter per address and fixed window.

The one mechanism behind every limit of the pages without an account: the 民意直通车 form and
every look-up by a code a visitor types (tracking codes, one-time evaluation codes of suggestions
and of duty reports). Production refuses to start without a shared cache (CACHE_URL), so the
counters are the same in every worker process."""

import functools

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_address(request) -> str:
    """The visitor's address. Behind a reverse proxy, set PUBLIC_CLIENT_IP_HEADER to the header
    the proxy writes (e.g. HTTP_X_REAL_IP); never trust a header the proxy does not overwrite."""
    header = getattr(settings, "PUBLIC_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(request, bucket: str, *, limit: int, window: int) -> bool:
    """Count one request; False once the address has used up ``limit`` in the window."""
    key = f"public:rate:{bucket}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def limit_code_lookups(bucket: str, *, template: str = "429.html"):
    """Decorate a view that looks a record up by a code typed by a visitor: each request counts,
    and past PUBLIC_TRACK_LIMIT requests in PUBLIC_OPINION_WINDOW seconds the address gets 429
    (``template`` with ``too_many`` and ``minutes``) before the code is even looked up, so
    guessing codes costs an attacker the window."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            window = settings.PUBLIC_OPINION_WINDOW
            if not hit(request, bucket, limit=settings.PUBLIC_TRACK_LIMIT, window=window):
                context = {"too_many": True, "minutes": max(window // 60, 1)}
                return render(request, template, context, status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
