"""core.uploads.validate_table called directly: each refusal of a zip, an OLE file and a text
file on its own (a later check, or calamine, would often refuse the same file anyway, which is
why these branches need tests of their own), and the bytes a CSV may hold."""

import io
import zipfile

import pytest

from core.uploads import UploadRejected, decode_text, validate_table
from tests.core.test_tables import _ole_with
from tests.tablefiles import write_table

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def refused(data: bytes) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        validate_table(io.BytesIO(data))
    return caught.value


def zip_of(parts: dict, *, flag_bits: int = 0, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``parts``; ``flag_bits`` set in every entry's local and central headers
    afterwards (zipfile writes its own flags)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start >= 0:
            data[start + offset] |= flag_bits
            start = data.find(signature, start + 4)
    return bytes(data)


def xlsx_parts() -> dict:
    with zipfile.ZipFile(io.BytesIO(write_table([["姓名"], ["张三"]], "xlsx"))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def ods_parts(mimetype: str = ODS_MIMETYPE, manifest: str = "<manifest/>") -> dict:
    return {
        "mimetype": mimetype,
        "content.xml": "<office:document-content/>",
        "META-INF/manifest.xml": manifest,
    }


def test_the_formats_are_told_and_the_file_is_rewound():
    for fmt in ("xlsx", "xls", "ods", "csv"):
        handle = io.BytesIO(write_table([["姓名"], ["张三"]], fmt))
        handle.seek(3)
        assert validate_table(handle) == fmt
        assert handle.tell() == 0


def test_a_zip_with_an_encrypted_entry_is_refused_as_encrypted():
    assert validate_table(io.BytesIO(zip_of(xlsx_parts()))) == "xlsx"
    error = refused(zip_of(xlsx_parts(), flag_bits=0x1))
    assert error.code == "table_encrypted"
    # Bit 3 (sizes after the data) is what many writers set: not encryption.
    assert validate_table(io.BytesIO(zip_of(xlsx_parts(), flag_bits=0x8))) == "xlsx"


def test_a_zip_compressed_other_than_stored_or_deflated_is_refused():
    error = refused(zip_of(xlsx_parts(), compression=zipfile.ZIP_BZIP2))
    assert error.code == "table_unknown_format"
    assert str(error).startswith("无法识别的文件")


def test_an_opendocument_text_is_named_and_an_encrypted_sheet_refused():
    assert validate_table(io.BytesIO(zip_of(ods_parts()))) == "ods"
    text = refused(zip_of(ods_parts("application/vnd.oasis.opendocument.text")))
    assert str(text).startswith("这是OpenDocument 文本或演示文稿文件")
    encrypted = refused(
        zip_of(ods_parts(manifest='<manifest><encryption-data checksum="x"/></manifest>'))
    )
    assert encrypted.code == "table_encrypted"


def test_a_zip_with_a_mimetype_but_no_content_is_a_plain_zip():
    error = refused(zip_of({"mimetype": "application/epub+zip", "OEBPS/a.xhtml": "<html/>"}))
    assert str(error).startswith("这是压缩文件")


def test_ole_files_that_are_not_workbooks_are_named():
    assert validate_table(io.BytesIO(_ole_with())) == "xls"
    assert str(refused(_ole_with("PowerPoint Document"))).startswith("这是PowerPoint文件")
    assert refused(_ole_with("Book", storage="_VBA_PROJECT")).code == "table_macro"


def test_binary_bytes_are_not_a_csv():
    assert refused(b"\x00\x01\x02 a,b").code == "table_unknown_format"
    for byte in (0x19, 0x1B, 0x1F, 0x00, 0x07):
        assert refused(b"a,b\r\n" + bytes([byte]) + b"c,d\r\n").code == "table_unknown_format"
    # Tab, CR, LF, and Ctrl-Z at the end (old Windows programs) are text.
    assert validate_table(io.BytesIO(b"a\tb\r\nc,d\n\x1a")) == "csv"


def test_an_xml_file_is_named():
    assert str(refused(b'<?xml version="1.0"?><root/>')).startswith("这是XML文件")


def test_a_page_is_recognised_within_the_first_512_characters():
    with pytest.raises(UploadRejected):
        decode_text(b" " * 507 + b"<html><body></body></html>")
    # Beyond them it is text like any other (a CSV cell may hold markup).
    assert decode_text(b" " * 508 + b"<html>").endswith("<html>")


def test_a_pptx_is_named():
    error = refused(zip_of({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}))
    assert str(error).startswith("这是PowerPoint文件")
