"""One upload validator for every spreadsheet and photo the portal accepts.

Every check looks at the file's content, never at its name or the browser's content type:

* size, from ``.size`` and before a single byte is read (the request body as a whole is limited
  earlier still by :class:`RequestSizeLimitMiddleware`);
* tables (:func:`validate_table`, used by every import through :mod:`core.tables`): the format is
  told from the bytes — an ``.xlsx`` or ``.ods`` zip, an ``.xls`` OLE2 compound file, or text that
  decodes as UTF-8 or GB18030 (CSV) — and each is held to its limits: zips to the zip-bomb limits
  (entry count, total uncompressed size, compression ratio, from the central directory before a
  byte is inflated), no macros (a VBA project in an .xlsx or .xls, Basic or scripts in an .ods),
  not encrypted; a Word document, a PDF, a picture or random bytes are told apart with a message
  that says which formats are accepted;
* the legacy :func:`validate_xlsx` / :func:`open_workbook` pair (openpyxl through defusedxml,
  which this module insists on at import time) stays for callers that need openpyxl;
* photos: decoded by Pillow (JPEG, PNG or WebP only), within a pixel limit, and fully loaded so
  truncated files are caught; :func:`reencode_image` then draws the stored copy afresh (see
  core.photos), so nothing of the uploaded bytes but the picture is kept.

Settings (read on every call, so ``override_settings`` works):

``UPLOAD_MAX_BYTES``             spreadsheets, default 10 MiB
``UPLOAD_IMAGE_MAX_BYTES``       photos, default 8 MiB
``XLSX_MAX_UNCOMPRESSED_BYTES``  sum of the zip entries' declared sizes, default 200 MiB
``XLSX_MAX_ENTRIES``             default 10 000
``XLSX_MAX_RATIO``               uncompressed / compressed, per entry and in total, default 100
``IMAGE_MAX_PIXELS``             width × height, default 40 million
``TABLE_MAX_ROWS`` / ``TABLE_MAX_COLUMNS`` / ``TABLE_MAX_CELLS`` / ``CSV_MAX_LINE_CHARS``
                                 the extent of a table, enforced by :mod:`core.tables`
``REQUEST_MAX_BYTES``            whole request body, default the larger upload limit + 1 MiB
"""

from __future__ import annotations

import io
import logging
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import defusedxml
import olefile
import openpyxl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import xml as openpyxl_xml
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

MIB = 1024 * 1024

DEFAULT_UPLOAD_MAX_BYTES = 10 * MIB
DEFAULT_UPLOAD_IMAGE_MAX_BYTES = 8 * MIB
DEFAULT_XLSX_MAX_UNCOMPRESSED_BYTES = 200 * MIB
DEFAULT_XLSX_MAX_ENTRIES = 10_000
DEFAULT_XLSX_MAX_RATIO = 100
DEFAULT_IMAGE_MAX_PIXELS = 40_000_000

# Small entries may compress very well (a styles part full of repeated attributes) and cannot hurt
# anyone, so the ratio limit applies only to entries — and totals — larger than this.
RATIO_CHECK_MIN_BYTES = 1 * MIB

# Decoded formats accepted for photos (Pillow's format names). Only these plugins are even tried
# when identifying a file, so exotic parsers (EPS via Ghostscript, PSD, ...) are never reached.
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
# What a stored photo of each format is named and served as.
IMAGE_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
IMAGE_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Pillow's save options per format: a photo re-encoded at a quality the eye does not tell apart.
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 90},
    "PNG": {},
    "WEBP": {"quality": 90},
}

