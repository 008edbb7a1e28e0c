"""Roster imports: check a file (the preview) and save it all or nothing (the commit).

The same call does both: ``roster_import(commit=False)`` checks and says per row what would be
created, updated or left unchanged, and every error with its row and column; ``commit=True``
checks again inside one transaction and saves only when no row has an error."""

import dataclasses
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import can

from . import deputy_roster
from .base import Preview
from .place_rosters import HandlingUnitRoster, StationRoster
from .sheets import (
    Column,
    SheetError,
    build_sheet,
    missing_required,
    no_data_error,
    stream_rows,
)
from .voter_roster import VoterRoster

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User


@dataclasses.dataclass(frozen=True)
class RosterKind:
    key: str
    title: "StrOrPromise"
    columns: tuple[Column, ...]
    max_rows: int
    run: Callable[..., Preview]  # (sheet, *, user, commit, progress, sink)


def _simple(cls) -> RosterKind:
    def run(sheet, *, user: "User", commit, progress=None, sink=None):
        return cls(user).check_and_save(sheet, commit=commit, progress=progress, sink=sink)

    return RosterKind(cls.KEY, cls.TITLE, cls.COLUMNS, cls.MAX_ROWS, run)


ROSTERS: dict[str, RosterKind] = {
    kind.key: kind
    for kind in (
        RosterKind(
            deputy_roster.KEY,
            deputy_roster.TITLE,
            deputy_roster.COLUMNS,
            deputy_roster.MAX_ROWS,
            deputy_roster.run,
        ),
        _simple(StationRoster),
        _simple(HandlingUnitRoster),
        _simple(VoterRoster),
    )
}


def can_import(user: "User") -> bool:
    """Committee staff of a county and the administrator import rosters."""
    return can(user, "roster.import")


def require_importer(user: "User") -> None:
    if not can_import(user):
        raise PermissionDenied


def roster_import(
    *,
    roster: str,
    rows: Iterable[tuple],
    user: "User | None" = None,
    header_row: int | None = None,
    mapping: dict[str, int] | None = None,
    fixed_values: dict[str, str] | None = None,
    commit: bool = False,
    progress=None,
    rows_hint: int = 0,
    sink=None,
) -> Preview:
    """Check ``rows`` (read with :func:`rosters.sheets.read_rows`, or as they are read with
    :func:`rosters.sheets.stream_rows`, about ``rows_hint`` of them) as ``roster`` for ``user``
    (None: the administrator at the command line), and save them when ``commit`` and clean.

    ``sink``: called with each chunk of row outcomes as the roster is done with them, in order
    (every roster reads, checks and saves a chunk at a time); the preview then only counts
    them. Without it they are kept in ``preview.rows``."""
    kind = ROSTERS[roster]
    if user is not None:
        require_importer(user)
    try:
        sheet = build_sheet(
            rows,
            kind.columns,
            header_row=header_row,
            mapping=mapping,
            fixed_values=fixed_values,
            # The roster's own ceiling, or lower where a deployment says so.
            max_rows=min(kind.max_rows, settings.ROSTER_IMPORT_MAX_ROWS),
            rows_hint=rows_hint,
        )
    except SheetError as error:
        return Preview(roster=roster, file_errors=[str(error)])
    missing = missing_required(sheet, kind.columns)
    try:
        empty = no_data_error(sheet)  # reads on to the first data row
    except SheetError as error:
        return Preview(roster=roster, header_row=sheet.header_row, file_errors=[str(error)])
    if empty or missing:
        return Preview(
            roster=roster,
            header_row=sheet.header_row,
            mapping=dict(sheet.mapping),
            file_errors=[empty] if empty else [_("缺少必填列:%(c)s") % {"c": "、".join(missing)}],
        )
    try:
        return kind.run(sheet, user=user, commit=commit, progress=progress, sink=sink)
    except SheetError as error:  # found while the rows were read: too many, or unreadable
        return Preview(
            roster=roster,
            header_row=sheet.header_row,
            mapping=dict(sheet.mapping),
            file_errors=[str(error)],
        )


def roster_import_file(
    *, roster: str, uploaded_file, sheet: str | None = None, **kwargs
) -> Preview:
    try:
        rows, hint = stream_rows(uploaded_file, sheet=sheet)
    except SheetError as error:
        return Preview(roster=roster, file_errors=[str(error)])
    return roster_import(roster=roster, rows=rows, rows_hint=hint, **kwargs)
