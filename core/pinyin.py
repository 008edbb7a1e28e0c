"""Names searched in characters, full pinyin or initials (张三 / zhangsan / zs; 陵江 / lingjiang /
lj), for deputies and stations everywhere a name is searched.

Deputies and stations keep their name's keys in two columns (``name_pinyin``, ``name_initials``),
filled on save, by their data migrations and by bulk creators (``fill_name_keys``), so a staff
list searches them with one ``icontains`` each. The public directory computes the keys in Python
(``matches``), memoised per process. Polyphonic characters take pypinyin's most common reading."""

import re
from functools import lru_cache

from django.db.models import Q

try:
    from pypinyin import lazy_pinyin
except ImportError:  # pragma: no cover - pypinyin is a declared dependency
    lazy_pinyin = None  # type: ignore[assignment]

_SEPARATORS = re.compile(r"[\s'’·\-]+")


def normalise(query: str) -> str:
    return _SEPARATORS.sub("", (query or "").strip().lower())


# Marks what pypinyin gives back of a run of characters without pinyin (kept as it is).
_AS_IS = "\x00"


def _as_is(run: str) -> list[str]:
    return [_AS_IS + run]


@lru_cache(maxsize=100_000)
def keys(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of ``text``, lower case, no separators. One pass of pypinyin:
    the initials are the first letters of the syllables (what Style.FIRST_LETTER gives), a
    run without pinyin (digits, Latin letters) is kept whole in both."""
    if lazy_pinyin is None or not text:
        return "", ""
    # pypinyin takes a callback returning a list too (one item per character run); its stubs
    # name only str.
    items = lazy_pinyin(text, errors=_as_is)  # type: ignore[arg-type]
    full = "".join(item[1:] if item[0] == _AS_IS else item for item in items).lower()
    initials = "".join(item[1:] if item[0] == _AS_IS else item[:1] for item in items).lower()
    return full, initials


def matches(query: str, *texts: str) -> bool:
    """Whether the normalised ``query`` occurs in any of ``texts`` or in their pinyin keys."""
    query = normalise(query)
    if not query:
        return True
    for text in texts:
        if query in (text or "").lower():
            return True
        if query.isascii() and any(query in key for key in keys(text or "")):
            return True
    return False


# The key columns' length: a name of n characters has at most 6n letters of pinyin.
KEY_LENGTH = 200


def fill_name_keys(instance) -> None:
    """Set ``name_pinyin`` and ``name_initials`` from ``name`` (save and bulk creators call it)."""
    full, initials = keys(instance.name or "")
    instance.name_pinyin = full[:KEY_LENGTH]
    instance.name_initials = initials[:KEY_LENGTH]


def name_q(value: str, prefix: str = "") -> Q:
    """Rows whose name contains ``value``, or whose name's pinyin or initials do. ``prefix``
    reaches the name through a relation (``"station__"``)."""
    condition = Q(**{f"{prefix}name__icontains": value.strip()})
    query = normalise(value)
    if query and query.isascii() and query.isalpha():
        condition |= Q(**{f"{prefix}name_pinyin__icontains": query}) | Q(
            **{f"{prefix}name_initials__icontains": query}
        )
    return condition
