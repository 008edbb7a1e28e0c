"""A roster file with nothing to import is refused at upload with a clear message saying it is
empty (a CSV of commas went on to a mapping page of blank columns), and no job is kept."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rosters.models import ImportJob
from tests.rosters.helpers import XLSX

UPLOAD = reverse("rosters:upload")


def _blank_xlsx(rows: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in range(1, rows + 1):
        sheet.cell(row=row, column=1, value=" ")  # cells that exist but hold nothing
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("空.csv", b",,\r\n,,\r\n", "text/csv", "这个文件是空的"),
        ("空.xlsx", _blank_xlsx(3), XLSX, "这个文件是空的"),
        ("空行.xlsx", _blank_xlsx(40), XLSX, "文件的前15行都是空的,找不到表头"),
        ("零字节.csv", b"", "text/csv", "空文件"),
    ],
)
def test_an_empty_file_is_said_to_be_empty(client_for, name, content, kind, message):
    response = client_for("staff").post(
        UPLOAD, {"roster": "deputies", "file": SimpleUploadedFile(name, content, kind)}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors
    assert not ImportJob.objects.exists()
