import datetime
import decimal
import io
import zipfile
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from core.excel import add_table_sheet, new_workbook, sanitize_sheet_name

FORMULA_LIKE = ["=1+1", "+x", "-x", "@x", "\tx", "\rx", '=HYPERLINK("http://evil","点我")']
ID_NUMBER = "510824197503081234"
PHONE = "08396221234"


def export(rows, *, constant_memory=True, title="苍溪县人大代表名单", raw=None):
    buffer = io.BytesIO()
    workbook = new_workbook(buffer, constant_memory=constant_memory)
    writer = add_table_sheet(
        workbook, "代表", [("姓名", 10), ("身份证号", 22), ("电话", 14)], title=title
    )
    for row in rows:
        writer.append(row)
    workbook.close()
    if raw is not None:
        with zipfile.ZipFile(buffer) as archive:
            raw.update({name: archive.read(name) for name in archive.namelist()})
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)["代表"]


@pytest.mark.parametrize("constant_memory", [True, False])
def test_formula_like_text_is_written_as_exact_text(constant_memory):
    raw = {}
    ws = export([FORMULA_LIKE], constant_memory=constant_memory, raw=raw)
    cells = ws[3][: len(FORMULA_LIKE)]
    for cell, expected in zip(cells, FORMULA_LIKE, strict=True):
        assert cell.data_type == "s", expected
        # CR is stored as OOXML's "_x000D_" escape, which Excel decodes and openpyxl does not.
        assert unescape(cell.value) == expected
    assert cells[0].value == "=1+1"
    # No formula element anywhere in the sheet.
    assert b"<f>" not in raw["xl/worksheets/sheet1.xml"]
    assert b"<f " not in raw["xl/worksheets/sheet1.xml"]


def test_values_are_written_by_type():
    when = datetime.date(2024, 3, 8)
    aware = datetime.datetime(2024, 3, 8, 1, 30, tzinfo=datetime.UTC)
    ws = export(
        [[ID_NUMBER, PHONE, when, 42, 3.5, decimal.Decimal("12.25"), None, True, aware, 10**17]]
    )
    row = ws[3]
    assert row[0].data_type == "s" and row[0].value == ID_NUMBER
    assert row[1].data_type == "s" and row[1].value == PHONE
    assert row[2].is_date and row[2].value.date() == when
    assert row[2].number_format == "yyyy-mm-dd"
    assert row[3].data_type == "n" and row[3].value == 42
    assert row[4].value == 3.5
    assert row[5].value == 12.25
    assert row[6].value is None
    assert row[7].data_type == "b" and row[7].value is True
    # Aware datetimes are shown in Beijing time.
    assert row[8].value == datetime.datetime(2024, 3, 8, 9, 30)
    assert aware.astimezone(ZoneInfo("Asia/Shanghai")).hour == 9
    # An integer beyond Excel's 15 digits would be rounded: it is kept as text.
    assert row[9].data_type == "s" and row[9].value == str(10**17)


def test_title_header_frozen_and_column_widths():
    ws = export([["张三", ID_NUMBER, PHONE]])
    assert ws["A1"].value == "苍溪县人大代表名单"
    assert "A1:C1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == ["姓名", "身份证号", "电话"]
    assert ws["A2"].font.b
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["A"].width == pytest.approx(10, abs=1)
    assert ws.column_dimensions["B"].width == pytest.approx(22, abs=1)


def test_header_without_title_is_frozen_at_first_row():
    ws = export([["张三"]], title=None)
    assert [c.value for c in ws[1]] == ["姓名", "身份证号", "电话"]
    assert ws.freeze_panes == "A2"
    assert ws["A2"].value == "张三"


def test_constant_memory_refuses_to_write_above_flushed_rows():
    workbook = new_workbook(io.BytesIO())
    writer = add_table_sheet(workbook, "s", [("a", 5)])
    writer.append(["1"])
    writer.append(["2"])
    with pytest.raises(ValueError):
        writer.write_row(0, ["late"])
    workbook.close()


def test_sheet_names_are_sanitized():
    assert sanitize_sheet_name("2024/01 [汇总]: a*b?c\\d") == "2024_01 _汇总__ a_b_c_d"
    assert len(sanitize_sheet_name("甲" * 40)) == 31
    assert sanitize_sheet_name("") == "Sheet"
    assert sanitize_sheet_name("'引号'") == "引号"
    assert sanitize_sheet_name("History") != "History"
    assert sanitize_sheet_name("代表", existing=["代表"]) == "代表 (2)"
    assert sanitize_sheet_name("甲" * 40, existing=["甲" * 31]) == "甲" * 27 + " (2)"


def test_add_table_sheet_makes_duplicate_names_unique():
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    add_table_sheet(workbook, "名单", [("a", 5)])
    add_table_sheet(workbook, "名单", [("a", 5)])
    add_table_sheet(workbook, "a:b", [("a", 5)])
    workbook.close()
    buffer.seek(0)
    assert openpyxl.load_workbook(buffer).sheetnames == ["名单", "名单 (2)", "a_b"]