# Encrypted .xlsx files and legacy .xls workbooks are OLE compound documents, not zips.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# What the staff are told they may upload, in every message about a table file.
TABLE_FORMATS = ".xlsx、.xls、.ods、.csv"
# Leading bytes of files people upload by mistake, to name them in the message.
_OTHER_FORMATS = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", _lazy("图片")),
    (b"\xff\xd8\xff", _lazy("图片")),
    (b"GIF8", _lazy("图片")),
    (b"{\\rtf", "RTF"),
    (b"Rar!", _lazy("压缩")),
    (b"7z\xbc\xaf", _lazy("压缩")),
    (b"\x1f\x8b", _lazy("压缩")),
    (b"MZ", _lazy("程序")),
    (b"\x7fELF", _lazy("程序")),
)
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)

# openpyxl picks defusedxml up by itself when it is importable (and OPENPYXL_DEFUSEDXML is not
# "False"). Fail loudly if that ever stops being true instead of silently parsing unsafe XML.
if not openpyxl_xml.DEFUSEDXML or not openpyxl.DEFUSEDXML:
    raise ImproperlyConfigured(
        "openpyxl is not using defusedxml: install defusedxml and do not set "
        "OPENPYXL_DEFUSEDXML=False; uploaded workbooks must never be parsed with the plain "
        "XML parser."
    )

# Errors that may still come out of a read-only workbook while its sheets are iterated (sheets are
# parsed lazily); callers reading rows can catch these and report an invalid file.
WORKBOOK_READ_ERRORS: tuple[type[BaseException], ...] = (
    defusedxml.DefusedXmlException,
    SyntaxError,  # xml.etree.ElementTree.ParseError
    ValueError,
    KeyError,
    zipfile.BadZipFile,
    OSError,
)


class UploadRejected(ValidationError):
    """A rejected upload. ``code`` is stable for tests and logs; the message is for the user."""

    def __init__(self, message: str, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=code, params=params)

    def __str__(self) -> str:
        return str(self.message)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _format_mb(size: int, *, other: int | None = None) -> str:
    """10485760 -> "10 MB"; 24536186 -> "23.4 MB". Uses more decimals when one would make ``size``
    look equal to ``other`` ("最大允许 10 MB,当前 10.0 MB" is confusing)."""
    value = size / MIB
    if value == int(value):
        return f"{int(value)} MB"
    for decimals in (1, 2, 3):
        text = f"{value:.{decimals}f} MB"
        if other is None or text != _format_mb(other):
            return text
    return f"{size} B"


def _file_size(uploaded_file: Any) -> int:
    """The size without reading the content: ``.size`` (Django files), else seek to the end."""
    try:
        size = uploaded_file.size
    except (AttributeError, OSError):
        size = None
    if size is not None:
        return int(size)
    position = uploaded_file.tell()
    uploaded_file.seek(0, 2)
    size = uploaded_file.tell()
    uploaded_file.seek(position)
    return int(size)


def check_size(uploaded_file: Any, max_bytes: int) -> None:
    """Reject an empty file or one over ``max_bytes``; reads nothing."""
    size = _file_size(uploaded_file)
    if size <= 0:
        raise UploadRejected(_("文件为空,请重新选择文件。"), code="file_empty")
    if size > max_bytes:
        raise UploadRejected(
            _("文件过大:最大允许 %(limit)s,当前 %(size)s。")
            % {"limit": _format_mb(max_bytes), "size": _format_mb(size, other=max_bytes)},
            code="file_too_large",
        )


def _read_head(uploaded_file: IO[bytes], length: int = 8) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(length)
    uploaded_file.seek(0)
    return head or b""


# --- Spreadsheets --------------------------------------------------------------------------------


def _invalid_xlsx() -> UploadRejected:
    return UploadRejected(_("文件内容不是有效的 Excel(.xlsx)工作簿。"), code="xlsx_invalid")


def _zip_bomb() -> UploadRejected:
    return UploadRejected(_("压缩文件解压后过大,疑似压缩炸弹,已拒绝。"), code="xlsx_zip_bomb")


