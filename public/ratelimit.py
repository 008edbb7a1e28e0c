"""Per-address rate limiting on Django's cache: a counter per address and fixed window."""

from django.conf import settings
from django.core.cache import cache


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
