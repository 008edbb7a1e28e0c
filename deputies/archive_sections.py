"""What other features put at the head of a deputy's 履职档案 (the 人代会 attendance first).

The archive lives here, below the features that know their records: a feature registers a
function of (deputy, year) returning the section (a template name and its context, or None), and
the archive page renders the sections in the order registered. Nothing here imports a feature."""

import dataclasses
from collections.abc import Callable
from typing import Any

from directory.models import Deputy


@dataclasses.dataclass(frozen=True)
class ArchiveSection:
    template: str
    context: dict[str, Any]


Provider = Callable[[Deputy, int], ArchiveSection | None]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def sections(deputy: Deputy, year: int) -> list[ArchiveSection]:
    found = (provider(deputy, year) for provider in _PROVIDERS)
    return [section for section in found if section is not None]