def _check_zip_entries(infos: list[zipfile.ZipInfo], max_total: int | None = None) -> None:
    max_entries = _setting("XLSX_MAX_ENTRIES", DEFAULT_XLSX_MAX_ENTRIES)
    max_total = max_total or _setting(
        "XLSX_MAX_UNCOMPRESSED_BYTES", DEFAULT_XLSX_MAX_UNCOMPRESSED_BYTES
    )
    max_ratio = _setting("XLSX_MAX_RATIO", DEFAULT_XLSX_MAX_RATIO)

    if len(infos) > max_entries:
        raise UploadRejected(
            _("压缩文件包含的条目过多(%(count)d 个,最多允许 %(limit)d 个),已拒绝。")
            % {"count": len(infos), "limit": max_entries},
            code="xlsx_too_many_entries",
        )
    # Python's zipfile never yields more than an entry's declared file_size (it stops there and
    # fails the CRC check), so the declared sizes bound what openpyxl can ever decompress.
    total_size = total_compressed = 0
    for info in infos:
        total_size += info.file_size
        total_compressed += info.compress_size
        if total_size > max_total:
            raise _zip_bomb()
        if info.file_size > RATIO_CHECK_MIN_BYTES and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            raise _zip_bomb()
    if total_size > RATIO_CHECK_MIN_BYTES and total_size > max_ratio * max(total_compressed, 1):
        raise _zip_bomb()


