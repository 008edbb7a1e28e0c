"""The upload validator at its bounds, every figure written out: sizes at and one past each
limit, the zip's entry count, total and compression ratio exactly at the limit, the pixel count,
the messages' sizes, and the request limit by path."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from PIL import Image

from core import uploads
from core.uploads import (
    ImageFileValidator,
    RequestSizeLimitMiddleware,
    UploadRejected,
    XlsxFileValidator,
    check_size,
    request_max_bytes,
    validate_image,
    validate_xlsx,
)

MIB = 1024 * 1024


def _code(call, *args, **kwargs) -> str:
    with pytest.raises(UploadRejected) as excinfo:
        call(*args, **kwargs)
    return excinfo.value.code


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(UploadRejected) as excinfo:
        call(*args, **kwargs)
    return str(excinfo.value)


class Sized(io.BytesIO):
    """A file that only says its size (no ``.size``): the validator seeks to the end."""


def test_sizes_at_and_past_the_limit():
    check_size(SimpleUploadedFile("a", b"x" * 10), 10)
    assert _code(check_size, SimpleUploadedFile("a", b"x" * 11), 10) == "file_too_large"
    assert _code(check_size, SimpleUploadedFile("a", b""), 10) == "file_empty"
    check_size(SimpleUploadedFile("a", b"x"), 10)


def test_a_file_without_a_size_is_measured_without_moving_it():
    handle = Sized(b"12345")
    handle.seek(2)
    check_size(handle, 5)
    assert handle.tell() == 2
    assert _code(check_size, Sized(b"123456"), 5) == "file_too_large"
    assert _code(check_size, Sized(b""), 5) == "file_empty"


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        (11 * MIB, 10 * MIB, "文件过大:最大允许 10 MB,当前 11 MB。"),
        (int(23.4 * MIB), 10 * MIB, "文件过大:最大允许 10 MB,当前 23.4 MB。"),
        (10 * MIB + 60_000, 10 * MIB, "文件过大:最大允许 10 MB,当前 10.1 MB。"),
        (int(10.04 * MIB), int(10.01 * MIB), "文件过大:最大允许 10.0 MB,当前 10.04 MB。"),
    ],
)
def test_the_message_shows_the_limit_and_the_size(size, limit, message):
    assert _message(check_size, SimpleUploadedFile("a", b"x" * size), limit) == message


def test_format_mb_uses_as_many_decimals_as_needed():
    assert uploads._format_mb(10 * MIB) == "10 MB"
    assert uploads._format_mb(int(2.5 * MIB)) == "2.5 MB"
    assert uploads._format_mb(10 * MIB + 60_000) == "10.1 MB"
    assert uploads._format_mb(int(10.04 * MIB), other=int(10.01 * MIB)) == "10.04 MB"


def _infos(*sizes: tuple[int, int]) -> list[zipfile.ZipInfo]:
    infos = []
    for i, (size, compressed) in enumerate(sizes):
        info = zipfile.ZipInfo(f"part{i}.xml")
        info.file_size, info.compress_size = size, compressed
        infos.append(info)
    return infos


@override_settings(XLSX_MAX_ENTRIES=3)
def test_the_entry_count_at_and_past_the_limit():
    uploads._check_zip_entries(_infos((10, 5), (10, 5), (10, 5)))
    assert _code(uploads._check_zip_entries, _infos(*[(10, 5)] * 4)) == "xlsx_too_many_entries"
    text = _message(uploads._check_zip_entries, _infos(*[(10, 5)] * 4))
    assert text == "压缩文件包含的条目过多(4 个,最多允许 3 个),已拒绝。"


@override_settings(XLSX_MAX_UNCOMPRESSED_BYTES=100, XLSX_MAX_RATIO=1000)
def test_the_total_uncompressed_size_at_and_past_the_limit():
    uploads._check_zip_entries(_infos((60, 50), (40, 30)))
    assert _code(uploads._check_zip_entries, _infos((60, 50), (41, 30))) == "xlsx_zip_bomb"
    # An explicit limit (the roster page's larger one) replaces the setting.
    uploads._check_zip_entries(_infos((60, 50), (41, 30)), max_total=101)
    assert _code(uploads._check_zip_entries, _infos((60, 50), (42, 30)), 101) == "xlsx_zip_bomb"


@override_settings(XLSX_MAX_RATIO=100, XLSX_MAX_UNCOMPRESSED_BYTES=1000 * MIB)
def test_the_compression_ratio_of_an_entry_and_of_the_total():
    big = MIB + 1  # ratios count only above 1 MiB
    uploads._check_zip_entries(_infos((MIB, 1)))  # 1 MiB exactly: any ratio
    uploads._check_zip_entries(_infos((100 * 20_000, 20_000)))  # ratio exactly 100
    assert _code(uploads._check_zip_entries, _infos((100 * 20_000 + 1, 20_000))) == "xlsx_zip_bomb"
    assert _code(uploads._check_zip_entries, _infos((big, 0))) == "xlsx_zip_bomb"
    # Entries each under 1 MiB, together over it and compressed more than 100:1.
    small = (MIB // 2, 1000)
    uploads._check_zip_entries(_infos(small))
    assert _code(uploads._check_zip_entries, _infos(small, small, small)) == "xlsx_zip_bomb"
    uploads._check_zip_entries(_infos((MIB // 2, 10_000), (MIB // 2, 10_000), (MIB // 2, 11_000)))


def _workbook_zip(*, flag=0, method=zipfile.ZIP_DEFLATED, drop=(), add=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ("[Content_Types].xml", "xl/workbook.xml", *add):
            if name in drop:
                continue
            archive.writestr(zipfile.ZipInfo(name), b"<x/>", compress_type=method)
    data = bytearray(out.getvalue())
    if flag:  # set the general-purpose flag bit of every header (local and central)
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = 0
            while (start := data.find(signature, start)) != -1:
                data[start + offset] |= flag
                start += 4
    return bytes(data)


def test_an_encrypted_entry_is_refused():
    assert _code(validate_xlsx, SimpleUploadedFile("a.xlsx", _workbook_zip(flag=1))) == (
        "xlsx_encrypted"
    )


def test_stored_and_deflated_entries_pass_other_methods_do_not():
    validate_xlsx(SimpleUploadedFile("a.xlsx", _workbook_zip(method=zipfile.ZIP_STORED)))
    validate_xlsx(SimpleUploadedFile("a.xlsx", _workbook_zip()))
    data = _workbook_zip(method=zipfile.ZIP_BZIP2)
    assert _code(validate_xlsx, SimpleUploadedFile("a.xlsx", data)) == "xlsx_invalid"


@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/workbook.xml"])
def test_each_required_part_is_needed(part):
    data = _workbook_zip(drop=(part,))
    assert _code(validate_xlsx, SimpleUploadedFile("a.xlsx", data)) == "xlsx_invalid"


def test_a_macro_part_in_any_case_is_refused():
    data = _workbook_zip(add=("xl/VBAProject.BIN",))
    assert _code(validate_xlsx, SimpleUploadedFile("a.xlsx", data)) == "xlsx_macro"


def test_the_file_is_rewound_after_a_refusal():
    uploaded = SimpleUploadedFile("a.xlsx", _workbook_zip(add=("xl/vbaProject.bin",)))
    uploaded.seek(3)
    with pytest.raises(UploadRejected):
        validate_xlsx(uploaded)
    assert uploaded.tell() == 0


def _png(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (1, 2, 3)).save(buffer, format="PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue())


@override_settings(IMAGE_MAX_PIXELS=1200)
def test_the_pixel_count_at_and_past_the_limit():
    validate_image(_png(40, 30))
    assert _message(validate_image, _png(41, 30)) == (
        "图片尺寸过大(41×30 像素),最大允许 0.12 万像素。"
    )


def test_the_image_size_limit_at_and_past_it():
    data = _png(4, 3).read()
    validate_image(SimpleUploadedFile("p.png", data), max_bytes=len(data))
    with override_settings(UPLOAD_IMAGE_MAX_BYTES=len(data) - 1):
        assert _code(validate_image, SimpleUploadedFile("p.png", data)) == "file_too_large"
    with override_settings(UPLOAD_IMAGE_MAX_BYTES=len(data)):
        validate_image(SimpleUploadedFile("p.png", data))


def test_a_decompression_bomb_message_names_the_limit_only():
    assert uploads._too_many_pixels(40_000_000).messages == ["图片尺寸过大,最大允许 4000 万像素。"]


def test_the_validators_compare_by_their_limit():
    assert XlsxFileValidator(5) == XlsxFileValidator(5) != XlsxFileValidator(6)
    assert ImageFileValidator() == ImageFileValidator() != ImageFileValidator(1)
    assert XlsxFileValidator(5) != ImageFileValidator(5)
    assert hash(XlsxFileValidator(5)) == hash(XlsxFileValidator(5))
    assert hash(XlsxFileValidator(5)) != hash(ImageFileValidator(5))
    assert len({ImageFileValidator(2), ImageFileValidator(2), ImageFileValidator(3)}) == 2
    with pytest.raises(UploadRejected):
        XlsxFileValidator(3)(SimpleUploadedFile("a.xlsx", _workbook_zip()))
    with pytest.raises(UploadRejected):
        ImageFileValidator(3)(_png(2, 2))


def test_the_request_limit_is_the_larger_upload_limit_and_a_mib(settings):
    settings.UPLOAD_MAX_BYTES, settings.UPLOAD_IMAGE_MAX_BYTES = 4 * MIB, 6 * MIB
    if hasattr(settings, "REQUEST_MAX_BYTES"):
        del settings.REQUEST_MAX_BYTES
    assert request_max_bytes("/") == 7 * MIB
    settings.UPLOAD_MAX_BYTES = 9 * MIB
    assert request_max_bytes("/") == 10 * MIB


@override_settings(REQUEST_MAX_BYTES=5 * MIB, REQUEST_MAX_BYTES_BY_PATH={"/elections/": 50 * MIB})
def test_a_path_prefix_gets_its_larger_limit():
    assert request_max_bytes("/elections/checks/new/") == 50 * MIB
    assert request_max_bytes("/election") == 5 * MIB
    assert request_max_bytes("/deputies/elections/") == 5 * MIB


@override_settings(REQUEST_MAX_BYTES=100)
def test_the_middleware_at_and_past_the_limit():
    middleware = RequestSizeLimitMiddleware(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    assert middleware(factory.post("/", CONTENT_LENGTH="100")).status_code == 200
    response = middleware(factory.post("/", CONTENT_LENGTH="101"))
    assert response.status_code == 413
    assert response.content.decode().startswith("上传的内容过大:最大允许 ")
    assert middleware(factory.post("/", CONTENT_LENGTH=" 50 ")).status_code == 200
    assert middleware(factory.post("/", CONTENT_LENGTH="")).status_code == 200


def test_the_documented_defaults():
    assert uploads.MIB == 1_048_576
    assert uploads.DEFAULT_UPLOAD_MAX_BYTES == 10_485_760  # 10 MiB
    assert uploads.DEFAULT_UPLOAD_IMAGE_MAX_BYTES == 8_388_608  # 8 MiB
    assert uploads.DEFAULT_XLSX_MAX_UNCOMPRESSED_BYTES == 209_715_200  # 200 MiB
    assert uploads.DEFAULT_XLSX_MAX_ENTRIES == 10_000
    assert uploads.DEFAULT_XLSX_MAX_RATIO == 100
    assert uploads.DEFAULT_IMAGE_MAX_PIXELS == 40_000_000
    assert uploads.RATIO_CHECK_MIN_BYTES == 1_048_576
    assert uploads.IMAGE_FORMATS == ("JPEG", "PNG", "WEBP")


def test_the_defaults_apply_without_settings(settings):
    for name in (
        "UPLOAD_MAX_BYTES",
        "UPLOAD_IMAGE_MAX_BYTES",
        "XLSX_MAX_UNCOMPRESSED_BYTES",
        "XLSX_MAX_ENTRIES",
        "XLSX_MAX_RATIO",
        "IMAGE_MAX_PIXELS",
        "REQUEST_MAX_BYTES",
        "REQUEST_MAX_BYTES_BY_PATH",
    ):
        if hasattr(settings, name):
            delattr(settings, name)
    uploads._check_zip_entries(_infos(*[(10, 5)] * 10_000))
    assert _code(uploads._check_zip_entries, _infos(*[(10, 5)] * 10_001)) == (
        "xlsx_too_many_entries"
    )
    uploads._check_zip_entries(_infos((100 * 20_000, 20_000)))
    assert _code(uploads._check_zip_entries, _infos((100 * 20_000 + 1, 20_000))) == (
        "xlsx_zip_bomb"
    )
    uploads._check_zip_entries(_infos(*[(100 * MIB, 10 * MIB)] * 2))  # 200 MiB in all
    assert _code(uploads._check_zip_entries, _infos(*[(100 * MIB, 10 * MIB)] * 2, (1, 1))) == (
        "xlsx_zip_bomb"
    )
    check_size(SimpleUploadedFile("a", b"x"), uploads._setting("UPLOAD_MAX_BYTES", 1))
    assert request_max_bytes("/") == 11 * MIB
    assert uploads._setting("UPLOAD_MAX_BYTES", uploads.DEFAULT_UPLOAD_MAX_BYTES) == 10 * MIB
    with pytest.raises(UploadRejected) as excinfo:
        validate_xlsx(SimpleUploadedFile("a.xlsx", b"x" * (10 * MIB + 1)))
    assert excinfo.value.code == "file_too_large"
    with pytest.raises(UploadRejected) as excinfo:
        validate_image(SimpleUploadedFile("a.png", b"x" * (8 * MIB + 1)))
    assert excinfo.value.code == "file_too_large"
    validate_image(_png(40, 30))


@override_settings(XLSX_MAX_RATIO=2_000_000, XLSX_MAX_UNCOMPRESSED_BYTES=1000 * MIB)
def test_each_entry_and_the_total_are_held_to_the_ratio_on_their_own():
    size = int(1.5 * MIB)  # over 1 MiB, under 2,000,000 × 1
    # One entry compressed 2,048:1 in a total that is not (the other entry is incompressible).
    with override_settings(XLSX_MAX_RATIO=100):
        assert _code(uploads._check_zip_entries, _infos((2 * MIB, 1024), (1024, 10 * MIB))) == (
            "xlsx_zip_bomb"
        )
    uploads._check_zip_entries(_infos((size, 0)))  # compressed to nothing: counted as 1 byte
    assert _code(uploads._check_zip_entries, _infos((3 * MIB, 1), (1024, 10 * MIB))) == (
        "xlsx_zip_bomb"
    )
    # Two entries each within the ratio, their total of 3 MiB from 1 byte is not.
    assert _code(uploads._check_zip_entries, _infos((size, 1), (size, 0))) == "xlsx_zip_bomb"


def test_the_head_is_read_from_the_start_whatever_the_position():
    uploaded = SimpleUploadedFile("a.xlsx", _workbook_zip(add=("xl/vbaProject.bin",)))
    uploaded.seek(3)
    assert _code(validate_xlsx, uploaded) == "xlsx_macro"


def test_a_workbook_openpyxl_cannot_open_is_logged_and_refused(caplog):
    with (
        caplog.at_level("INFO", logger="core.uploads"),
        pytest.raises(UploadRejected) as excinfo,
    ):
        uploads.open_workbook(SimpleUploadedFile("a.xlsx", _workbook_zip()))
    assert excinfo.value.code == "xlsx_invalid"
    assert caplog.messages == ["openpyxl could not open an uploaded workbook"]


def test_a_cause_is_found_through_the_context_and_a_cycle_ends():
    inner = KeyError("x")
    outer = ValueError("wrapped")
    outer.__context__ = inner
    assert uploads._caused_by(outer, KeyError) is True
    assert uploads._caused_by(outer, TypeError) is False
    first, second = ValueError("a"), ValueError("b")
    first.__context__, second.__context__ = second, first  # a cycle
    assert uploads._caused_by(first, KeyError) is False


def test_pillows_own_bomb_warning_is_a_refusal(monkeypatch, settings):
    settings.IMAGE_MAX_PIXELS = 10**9  # our limit out of the way: Pillow's warning decides
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # warns over 1,000, fails over 2,000
    assert _code(validate_image, _png(40, 30)) == "image_too_many_pixels"


def test_an_image_is_read_from_the_start_whatever_the_position():
    uploaded = _png(40, 30)
    uploaded.seek(5)
    validate_image(uploaded)
    assert uploaded.tell() == 0


def _png_with_size(width: int, height: int) -> SimpleUploadedFile:
    """A PNG whose header claims ``width`` × ``height`` (its CRC made right)."""
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    at = data.find(b"IHDR")
    data[at + 4 : at + 12] = struct.pack(">II", width, height)
    data[at + 17 : at + 21] = struct.pack(">I", zlib.crc32(bytes(data[at : at + 17])))
    return SimpleUploadedFile("p.png", bytes(data))


@pytest.mark.parametrize(("width", "height"), [(0, 2), (3, 0)])
def test_an_image_without_pixels_is_refused(width, height):
    assert _code(validate_image, _png_with_size(width, height)) == "image_invalid"


def test_a_one_pixel_image_is_an_image():
    validate_image(_png(1, 1))


def test_a_png_whose_image_data_fails_its_checksum_is_refused():
    """Decoding alone does not check the CRC of the image data; verify() does. A photo damaged
    in transfer is refused rather than stored."""
    data = bytearray(_png(4, 3).read())
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4 : idat])[0]
    crc_at = idat + 4 + length
    data[crc_at] ^= 0xFF
    with pytest.raises(UploadRejected):
        validate_image(SimpleUploadedFile("p.png", bytes(data)))
