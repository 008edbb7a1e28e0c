"""Recognising a table's columns by their headers as offices write them: the label, a synonym,
or a header that contains one (所在选区, 选举单位(选区), 联系电话), with spaces (姓 名), full-width
brackets, a required-marker star or (必填) around it. Shared by every import (rosters, the
training sign-in sheet) so that all read headers alike."""

import re
import unicodedata
from collections.abc import Iterable

# Said beside a header, not part of its name: (必填), (选填), a trailing colon.
_NOISE = re.compile(r"[((](必填|选填|必选|可选|可不填)[))]|[::]$")
# A header that merely contains a name is taken only when it is short: a title row above the
# header (XX县第十八届人大代表名册) names many things.
CONTAINS_SLACK = 8


def header_key(value) -> str:
    """A header cell compared loosely: full-width folded (NFKC: （）→ ()), no spaces, no star."""
    if value is None:
        return ""
    key = "".join(unicodedata.normalize("NFKC", str(value)).split())
    key = key.replace("*", "").replace("※", "")
    return _NOISE.sub("", key)


def match_score(key: str, name: str) -> tuple[int, int] | None:
    """How well a header matches a name: exactly beats containing, then the longer (more
    specific) name; a one-character name matches only exactly."""
    if key == name:
        return (2, len(name))
    if len(name) > 1 and name in key and len(key) <= len(name) + CONTAINS_SLACK:
        return (1, len(name))
    return None


def match_columns(row: Iterable, columns: list[tuple[str, set[str]]]) -> dict[str, int]:
    """For ``columns`` as (key, header keys of its names), each one's index in ``row``: the best
    matches first, never two columns on one cell nor one column on two cells."""
    candidates = []
    for index, cell in enumerate(row):
        key = header_key(cell)
        if not key:
            continue
        for order, (column, names) in enumerate(columns):
            scores = [score for name in names if (score := match_score(key, name))]
            if scores:
                candidates.append((max(scores), -index, -order, column, index))
    candidates.sort(reverse=True)
    found: dict[str, int] = {}
    used: set[int] = set()
    for _score, _index, _order, column, index in candidates:
        if column not in found and index not in used:
            found[column] = index
            used.add(index)
    return dict(sorted(found.items(), key=lambda item: item[1]))
