"""Workbooks for the roster tests: a title row merged across the top, a note row, then the
header (not the template's order) and the data rows."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DEPUTY_HEADER = [
    "序号",
    "代表姓名",
    "性别",
    "身份证号码",
    "出生年月",
    "政治面貌",
    "进驻家站",
    "代表层级 ",
    "届次",
    "选区",
    "手机",
]


def workbook_bytes(header, rows, *, title="苍溪县人大代表名册") -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["填报单位:县人大常委会代表工委"])
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(header, rows, **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile("名册.xlsx", workbook_bytes(header, rows, **kwargs), XLSX)
