"""One Excel cell writer for every export.

Exports are written with XlsxWriter, by default in ``constant_memory`` mode: each row is flushed to
a temporary file as soon as the next row starts, so memory stays flat however many rows there are
(rows must therefore be written top to bottom).

Formula injection: every value that is not a number, boolean, date or ``None`` is written with
``worksheet.write_string``, never ``write()``. A string cell is stored as text (an inline string in
constant-memory mode, a shared string otherwise) and has no ``<f>`` formula element, so Excel
shows ``=1+1``, ``+x``, ``-x``, ``@x`` or a value starting with a tab or CR literally and never
evaluates it. The value is kept exact — no quote or apostrophe is prefixed. The workbook options
(``strings_to_formulas``/``strings_to_numbers``/``strings_to_urls`` off) make even a stray
``write()`` safe. Digit strings (ID numbers, phone numbers with a leading zero) therefore stay text
too; integers too long for Excel's 15 significant digits are written as text rather than rounded.
"""

from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Iterable
from typing import IO, Any
from zoneinfo import ZoneInfo

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

EXPORT_TIME_ZONE = ZoneInfo("Asia/Shanghai")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIME_FORMAT = "hh:mm"

SHEET_NAME_MAX_LENGTH = 31
_SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
_DEFAULT_SHEET_NAME = "Sheet"

# Excel keeps 15 significant digits; larger integers would be silently rounded.
_MAX_EXACT_INTEGER = 10**15
_MAX_ROWS = 1_048_576
_MAX_COLUMNS = 16_384


def new_workbook(path_or_buffer: str | IO[bytes], *, constant_memory: bool = True) -> Workbook:
    """An XlsxWriter workbook that never turns strings into formulas, numbers or links."""
    return xlsxwriter.Workbook(
        path_or_buffer,
        {
            "constant_memory": constant_memory,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
        },
    )


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def sanitize_sheet_name(name: str, existing: Iterable[str] = ()) -> str:
    """A valid, unique worksheet name: forbidden characters ``[]:*?/\\`` and control characters
    become ``_``, no leading/trailing apostrophe, at most 31 characters (UTF-16 units, as Excel
    counts), not ``History`` (reserved by Excel), and different from ``existing`` ignoring case
    (a suffix `` (2)``, `` (3)``, ... is added)."""
    cleaned = "".join(
        "_" if char in _SHEET_NAME_FORBIDDEN or ord(char) < 32 else char for char in str(name or "")
    )
    cleaned = cleaned.strip().strip("'").strip()
    cleaned = cleaned or _DEFAULT_SHEET_NAME
    if cleaned.lower() == "history":
        cleaned = f"{cleaned}_"

    def truncate(text: str, limit: int) -> str:
        while _utf16_length(text) > limit:
            text = text[:-1]
        return text.rstrip().rstrip("'") or _DEFAULT_SHEET_NAME

    taken = {sheet.lower() for sheet in existing}
    candidate = truncate(cleaned, SHEET_NAME_MAX_LENGTH)
    number = 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = truncate(cleaned, SHEET_NAME_MAX_LENGTH - len(suffix)) + suffix
        number += 1
    return candidate


