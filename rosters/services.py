"""Roster imports: check a file (the preview) and save it all or nothing (the commit).

The same call does both: ``roster_import(commit=False)`` checks and says per row what would be
created, updated or left unchanged, and every error with its row and column; ``commit=True``
checks again inside one transaction and saves only when no row has an error."""

from types import ModuleType

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import UserScope, is_county_staff, scoped
from stations.models import Station

from . import deputy_roster
from .base import Preview
from .sheets import SheetError, build_sheet, missing_required, read_rows

ROSTERS: dict[str, ModuleType] = {deputy_roster.KEY: deputy_roster}


def can_import(user) -> bool:
    """Committee staff of a county and the administrator import rosters."""
    scope: UserScope = user.scope
    return scope.unrestricted or (scope.county is not None and is_county_staff(user, scope.county))


def require_importer(user) -> None:
    if not can_import(user):
        raise PermissionDenied


def roster_import(
    *,
    roster: str,
    rows: list[tuple],
    user=None,
    header_row: int | None = None,
    mapping: dict[str, int] | None = None,
    commit: bool = False,
    progress=None,
) -> Preview:
    """Check ``rows`` (read with :func:`rosters.sheets.read_rows`) as ``roster`` for ``user``
    (None: the administrator at the command line), and save them when ``commit`` and clean."""
    module = ROSTERS[roster]
    if user is not None:
        require_importer(user)
    try:
        sheet = build_sheet(
            rows,
            module.COLUMNS,
            header_row=header_row,
            mapping=mapping,
            max_rows=module.MAX_ROWS,
        )
    except SheetError as error:
        return Preview(roster=roster, file_errors=[str(error)])
    missing = missing_required(sheet, module.COLUMNS)
    if missing:
        return Preview(
            roster=roster,
            header_row=sheet.header_row,
            mapping=dict(sheet.mapping),
            file_errors=[_("缺少必填列:%(c)s") % {"c": "、".join(missing)}],
        )
    stations = Station.objects.all()
    if user is not None:
        stations = scoped(stations, user, "station")
    return module.check_and_save(sheet, stations=stations, commit=commit, progress=progress)


def roster_import_file(*, roster: str, uploaded_file, **kwargs) -> Preview:
    try:
        rows = read_rows(uploaded_file)
    except SheetError as error:
        return Preview(roster=roster, file_errors=[str(error)])
    return roster_import(roster=roster, rows=rows, **kwargs)
