"""The rendered content of the roster lists (deputies, stations: page fragment and API page),
cached per user, query string and roster generation.

Staff open the same lists many times a day, and rosters change a few times a week; rendering a
filtered, paginated list with its filter form costs several times what a plain 50-row list does.
So the list's content is kept for LIST_CACHE_SECONDS under a key naming:

- the list, the user and every field that defines the user's scope (a changed role or link is a
  new key), the language, the host and the full path with its query string;
- the roster generation: a number in the cache that every change to a roster record replaces
  (model signals in each app's ``ready()``; bulk writes call ``bump()`` themselves), so a change
  shows on the next request in every process that shares the cache (Redis in production);
- today's date (nothing on these lists depends on the hour).

The page around the content (navigation, messages, CSRF token) is rendered on every request. A
request that reveals personal data (``?reveal=1``) is never served from or stored in the cache.
With a per-process local-memory cache and several processes, another process's change shows
after at most LIST_CACHE_SECONDS."""

import hashlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

if TYPE_CHECKING:
    from accounts.models import User

T = TypeVar("T")
ROSTERS = "rosters"


def _generation_key(topic: str) -> str:
    return f"listcache:generation:{topic}"


def generation(topic: str = ROSTERS) -> int:
    key = _generation_key(topic)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), None)
        value = cache.get(key, 0)
    return value


def bump(topic: str = ROSTERS) -> None:
    """Something on the lists changed: every cached list is stale from now on."""
    cache.set(_generation_key(topic), time.time_ns(), None)


def bump_on_signal(*args, **kwargs) -> None:
    bump()


def _user_key(user: "User") -> str:
    fields = ("pk", "role", "is_superuser", "county_id", "township_id", "station_id")
    links = ("deputy_id", "handling_unit_id")
    return ":".join(str(getattr(user, name, "")) for name in (*fields, *links))


def cached(request, name: str, build: Callable[[], T], *, topic: str = ROSTERS) -> T:
    """``build()``'s result for this user and request, from the cache when still current."""
    seconds = settings.LIST_CACHE_SECONDS
    if seconds <= 0:
        return build()
    raw = "|".join(
        [
            name,
            _user_key(request.user),
            translation.get_language() or "",
            request.get_host(),  # the API's page links are absolute
            request.get_full_path(),
            str(generation(topic)),
            timezone.localdate().isoformat(),
        ]
    )
    key = "listcache:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value
