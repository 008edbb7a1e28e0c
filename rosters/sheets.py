"""Reading a roster sheet: rows as Excel numbers them (any of .xlsx, .xls, .ods, .csv, through
:func:`core.tables.open_table`), the header found among the first rows (a merged title row
above it is skipped: the reader gives its value in the first cell only), and each column of the roster matched to a sheet column by its Chinese header in any
order. Staff may correct the matching (``mapping``) when the headers are not the template's."""

import dataclasses
import itertools
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core import headers
from core.tables import TableError, open_table

from . import cells

HEADER_SEARCH_ROWS = 15


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def names(self) -> set[str]:
        return {header_key(name) for name in (self.label, *self.aliases)}


class SheetError(Exception):
    """The file as a whole cannot be used (not a workbook, no header, too many rows)."""


@dataclasses.dataclass
class Sheet:
    header_row: int  # as Excel numbers it
    headers: list[str]  # the header cells, by sheet column index
    mapping: dict[str, int]  # roster column key -> sheet column index
    # (Excel row number, values) of the non-empty data rows: read as they are iterated (once),
    # see :class:`DataRows`; a list where a roster needs them all at once.
    rows: "DataRows | list[tuple[int, tuple]]"
    # roster column key -> the one value given for the whole file (a column the file lacks)
    fixed: dict[str, str] = dataclasses.field(default_factory=dict)
    labels: dict[str, str] = dataclasses.field(default_factory=dict)  # key -> Chinese label

    def column_name(self, col: int) -> str:
        header = self.headers[col] if col < len(self.headers) else ""
        return f"{get_column_letter(col + 1)}列" + (f"“{header}”" if header else "")

    def cell(self, raw: tuple, key: str):
        """The row's cell of roster column ``key``, or the value set for the whole file."""
        col = self.mapping.get(key)
        if col is not None:
            return raw[col] if col < len(raw) else None
        return self.fixed.get(key)

    def column_of(self, key: str) -> str:
        """How a row error names the column: as Excel does, or as the value set for the file."""
        col = self.mapping.get(key)
        if col is not None:
            return self.column_name(col)
        if key in self.fixed:
            return _("整列取值“%(c)s”") % {"c": self.labels.get(key, key)}
        return ""


def header_key(value) -> str:
    """A header cell compared loosely (core.headers): no spaces, full-width folded, no star."""
    return headers.header_key(value)


def read_rows(uploaded_file, sheet: str | None = None) -> list[tuple]:
    """Every row of the sheet named ``sheet`` (else the first with data) of a .xlsx, .xls, .ods
    or .csv file."""
    return list(stream_rows(uploaded_file, sheet=sheet)[0])


def stream_rows(uploaded_file, sheet: str | None = None) -> tuple[Iterator[tuple], int]:
    """The rows of the sheet as they are read (core.tables reads a large .xlsx sheet piece by
    piece), and about how many there are (0: unknown). A file the reader refuses, now or while
    its rows are read, raises :class:`SheetError`."""
    try:
        table = open_table(uploaded_file, sheet=sheet)
        hint = table.row_count_hint()
    except TableError as error:
        raise SheetError(str(error)) from None

    def rows() -> Iterator[tuple]:
        try:
            yield from table.rows()
        except TableError as error:
            raise SheetError(str(error)) from None

    return rows(), hint


def detect_mapping(row: tuple, columns: tuple[Column, ...]) -> dict[str, int]:
    """Each roster column's sheet column: the best matches first (an exact header before one
    that contains a name, a longer name before a shorter), never two roster columns on one
    sheet column nor one roster column on two."""
    return headers.match_columns(row, [(column.key, column.names) for column in columns])


def column_for_label(label: str, columns: tuple[Column, ...]) -> Column:
    """The roster column named ``label`` (its label or a synonym), for ``--set 届次=18``."""
    key = header_key(label)
    for column in columns:
        if key in column.names:
            return column
    raise SheetError(
        _("没有名为“%(l)s”的列;可用的列:%(all)s")
        % {"l": label, "all": "、".join(c.label for c in columns)}
    )


def find_header(
    rows: list[tuple] | tuple, columns: tuple[Column, ...]
) -> tuple[int, dict[str, int]]:
    """The index of the header row (the first of the first rows holding every required column,
    else the one matching most columns) and its mapping."""
    required = {c.key for c in columns if c.required}
    # One recognised cell does not make a header: a note such as "身份证号请以文本格式填写" on a
    # sheet of instructions would otherwise be taken for one.
    least = min(2, len(columns))
    best = (-1, 0, {})
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = detect_mapping(row, columns)
        if len(mapping) < least:
            continue
        if required <= mapping.keys():
            return index, mapping
        if len(mapping) > best[1]:
            best = (index, len(mapping), mapping)
    if best[0] < 0:
        raise SheetError(
            _("没有找到表头:前%(n)d行中没有可识别的列名。") % {"n": HEADER_SEARCH_ROWS}
        )
    return best[0], best[2]


