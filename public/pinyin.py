"""Station search by name in characters, full pinyin or initials (陵江 / lingjiang / lj).

Keys are computed in Python from the names (pypinyin) and memoised per process, so the search
needs no column of its own. Without pypinyin the search falls back to the characters alone."""

import re
from functools import lru_cache

try:
    from pypinyin import Style, lazy_pinyin
except ImportError:  # pragma: no cover - pypinyin is a declared dependency
    lazy_pinyin = None

_SEPARATORS = re.compile(r"[\s'’·\-]+")


def normalise(query: str) -> str:
    return _SEPARATORS.sub("", (query or "").strip().lower())


@lru_cache(maxsize=100_000)
def keys(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of ``text``, lower case, no separators."""
    if lazy_pinyin is None or not text:
        return "", ""
    full = "".join(lazy_pinyin(text)).lower()
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()
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
