import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from PIL import Image

from core.uploads import (
    ImageFileValidator,
    RequestSizeLimitMiddleware,
    UploadRejected,
    XlsxFileValidator,
    open_workbook,
    validate_image,
    validate_xlsx,
)

MIB = 1024 * 1024


def make_xlsx_bytes(rows=(("姓名", "身份证号"), ("张三", "510824197503081234"))) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "代表"
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_zip(data: bytes, replace: dict[str, bytes] | None = None, add=None) -> bytes:
    """Copy a zip, replacing some entries' content and appending others."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = replace.get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED)
        for name, content in (add or {}).items():
            dst.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def upload(data: bytes, name: str = "file.xlsx", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def image_bytes(fmt: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def rejected_code(validator, uploaded) -> str:
    with pytest.raises(UploadRejected) as excinfo:
        validator(uploaded)
    assert excinfo.value.message  # a message for the user, not only a code
    return excinfo.value.code


class UnreadableFile:
    """Declares a size but fails the test if anything reads it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.name = "huge.xlsx"

    def read(self, *args):
        raise AssertionError("the file must not be read")

    def seek(self, *args):
        return 0

    def tell(self):
        return 0


# --- Spreadsheets ----------------------------------------------------------------------------------


def test_valid_xlsx_passes_and_opens_rewound():
    uploaded = upload(make_xlsx_bytes())
    validate_xlsx(uploaded)
    assert uploaded.tell() == 0
    workbook = open_workbook(uploaded)
    try:
        rows = list(workbook["代表"].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert rows == [("姓名", "身份证号"), ("张三", "510824197503081234")]


def test_valid_xlsx_with_another_extension_is_judged_by_content():
    validate_xlsx(upload(make_xlsx_bytes(), name="名单.txt"))


def test_oversize_file_is_rejected_from_its_size_without_reading():
    with pytest.raises(UploadRejected) as excinfo:
        validate_xlsx(UnreadableFile(int(23.4 * MIB)))
    assert excinfo.value.code == "file_too_large"
    assert str(excinfo.value) == "文件过大:最大允许 10 MB,当前 23.4 MB。"


def test_image_oversize_is_rejected_without_reading():
    with pytest.raises(UploadRejected) as excinfo:
        validate_image(UnreadableFile(9 * MIB))
    assert excinfo.value.code == "file_too_large"


def test_empty_file_is_rejected():
    assert rejected_code(validate_xlsx, upload(b"")) == "file_empty"


def test_zip_that_is_not_a_workbook_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert rejected_code(validate_xlsx, upload(buffer.getvalue())) == "xlsx_invalid"


def test_renamed_text_and_exe_files_are_rejected():
    assert rejected_code(validate_xlsx, upload("姓名,电话\n".encode(), "a.xlsx")) == "xlsx_invalid"
    exe = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode."
    assert rejected_code(validate_xlsx, upload(exe, "setup.xlsx")) == "xlsx_invalid"


def test_executable_with_a_workbook_appended_is_rejected():
    polyglot = b"MZ\x90\x00" + b"\x00" * 200 + make_xlsx_bytes()
    assert rejected_code(validate_xlsx, upload(polyglot)) == "xlsx_invalid"


def test_encrypted_or_legacy_ole_file_is_rejected_with_its_own_message():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    with pytest.raises(UploadRejected) as excinfo:
        validate_xlsx(upload(ole))
    assert excinfo.value.code == "xlsx_encrypted"
    assert "文件已加密或不是 .xlsx 格式" in str(excinfo.value)


def test_macro_enabled_workbook_is_rejected():
    xlsm = rewrite_zip(make_xlsx_bytes(), add={"xl/vbaProject.bin": b"\x00" * 512})
    assert rejected_code(validate_xlsx, upload(xlsm, "a.xlsm")) == "xlsx_macro"


def test_zip_bomb_ratio_is_rejected_before_parsing():
    # ~5 MB of zeros deflates to a few KB: far over the default ratio of 100.
    bomb = rewrite_zip(make_xlsx_bytes(), add={"xl/media/zeros.bin": b"\x00" * (5 * MIB)})
    assert len(bomb) < 100_000
    with pytest.raises(UploadRejected) as excinfo:
        open_workbook(upload(bomb))
    assert excinfo.value.code == "xlsx_zip_bomb"
    assert str(excinfo.value) == "压缩文件解压后过大,疑似压缩炸弹,已拒绝。"


@override_settings(XLSX_MAX_UNCOMPRESSED_BYTES=2 * MIB, XLSX_MAX_RATIO=10_000)
def test_total_uncompressed_size_limit():
    big = rewrite_zip(make_xlsx_bytes(), add={"xl/media/zeros.bin": b"\x00" * (3 * MIB)})
    assert rejected_code(validate_xlsx, upload(big)) == "xlsx_zip_bomb"
    validate_xlsx(upload(make_xlsx_bytes()))


@override_settings(XLSX_MAX_ENTRIES=20)
def test_too_many_entries_is_rejected():
    extra = {f"xl/media/image{i}.png": b"x" for i in range(30)}
    crowded = rewrite_zip(make_xlsx_bytes(), add=extra)
    assert rejected_code(validate_xlsx, upload(crowded)) == "xlsx_too_many_entries"


def test_defusedxml_is_active_in_openpyxl():
    import openpyxl.xml
    import openpyxl.xml.functions

    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


def test_import_fails_when_openpyxl_would_not_use_defusedxml():
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import core.uploads"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_xml_entity_bomb_is_refused_by_defusedxml():
    # The shared-strings part is read with openpyxl's iterparse, which is defusedxml's.
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as workbook:
        workbook.add_worksheet("代表").write_string(0, 0, "张三")
    data = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        shared = archive.read("xl/sharedStrings.xml").decode()
    doctype = '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    shared = shared.replace("?>", "?>" + doctype, 1).replace("张三", "&b;")
    bomb = rewrite_zip(data, replace={"xl/sharedStrings.xml": shared.encode()})
    validate_xlsx(upload(bomb))  # structurally fine; the XML parser must refuse it
    with pytest.raises(UploadRejected) as excinfo:
        open_workbook(upload(bomb))
    assert excinfo.value.code == "xlsx_unsafe_xml"


def test_broken_workbook_part_is_rejected_not_a_server_error():
    broken = rewrite_zip(make_xlsx_bytes(), replace={"xl/workbook.xml": b"<not-xml"})
    assert rejected_code(open_workbook, upload(broken)) == "xlsx_invalid"


def test_xlsx_validator_in_a_form():
    class ImportForm(forms.Form):
        file = forms.FileField(validators=[XlsxFileValidator()])

    good = ImportForm(files={"file": upload(make_xlsx_bytes())})
    assert good.is_valid()
    bad = ImportForm(files={"file": upload(b"just text", "a.xlsx")})
    assert not bad.is_valid()
    assert bad.errors["file"] == ["文件内容不是有效的 Excel(.xlsx)工作簿。"]
    assert XlsxFileValidator(max_bytes=5) == XlsxFileValidator(max_bytes=5)
    assert XlsxFileValidator().deconstruct()[0] == "core.uploads.XlsxFileValidator"


# --- Images ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_valid_images_pass_and_are_rewound(fmt):
    uploaded = upload(image_bytes(fmt), name="photo.bin")
    validate_image(uploaded)
    assert uploaded.tell() == 0


def test_text_named_jpg_is_rejected():
    fake = upload("不是图片".encode(), "photo.jpg", "image/jpeg")
    with pytest.raises(UploadRejected) as excinfo:
        validate_image(fake)
    assert excinfo.value.code == "image_invalid"
    assert str(excinfo.value) == "图片无法识别,请上传 JPEG、PNG 或 WebP 格式的照片。"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image_is_rejected(fmt):
    data = image_bytes(fmt, size=(200, 200))
    assert rejected_code(validate_image, upload(data[: len(data) // 2])) == "image_damaged"


def test_gif_is_rejected():
    assert rejected_code(validate_image, upload(image_bytes("GIF"), "a.gif")) == "image_invalid"


@override_settings(IMAGE_MAX_PIXELS=1_000)
def test_image_over_pixel_limit_is_rejected_with_a_message():
    with pytest.raises(UploadRejected) as excinfo:
        validate_image(upload(image_bytes("PNG", size=(100, 100))))
    assert excinfo.value.code == "image_too_many_pixels"
    assert "100×100" in str(excinfo.value)


def test_pillow_decompression_bomb_is_rejected(monkeypatch):
    # Pillow's own guard (raised while reading the header) becomes a rejection, not a 500.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(UploadRejected) as excinfo:
        validate_image(upload(image_bytes("PNG", size=(100, 100))))
    assert excinfo.value.code == "image_too_many_pixels"


def test_image_validator_in_a_form():
    class PhotoForm(forms.Form):
        photo = forms.FileField(validators=[ImageFileValidator()])

    assert PhotoForm(files={"photo": upload(image_bytes("JPEG"), "p.jpg")}).is_valid()
    assert not PhotoForm(files={"photo": upload(image_bytes("GIF"), "p.jpg")}).is_valid()


# --- Request size middleware -----------------------------------------------------------------------


def run_middleware(content_length: str | None):
    calls = []

    def view(request):
        calls.append(request)
        return HttpResponse("ok")

    request = RequestFactory().post("/upload/", data=b"x", content_type="application/octet-stream")
    if content_length is None:
        request.META.pop("CONTENT_LENGTH", None)
    else:
        request.META["CONTENT_LENGTH"] = content_length
    return RequestSizeLimitMiddleware(view)(request), calls


def test_middleware_answers_413_for_a_large_content_length():
    response, calls = run_middleware(str(50 * MIB))
    assert response.status_code == 413
    assert "最大允许 11 MB" in response.content.decode()
    assert calls == []


def test_middleware_passes_small_and_missing_content_length():
    assert run_middleware("1")[0].status_code == 200
    assert run_middleware(None)[0].status_code == 200


@pytest.mark.parametrize("header", ["abc", "-5", "1e9", "１２"])
def test_middleware_answers_400_for_a_bad_content_length(header):
    response, calls = run_middleware(header)
    assert response.status_code == 400
    assert calls == []


@override_settings(REQUEST_MAX_BYTES=100)
def test_middleware_uses_request_max_bytes_setting():
    assert run_middleware("101")[0].status_code == 413
    assert run_middleware("100")[0].status_code == 200