class DataRows:
    """The data rows below the header as they are read: (Excel row number, values), the empty
    rows left out. Iterated once; ``bool()`` looks ahead at the first row. More than
    ``max_rows`` rows raise :class:`SheetError` when the row after the last allowed is reached
    (a roster that checks as it reads stops there). ``total_hint``: about how many there are
    in all (0: unknown), for a progress bar."""

    def __init__(self, rows: Iterator[tuple], first: int, max_rows: int, total_hint: int = 0):
        self._rows = self._data(rows, first, max_rows)
        self._ahead: list = []
        self.total_hint = total_hint

    @staticmethod
    def _data(rows: Iterator[tuple], number: int, max_rows: int) -> Iterator[tuple[int, tuple]]:
        given = 0
        text = cells.text
        for row in rows:
            number += 1
            # a number or a date is never empty: text() only for the text cells
            if not any(cell is not None and (type(cell) is not str or text(cell)) for cell in row):
                continue
            given += 1
            if given > max_rows:
                raise SheetError(_("一次最多导入%(n)d行。") % {"n": max_rows})
            yield number, row

    def __bool__(self) -> bool:
        if not self._ahead:
            self._ahead = list(itertools.islice(self._rows, 1))
        return bool(self._ahead)

    def __iter__(self) -> Iterator[tuple[int, tuple]]:
        if self._ahead:
            yield self._ahead.pop()
        yield from self._rows


def build_sheet(
    rows: Iterable[tuple],
    columns: tuple[Column, ...],
    *,
    header_row: int | None = None,
    mapping: dict[str, int] | None = None,
    fixed_values: dict[str, str] | None = None,
    max_rows: int,
    rows_hint: int = 0,
) -> Sheet:
    """The sheet with its header row and mapping detected, or as given (Excel numbering).
    ``fixed_values`` (roster column key -> text) fill the columns the file lacks, as if every
    row had that cell; a column the sheet has keeps its own cells.

    ``rows`` may be an iterator (:func:`stream_rows`): only the rows down to the header are
    read here, the data rows are read as ``sheet.rows`` is iterated. A list is counted at once
    (more than ``max_rows`` data rows raise :class:`SheetError` here). ``rows_hint``: about how
    many rows the iterator gives (0: unknown)."""
    if isinstance(rows, list | tuple):
        rows_hint = len(rows)
    source = iter(rows)
    head = list(itertools.islice(source, max(HEADER_SEARCH_ROWS, header_row or 0)))
    if header_row is None:
        index, detected = find_header(head, columns)
    else:
        if not 1 <= header_row <= len(head):
            raise SheetError(_("表头行第%(n)d行不存在。") % {"n": header_row})
        index = header_row - 1
        detected = detect_mapping(head[index], columns)
    if mapping is not None:
        detected = {key: col for key, col in mapping.items() if col is not None}
    data = DataRows(
        itertools.chain(head[index + 1 :], source),
        index + 1,
        max_rows,
        total_hint=max(rows_hint - index - 1, 0),
    )
    if isinstance(rows, list | tuple):
        data = list(data)  # counted now: too many rows is said before any is checked
    known = {c.key: c.label for c in columns}
    fixed = {
        key: value
        for key, value in (fixed_values or {}).items()
        if key in known and key not in detected and cells.text(value)
    }
    return Sheet(
        header_row=index + 1,
        headers=[cells.text(cell) for cell in head[index]],
        mapping=detected,
        rows=data,
        fixed=fixed,
        labels=known,
    )


def no_data_error(sheet: Sheet) -> str:
    """What to say of a sheet with a header and no data rows ("" when it has rows)."""
    if sheet.rows:
        return ""
    return _("第%(n)d行是表头,但下面没有数据行:这个文件没有可导入的内容。") % {
        "n": sheet.header_row
    }


def missing_required(sheet: Sheet, columns: tuple[Column, ...]) -> list[str]:
    return [
        c.label
        for c in columns
        if c.required and c.key not in sheet.mapping and c.key not in sheet.fixed
    ]


def read_head(
    uploaded_file, rows: int = HEADER_SEARCH_ROWS, sheet: str | None = None
) -> list[list[str]]:
    """The first rows as text, for the mapping page (stops reading after them)."""
    try:
        table = open_table(uploaded_file, sheet=sheet)
        return [[cells.text(cell) for cell in row] for row in itertools.islice(table.rows(), rows)]
    except TableError as error:
        raise SheetError(str(error)) from None