class SafeSheetWriter:
    """Writes rows into an XlsxWriter worksheet, choosing the cell type from the Python type.

    ``None`` → blank; ``bool`` → boolean; ``int``/``float``/``Decimal`` → number (integers of 16+
    digits, NaN and infinities → text); ``date``/``datetime``/``time`` → date cell (aware datetimes
    converted to Asia/Shanghai); anything else → ``str(value)`` as a text cell (see the module
    docstring for why that is formula-safe).
    """

    def __init__(self, workbook: Workbook, worksheet: Worksheet, *, next_row: int = 0) -> None:
        self.workbook = workbook
        self.worksheet = worksheet
        self.next_row = next_row
        self._last_row = next_row - 1
        self.date_format: Format = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime_format: Format = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.time_format: Format = workbook.add_format({"num_format": TIME_FORMAT})
        # A cell format per column (None where the type decides), set by set_column_formats.
        self.column_formats: list[Format | None] = []

    def set_column_formats(self, num_formats: dict[int, str]) -> None:
        """Number formats by column index (e.g. ``{4: "0.00", 5: "0.0"}``) for the rows written
        afterwards."""
        width = max(num_formats, default=-1) + 1
        self.column_formats = [
            self.workbook.add_format({"num_format": num_formats[col]})
            if col in num_formats
            else None
            for col in range(width)
        ]

    def write_cell(self, row: int, col: int, value: Any, cell_format: Format | None = None) -> None:
        ws = self.worksheet
        if value is None:
            result = ws.write_blank(row, col, None, cell_format)
        elif isinstance(value, bool):
            result = ws.write_boolean(row, col, value, cell_format)
        elif isinstance(value, int | float | decimal.Decimal):
            number = float(value)
            if (
                math.isnan(number)
                or math.isinf(number)
                or (isinstance(value, int) and abs(value) >= _MAX_EXACT_INTEGER)
            ):
                result = ws.write_string(row, col, str(value), cell_format)
            else:
                exact = number if isinstance(value, decimal.Decimal) else value
                result = ws.write_number(row, col, exact, cell_format)
        elif isinstance(value, datetime.datetime):
            if value.tzinfo is not None and value.utcoffset() is not None:
                value = value.astimezone(EXPORT_TIME_ZONE).replace(tzinfo=None)
            else:
                value = value.replace(tzinfo=None)
            result = ws.write_datetime(row, col, value, cell_format or self.datetime_format)
        elif isinstance(value, datetime.date):
            result = ws.write_datetime(row, col, value, cell_format or self.date_format)
        elif isinstance(value, datetime.time):
            result = ws.write_datetime(
                row, col, value.replace(tzinfo=None), cell_format or self.time_format
            )
        else:
            # write_string, never write(): the value becomes a text cell, exactly as given.
            result = ws.write_string(row, col, str(value), cell_format)
        if result == -1:
            raise ValueError(f"Cell ({row}, {col}) is outside the worksheet's limits.")

    def write_row(
        self, row_index: int, values: Iterable[Any], cell_format: Format | None = None
    ) -> None:
        """Write ``values`` from column A of ``row_index``. In constant-memory mode rows must come
        in order; writing above the current row raises instead of being silently dropped."""
        if self.worksheet.constant_memory and row_index < self._last_row:
            raise ValueError(
                f"Row {row_index} was already flushed (constant_memory writes top to bottom)."
            )
        if row_index >= _MAX_ROWS:
            raise ValueError(f"Row {row_index} is outside the worksheet's limits.")
        # The common cells (text and small integers) go straight to XlsxWriter; every other type
        # takes write_cell's full dispatch. Same cells as write_cell, without its per-cell cost.
        ws = self.worksheet
        write_string, write_number = ws.write_string, ws.write_number
        formats = self.column_formats if cell_format is None else ()
        width = len(formats)
        col = -1
        for col, value in enumerate(values):
            cell = formats[col] if col < width else cell_format
            kind = type(value)
            if kind is str:
                write_string(row_index, col, value, cell)
            elif value is None:
                if cell is not None:  # an unformatted blank cell is nothing in the file
                    ws.write_blank(row_index, col, None, cell)
            elif kind is int and -_MAX_EXACT_INTEGER < value < _MAX_EXACT_INTEGER:
                write_number(row_index, col, value, cell)
            elif kind is decimal.Decimal and value.is_finite():
                write_number(row_index, col, float(value), cell)
            elif kind is datetime.date:
                ws.write_datetime(row_index, col, value, cell or self.date_format)
            else:
                self.write_cell(row_index, col, value, cell)
        if col >= _MAX_COLUMNS:
            raise ValueError(f"Row {row_index} has more columns than a worksheet holds.")
        self._last_row = max(self._last_row, row_index)
        self.next_row = max(self.next_row, row_index + 1)

    def append(self, values: Iterable[Any], cell_format: Format | None = None) -> int:
        """Write ``values`` into the next row; returns its index."""
        row_index = self.next_row
        self.write_row(row_index, values, cell_format)
        return row_index


def add_table_sheet(
    workbook: Workbook,
    name: str,
    headers: list[tuple[str, int]],
    title: str | None = None,
) -> SafeSheetWriter:
    """Add a worksheet with an optional title row (merged across the columns), a bold header row
    frozen in place, and the column widths from ``headers`` (``(label, width)`` pairs). The
    returned writer's ``append`` continues below the header."""
    worksheet = workbook.add_worksheet(sanitize_sheet_name(name, workbook.sheetnames))
    for col, (_label, width) in enumerate(headers):
        worksheet.set_column(col, col, width)

    row = 0
    if title:
        title_format = workbook.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        )
        last_col = max(len(headers) - 1, 0)
        if last_col > 0:
            worksheet.merge_range(row, 0, row, last_col, "", title_format)
        worksheet.write_string(row, 0, str(title), title_format)
        worksheet.set_row(row, 24)
        row += 1

    header_format = workbook.add_format(
        {
            "bold": True,
            "text_wrap": True,
            "valign": "vcenter",
            "align": "center",
            "border": 1,
            "bg_color": "#D9E1F2",
        }
    )
    for col, (label, _width) in enumerate(headers):
        worksheet.write_string(row, col, str(label), header_format)
    worksheet.freeze_panes(row + 1, 0)
    return SafeSheetWriter(workbook, worksheet, next_row=row + 1)