def validate_xlsx(
    uploaded_file: Any, *, max_bytes: int | None = None, max_uncompressed: int | None = None
) -> None:
    """Raise :class:`UploadRejected` unless ``uploaded_file`` is a safe ``.xlsx`` workbook.

    Order: size (from ``.size``, nothing read) → not an OLE file (encrypted .xlsx / legacy .xls) →
    a zip starting with a local file header → entry count, total uncompressed size and compression
    ratios (central directory only) → standard compression methods, no encrypted entries → the
    ``[Content_Types].xml`` and ``xl/workbook.xml`` parts → no VBA project (.xlsm). No XML is parsed
    here. The file is rewound afterwards, also when it is rejected.

    The file name is ignored on purpose: the content decides. A renamed ``.exe`` or text file is
    rejected; a genuine workbook is accepted whatever it is called (even ``.txt``). Forms may still
    check the extension for a friendlier message, but that is not a security boundary.
    """
    if max_bytes is None:
        max_bytes = _setting("UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES)
    check_size(uploaded_file, max_bytes)
    try:
        head = _read_head(uploaded_file)
        if head.startswith(_OLE_MAGIC):
            raise UploadRejected(
                _(
                    "文件已加密或不是 .xlsx 格式(例如旧版 .xls),"
                    "请取消密码并另存为 Excel 工作簿(.xlsx)后再上传。"
                ),
                code="xlsx_encrypted",
            )
        # A real .xlsx starts with a local file header; this also rules out executables and other
        # files with a zip appended (zipfile alone would accept those).
        if not head.startswith(_ZIP_LOCAL_HEADER) or not zipfile.is_zipfile(uploaded_file):
            raise _invalid_xlsx()
        uploaded_file.seek(0)
        try:
            with zipfile.ZipFile(uploaded_file) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise _invalid_xlsx() from None

        _check_zip_entries(infos, max_uncompressed)

        if any(info.flag_bits & 0x1 for info in infos):
            raise UploadRejected(
                _("文件已加密或不是 .xlsx 格式,请取消密码后再上传。"), code="xlsx_encrypted"
            )
        if any(info.compress_type not in _ZIP_METHODS for info in infos):
            raise _invalid_xlsx()
        names = {info.filename for info in infos}
        if not all(part in names for part in _XLSX_REQUIRED_PARTS):
            raise _invalid_xlsx()
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise UploadRejected(
                _("文件包含宏(VBA),出于安全原因不接受启用宏的工作簿,请另存为 .xlsx 后再上传。"),
                code="xlsx_macro",
            )
    finally:
        uploaded_file.seek(0)


def open_workbook(
    uploaded_file: Any, *, max_bytes: int | None = None, max_uncompressed: int | None = None
) -> openpyxl.Workbook:
    """Validate ``uploaded_file`` and open it with openpyxl (read-only, cached values only).

    Returns an ``openpyxl`` read-only workbook; call ``workbook.close()`` when done. Sheets are
    parsed lazily while rows are iterated, so also catch :data:`WORKBOOK_READ_ERRORS` there.
    """
    validate_xlsx(uploaded_file, max_bytes=max_bytes, max_uncompressed=max_uncompressed)
    try:
        return openpyxl.load_workbook(
            uploaded_file, read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many types on malformed parts
        if _caused_by(exc, defusedxml.DefusedXmlException):
            raise UploadRejected(
                _("文件包含不安全的 XML 内容,已拒绝。"), code="xlsx_unsafe_xml"
            ) from None
        logger.info("openpyxl could not open an uploaded workbook", exc_info=True)
        raise _invalid_xlsx() from None


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``exc`` or an exception it wraps (openpyxl re-raises as ValueError) is a ``kind``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


# --- Tables: .xlsx, .xls, .ods, .csv --------------------------------------------------------------


def _not_a_table(kind: str | None = None) -> UploadRejected:
    if kind:
        message = _("这是%(kind)s文件,不是表格。请上传 %(formats)s 格式的表格文件。") % {
            "kind": kind,
            "formats": TABLE_FORMATS,
        }
    else:
        message = _("无法识别的文件:请上传 %(formats)s 格式的表格文件。") % {
            "formats": TABLE_FORMATS
        }
    return UploadRejected(message, code="table_unknown_format")


def _encrypted_table() -> UploadRejected:
    return UploadRejected(
        _("文件设置了密码(已加密),无法读取。请在 Excel 或 WPS 中取消密码后另存再上传。"),
        code="table_encrypted",
    )


def _macro_table() -> UploadRejected:
    return UploadRejected(
        _(
            "文件包含宏,出于安全原因不接受启用宏的工作簿。"
            "请另存为不含宏的工作簿(%(formats)s)后再上传。"
        )
        % {"formats": TABLE_FORMATS},
        code="table_macro",
    )


def validate_table(
    uploaded_file: Any, *, max_bytes: int | None = None, max_uncompressed: int | None = None
) -> str:
    """Raise :class:`UploadRejected` unless ``uploaded_file`` is a table the portal reads; return
    its format, told from the bytes (never the name): ``"xlsx"``, ``"xls"``, ``"ods"`` or
    ``"csv"``.

    Size first (from ``.size``, nothing read). Zips (.xlsx, .ods): the limits of
    :func:`_check_zip_entries` from the central directory, standard compression, no encrypted
    entries, the parts of the format, no macros. OLE2 files (.xls): the directory entries say
    whether it is a workbook, a Word or PowerPoint file, an encrypted .xlsx, or carries a VBA
    project. Anything else must be text in UTF-8 or GB18030 without control characters (CSV).
    The extent of the table (rows, columns, cells, line length) is checked while it is read
    (:mod:`core.tables`). The file is rewound afterwards, also when it is rejected.
    """
    if max_bytes is None:
        max_bytes = _setting("UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES)
    check_size(uploaded_file, max_bytes)
    try:
        head = _read_head(uploaded_file, 512)
        if head.startswith(_OLE_MAGIC):
            _check_ole(uploaded_file)
            return "xls"
        if head.startswith(_ZIP_LOCAL_HEADER):
            return _check_table_zip(uploaded_file, max_uncompressed)
        for magic, kind in _OTHER_FORMATS:
            if head.startswith(magic):
                raise _not_a_table(str(kind))
        _check_text(uploaded_file)
        return "csv"
    finally:
        uploaded_file.seek(0)


def _check_ole(uploaded_file: Any) -> None:
    uploaded_file.seek(0)
    try:
        ole = olefile.OleFileIO(uploaded_file)
    except Exception:  # olefile raises OSError and others on a damaged compound file
        raise _not_a_table() from None
    try:
        entries = {"/".join(path).lower() for path in ole.listdir(streams=True, storages=True)}
    finally:
        ole.close()
    top = {entry.split("/")[0] for entry in entries}
    if {"encryptioninfo", "encryptedpackage"} & top:
        raise _encrypted_table()  # an .xlsx with a password is an OLE file holding the zip
    if "worddocument" in top:
        raise _not_a_table("Word")
    if "powerpoint document" in top:
        raise _not_a_table("PowerPoint")
    if not {"workbook", "book"} & top:
        raise _not_a_table()
    if {"_vba_project_cur", "_vba_project", "macros"} & top or any(
        entry.endswith("/vba") or "/vba/" in entry for entry in entries
    ):
        raise _macro_table()


def _check_table_zip(uploaded_file: Any, max_uncompressed: int | None) -> str:
    uploaded_file.seek(0)
    if not zipfile.is_zipfile(uploaded_file):
        raise _not_a_table()
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            _check_zip_entries(infos, max_uncompressed)
            if any(info.flag_bits & 0x1 for info in infos):
                raise _encrypted_table()
            if any(info.compress_type not in _ZIP_METHODS for info in infos):
                raise _not_a_table()
            if all(part in names for part in _XLSX_REQUIRED_PARTS):
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    raise _macro_table()
                return "xlsx"
            if "mimetype" in names and "content.xml" in names:
                if archive.read("mimetype").strip() != _ODS_MIMETYPE:
                    raise _not_a_table(_("OpenDocument 文本或演示文稿"))
                lowered = [name.lower() for name in names]
                if any(name.startswith(("basic/", "scripts/")) for name in lowered):
                    raise _macro_table()
                if "META-INF/manifest.xml" in names and (
                    b"encryption-data" in archive.read("META-INF/manifest.xml")
                ):
                    raise _encrypted_table()
                return "ods"
            if "word/document.xml" in names:
                raise _not_a_table("Word")
            if "ppt/presentation.xml" in names:
                raise _not_a_table("PowerPoint")
            raise _not_a_table(_("压缩"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _not_a_table() from None


# Control characters that never occur in a CSV file (tab, CR, LF and Ctrl-Z, which old Windows
# programs append, are allowed).
_BINARY_BYTES = bytes(set(range(32)) - {9, 10, 13, 26})


def decode_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM) when it is strictly that, else
    GB18030 (a superset of GBK and GB2312: what Excel writes on a Chinese Windows). Raises
    :class:`UploadRejected` when it is neither or holds control characters (a binary file)."""
    if data.translate(None, _BINARY_BYTES) != data:
        raise _not_a_table()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise UploadRejected(
            _(
                "无法识别文件的文字编码:CSV 文件请用 UTF-8 或 GBK 编码保存"
                "(Excel“另存为 CSV(逗号分隔)”即可)。"
            ),
            code="table_encoding",
        )
    lowered = text[:512].lstrip().lower()
    if lowered.startswith(("<html", "<!doctype html", "<table")):
        raise _not_a_table(_("网页(HTML)"))
    if lowered.startswith("<?xml"):
        raise _not_a_table(_("XML"))
    if not text.strip():
        raise UploadRejected(_("文件中没有任何内容。"), code="table_empty")
    return text


def _check_text(uploaded_file: Any) -> None:
    uploaded_file.seek(0)
    decode_text(uploaded_file.read())


# --- Documents: PDF, Word (.docx) and old Word/WPS (.doc) ----------------------------------------

# What a document is, told from its bytes: its content type and the extension it is saved with.
DOCUMENT_TYPES = {
    "pdf": ("application/pdf", ".pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "doc": ("application/msword", ".doc"),
}


def _not_a_document(accepted: tuple[str, ...]) -> UploadRejected:
    names = {"pdf": "PDF", "docx": "Word(.docx)", "doc": "Word 97-2003/WPS(.doc)"}
    return UploadRejected(
        _("文件应为%(kinds)s文件。") % {"kinds": "、".join(names[kind] for kind in accepted)},
        code="not_document",
    )


def validate_document(
    uploaded_file: Any, *, accepted: tuple[str, ...] = ("pdf", "docx", "doc")
) -> str:
    """Raise :class:`UploadRejected` unless ``uploaded_file`` is a document of one of the
    ``accepted`` kinds (``"pdf"``, ``"docx"``, ``"doc"``), told from its bytes, never its name;
    return the kind. Offices receive drafts and letters as PDF, or as Word files saved by Word or
    WPS. A .docx passes the zip limits of the spreadsheets (entries, size, ratio), is not
    encrypted and carries no macros; a .doc is an OLE file holding a Word document and no VBA
    project. The file is rewound afterwards, also when it is rejected."""
    check_size(uploaded_file, _setting("UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))
    try:
        head = _read_head(uploaded_file, 8)
        if head.startswith(b"%PDF-") and "pdf" in accepted:
            return "pdf"
        if head.startswith(_ZIP_LOCAL_HEADER) and "docx" in accepted:
            _check_docx(uploaded_file, accepted)
            return "docx"
        if head.startswith(_OLE_MAGIC) and "doc" in accepted:
            _check_word_ole(uploaded_file, accepted)
            return "doc"
        raise _not_a_document(accepted)
    finally:
        uploaded_file.seek(0)


def _check_docx(uploaded_file: Any, accepted: tuple[str, ...]) -> None:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            infos = archive.infolist()
            _check_zip_entries(infos)
            names = {info.filename for info in infos}
            if any(info.flag_bits & 0x1 for info in infos):
                raise UploadRejected(_("文件设置了密码,请去掉密码后再上传。"), code="encrypted")
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise _not_a_document(accepted)
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise UploadRejected(_("文件含有宏,请另存为不含宏的文件后再上传。"), code="macro")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _not_a_document(accepted) from None


def _check_word_ole(uploaded_file: Any, accepted: tuple[str, ...]) -> None:
    uploaded_file.seek(0)
    try:
        ole = olefile.OleFileIO(uploaded_file)
    except Exception:  # olefile raises OSError and others on a damaged compound file
        raise _not_a_document(accepted) from None
    try:
        entries = {"/".join(path).lower() for path in ole.listdir(streams=True, storages=True)}
    finally:
        ole.close()
    top = {entry.split("/")[0] for entry in entries}
    if {"encryptioninfo", "encryptedpackage"} & top:
        raise UploadRejected(_("文件设置了密码,请去掉密码后再上传。"), code="encrypted")
    if "worddocument" not in top:
        raise _not_a_document(accepted)
    if {"macros", "_vba_project_cur"} & top or any("/vba" in entry for entry in entries):
        raise UploadRejected(_("文件含有宏,请另存为不含宏的文件后再上传。"), code="macro")


# --- Images --------------------------------------------------------------------------------------


def _unrecognised_image() -> UploadRejected:
    return UploadRejected(
        _("图片无法识别,请上传 JPEG、PNG 或 WebP 格式的照片。"), code="image_invalid"
    )


def _too_many_pixels(max_pixels: int, size: tuple[int, int] | None = None) -> UploadRejected:
    limit = _("%(count)s 万像素") % {"count": f"{max_pixels / 10_000:g}"}
    if size:
        message = _("图片尺寸过大(%(width)d×%(height)d 像素),最大允许 %(limit)s。") % {
            "width": size[0],
            "height": size[1],
            "limit": limit,
        }
    else:
        message = _("图片尺寸过大,最大允许 %(limit)s。") % {"limit": limit}
    return UploadRejected(message, code="image_too_many_pixels")


def validate_image(uploaded_file: Any, *, max_bytes: int | None = None) -> None:
    """Raise :class:`UploadRejected` unless ``uploaded_file`` is a sound JPEG, PNG or WebP photo.

    Size first (nothing read); then Pillow identifies the file (only the JPEG, PNG and WebP
    plugins are tried), the pixel count from the header is checked against ``IMAGE_MAX_PIXELS``
    before any decoding, ``verify()`` checks the structure, and a fresh ``load()`` decodes the
    pixels so truncated files are caught. The name and content type are ignored. Pillow's own
    decompression-bomb warning and error are turned into a rejection too. The file is rewound.
    """
    if max_bytes is None:
        max_bytes = _setting("UPLOAD_IMAGE_MAX_BYTES", DEFAULT_UPLOAD_IMAGE_MAX_BYTES)
    check_size(uploaded_file, max_bytes)
    max_pixels = _setting("IMAGE_MAX_PIXELS", DEFAULT_IMAGE_MAX_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            uploaded_file.seek(0)
            with Image.open(uploaded_file, formats=IMAGE_FORMATS) as image:
                if image.format not in IMAGE_FORMATS:
                    raise _unrecognised_image()
                width, height = image.size
                if width <= 0 or height <= 0:
                    raise _unrecognised_image()
                if width * height > max_pixels:
                    raise _too_many_pixels(max_pixels, (width, height))
                image.verify()
            uploaded_file.seek(0)
            with Image.open(uploaded_file, formats=IMAGE_FORMATS) as image:
                image.load()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except Image.UnidentifiedImageError:
        raise _unrecognised_image() from None
    except Exception:  # Pillow raises many types (OSError, SyntaxError, ...) on damaged files
        raise UploadRejected(
            _("图片文件已损坏或不完整,请重新上传。"), code="image_damaged"
        ) from None
    finally:
        uploaded_file.seek(0)


@dataclass(frozen=True)
class CleanImage:
    """A photo re-encoded by :func:`reencode_image`: its bytes and the format Pillow decoded."""

    content: bytes
    format: str

    @property
    def extension(self) -> str:
        return IMAGE_EXTENSIONS[self.format]

    @property
    def content_type(self) -> str:
        return IMAGE_CONTENT_TYPES[self.format]


def reencode_image(uploaded_file: Any, *, max_bytes: int | None = None) -> CleanImage:
    """Validate ``uploaded_file`` (:func:`validate_image`) and draw it afresh in the format Pillow
    decoded: the EXIF orientation is applied to the pixels first, then the picture is saved
    without any metadata (EXIF with its GPS position, XMP, comments, colour profile) and without
    whatever followed the image data in the upload (an HTML page appended to a PNG, a zip). What
    is stored is only ever a picture Pillow wrote. Raises :class:`UploadRejected`."""
    validate_image(uploaded_file, max_bytes=max_bytes)
    try:
        uploaded_file.seek(0)
        with Image.open(uploaded_file, formats=IMAGE_FORMATS) as image:
            image_format = image.format
            # Image.open(formats=...) identifies the file as one of them, or raises.
            assert image_format is not None
            upright = ImageOps.exif_transpose(image)
        # Keep only what the pixels need: a palette's or grey image's transparent colour.
        kept = {key: upright.info[key] for key in ("transparency",) if key in upright.info}
        upright.info = dict(kept.items())
        output = io.BytesIO()
        upright.save(output, format=image_format, **_SAVE_OPTIONS[image_format], **kept)
    except UploadRejected:
        raise
    except Exception:  # Pillow raises many types on damaged files
        logger.info("Pillow could not re-encode an uploaded photo", exc_info=True)
        raise UploadRejected(
            _("图片文件已损坏或不完整,请重新上传。"), code="image_damaged"
        ) from None
    finally:
        uploaded_file.seek(0)
    return CleanImage(content=output.getvalue(), format=image_format)


def image_format_of(handle: IO[bytes]) -> str | None:
    """The format (JPEG, PNG, WEBP) of an image file as Pillow identifies it from its header, or
    None. Reads only the header; the handle is rewound."""
    try:
        handle.seek(0)
        with Image.open(handle, formats=IMAGE_FORMATS) as image:
            return image.format if image.format in IMAGE_FORMATS else None
    except Exception:  # anything Pillow cannot identify is not served as an image
        return None
    finally:
        handle.seek(0)


# --- Validators for form and model fields --------------------------------------------------------


class _FileValidator:
    """A validator for a FileField that calls ``check(value, max_bytes=...)``; ``max_bytes``
    overrides the setting. Subclasses are ``@deconstructible`` so migrations can name them."""

    @staticmethod
    def check(value: Any, /, *, max_bytes: int | None) -> Any:
        raise NotImplementedError

    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = max_bytes

    def __call__(self, value: Any) -> None:
        self.check(value, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, self.__class__) and self.max_bytes == other.max_bytes

    def __hash__(self) -> int:
        return hash((self.__class__, self.max_bytes))


@deconstructible
class XlsxFileValidator(_FileValidator):
    """``validators=[XlsxFileValidator()]`` on a FileField taking only .xlsx."""

    check = staticmethod(validate_xlsx)


@deconstructible
class TableFileValidator(_FileValidator):
    """``validators=[TableFileValidator()]`` on a FileField taking a table (.xlsx, .xls, .ods or
    .csv, see :func:`validate_table`)."""

    check = staticmethod(validate_table)


@deconstructible
class ImageFileValidator(_FileValidator):
    """``validators=[ImageFileValidator()]`` on an ImageField/FileField."""

    check = staticmethod(validate_image)


# --- Request size --------------------------------------------------------------------------------


def request_max_bytes(path: str = "") -> int:
    """The body limit of a request to ``path``: ``REQUEST_MAX_BYTES``, or a larger one that
    ``REQUEST_MAX_BYTES_BY_PATH`` gives a path prefix (a page that takes county-size files)."""
    default = max(
        _setting("UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES),
        _setting("UPLOAD_IMAGE_MAX_BYTES", DEFAULT_UPLOAD_IMAGE_MAX_BYTES),
    )
    limit = _setting("REQUEST_MAX_BYTES", default + MIB)
    for prefix, larger in getattr(settings, "REQUEST_MAX_BYTES_BY_PATH", {}).items():
        if path.startswith(prefix):
            limit = max(limit, larger)
    return limit


class RequestSizeLimitMiddleware:
    """Answer 413 when the declared body size exceeds ``REQUEST_MAX_BYTES``, before anything reads
    the body; 400 for a malformed Content-Length. Place it near the top of MIDDLEWARE.

    Requests without Content-Length (chunked) are passed on: Django reads no body without one.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH")
        if raw not in (None, ""):
            raw = str(raw).strip()
            if not (raw.isascii() and raw.isdigit()):
                return HttpResponse(
                    _("请求无效:Content-Length 请求头格式错误。"),
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            limit = request_max_bytes(request.path)
            if int(raw) > limit:
                return HttpResponse(
                    _("上传的内容过大:最大允许 %(limit)s,请压缩或拆分后重新上传。")
                    % {"limit": _format_mb(limit)},
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


PDF_MAGIC = b"%PDF-"


def check_pdf(uploaded_file: Any, *, message: str, max_bytes: int | None = None) -> None:
    """A PDF by its content (never its name), within the upload size limit; ``message`` says
    what the file should have been."""
    limit = max_bytes or int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))
    check_size(uploaded_file, limit)
    uploaded_file.seek(0)
    head = uploaded_file.read(len(PDF_MAGIC))
    uploaded_file.seek(0)
    if head != PDF_MAGIC:
        raise UploadRejected(message, code="not_pdf")
