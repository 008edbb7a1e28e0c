"""Table files as offices make them, for tests: ``write_table(rows, "xls")`` gives the bytes of
an .xlsx, .xls, .ods or .csv file holding ``rows`` (lists of cell values) from A1 down.

Each format is written by what really writes it, or as close as a test can get: .xlsx by
openpyxl (shared strings and styles, as Excel writes them), .xls by xlwt (BIFF8, the Excel 97–2003
format WPS also saves by default), .ods by a small writer here (the zip with its ``mimetype`` entry
first and stored, ``content.xml`` with typed cells, as LibreOffice writes it) and .csv by the csv
module with CRLF line ends, as Excel's "CSV (逗号分隔)" (pass ``encoding="gbk"`` for what a
Chinese Windows writes, ``"utf-8-sig"`` for "CSV UTF-8").

Cell values: ``str``, ``int``, ``float``, ``bool``, ``datetime.date``/``datetime.datetime``
(real date cells with a date format) or ``None`` (an empty cell). ``merge`` takes ranges such as
``"A1:E1"`` (a title across the columns; ignored by CSV), ``sheets`` further sheets
``{name: rows}`` after the first, and ``hidden`` names sheets to hide (.xlsx only).
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import xlwt
from openpyxl.utils import range_boundaries

FORMATS = ("xlsx", "xls", "ods", "csv")


def write_table(
    rows: list[list],
    fmt: str,
    *,
    sheet: str = "Sheet1",
    encoding: str | None = None,
    merge: tuple[str, ...] | list[str] = (),
    sheets: dict[str, list[list]] | None = None,
    hidden: tuple[str, ...] = (),
) -> bytes:
    all_sheets = {sheet: rows, **(sheets or {})}
    if fmt == "xlsx":
        return _xlsx(all_sheets, merge, hidden)
    if fmt == "xls":
        return _xls(all_sheets, merge)
    if fmt == "ods":
        return _ods(all_sheets, merge)
    if fmt == "csv":
        return _csv(rows, encoding or "utf-8")
    raise ValueError(f"unknown format {fmt!r}")


def _xlsx(sheets: dict[str, list[list]], merge, hidden) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for index, (name, rows) in enumerate(sheets.items()):
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(list(row))
        for cell_row in worksheet.iter_rows():
            for cell in cell_row:
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
        if index == 0:
            for area in merge:
                worksheet.merge_cells(area)
        if name in hidden:
            worksheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xls(sheets: dict[str, list[list]], merge) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    datetime_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for index, (name, rows) in enumerate(sheets.items()):
        worksheet = workbook.add_sheet(name)
        merged = {}
        if index == 0:
            for area in merge:
                first_col, first_row, last_col, last_row = range_boundaries(area)
                merged[(first_row - 1, first_col - 1)] = (last_row - 1, last_col - 1)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                style = (
                    datetime_style
                    if isinstance(value, datetime.datetime)
                    else date_style
                    if isinstance(value, datetime.date)
                    else xlwt.Style.default_style
                )
                if (r, c) in merged:
                    last_row, last_col = merged[(r, c)]
                    worksheet.write_merge(r, last_row, c, last_col, value, style)
                else:
                    worksheet.write(r, c, value, style)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.2"'
)


def _ods_cell(value, span: int | None) -> str:
    spanned = f' table:number-columns-spanned="{span}"' if span else ""
    if value is None:
        return f"<table:table-cell{spanned}/>"
    if isinstance(value, bool):
        typed = f'office:value-type="boolean" office:boolean-value="{str(value).lower()}"'
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, int | float):
        typed = f'office:value-type="float" office:value="{value!r}"'
        text = repr(value)
    elif isinstance(value, datetime.datetime):
        typed = f'office:value-type="date" office:date-value="{value:%Y-%m-%dT%H:%M:%S}"'
        text = f"{value:%Y-%m-%d %H:%M}"
    elif isinstance(value, datetime.date):
        typed = f'office:value-type="date" office:date-value="{value:%Y-%m-%d}"'
        text = value.isoformat()
    else:
        typed = 'office:value-type="string"'
        text = str(value)
    return f"<table:table-cell {typed}{spanned}><text:p>{escape(text)}</text:p></table:table-cell>"


def _ods(sheets: dict[str, list[list]], merge) -> bytes:
    tables = []
    for index, (name, rows) in enumerate(sheets.items()):
        spans, covered = {}, set()
        if index == 0:
            for area in merge:
                first_col, first_row, last_col, last_row = range_boundaries(area)
                spans[(first_row - 1, first_col - 1)] = last_col - first_col + 1
                covered |= {
                    (r, c)
                    for r in range(first_row - 1, last_row)
                    for c in range(first_col - 1, last_col)
                } - {(first_row - 1, first_col - 1)}
        body = []
        for r, row in enumerate(rows):
            cells = [
                "<table:covered-table-cell/>"
                if (r, c) in covered
                else _ods_cell(value, spans.get((r, c)))
                for c, value in enumerate(row)
            ]
            body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        # LibreOffice pads a sheet with a repeated empty row; readers must not count it.
        body.append(
            '<table:table-row table:number-rows-repeated="1048000">'
            '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        )
        tables.append(f"<table:table table:name={quoteattr(name)}>{''.join(body)}</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-content {_ODS_NAMESPACES}><office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", _ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _csv(rows: list[list], encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode(encoding)
