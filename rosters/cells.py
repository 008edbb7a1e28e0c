"""Normalisers for the cells of rosters kept by hand in Excel.

County staff type full-width digits and spaces, leave trailing spaces, let Excel turn an ID
number into a number (or into 5.10824E+17), and write dates as text in several ways or leave
them as Excel serials. Each function takes the raw openpyxl value and returns a clean Python
value, or raises ``CellError`` with a message a user can act on."""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel
from stdnum.cn import ric

from core.idnumbers import id_number_from_cell

# Excel serials of 1900-01-01 .. 2099-12-31: outside this a number is not a date.
_SERIAL_MIN, _SERIAL_MAX = 1, 73050
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
_CHINESE_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}


class CellError(ValueError):
    """A cell that cannot be read; the message names what is wrong."""


def text(value) -> str:
    """Cell text with full-width forms folded (NFKC), runs of spaces collapsed, ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    value = unicodedata.normalize("NFKC", str(value))
    return " ".join(value.split())


def compact(value) -> str:
    """Cell text without any space: for names, codes and headers."""
    return "".join(text(value).split())


def id_number(value) -> str:
    """An ID number however Excel stored it (core.idnumbers.id_number_from_cell folds it). Excel
    keeps 15 significant digits of a number, so an 18-digit number cell (or its text 5.10824E+17)
    usually lost its last digits: it is accepted only when the digits that remain still make a
    valid number, and otherwise said plainly."""
    if isinstance(value, bool):
        raise CellError(_("不是公民身份号码"))
    stored_as_number = isinstance(value, int | float | Decimal) or bool(
        _SCIENTIFIC.match(compact(value).upper())
    )
    number = id_number_from_cell(value)
    if stored_as_number:
        if not number.isdigit():
            raise CellError(_("不是公民身份号码"))
        if len(number) == 18 and not _check_character_ok(number):
            raise CellError(
                _("公民身份号码被Excel存成了数字,末几位已经丢失;请把该列设为文本格式后重新录入")
            )
    return number


def _check_character_ok(number: str) -> bool:
    return ric.calc_check_digit(number) == number[17]


def date(value) -> datetime.date | None:
    """A date cell: a real date, an Excel serial, or text such as 1975.3.8, 1975-03-08,
    1975/3/8, 1975年3月8日 or 19750308. Empty gives None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not _SERIAL_MIN <= value <= _SERIAL_MAX:
            raise CellError(_("“%(v)s”不是日期") % {"v": value})
        return from_excel(value).date()
    raw = compact(value)
    if not raw:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise CellError(_("“%(v)s”不是有效日期(可写作1975-03-08、1975.3.8或1975年3月8日)") % {"v": raw})


def integer(value) -> int | None:
    """A whole number; also 第十八届 / 十八 / 18届 as staff write a term."""
    raw = compact(value)
    if not raw:
        return None
    raw = raw.removeprefix("第").removesuffix("届")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = _chinese_number(raw)
    if number is None or number != number.to_integral_value() or number < 0:
        raise CellError(_("“%(v)s”不是整数") % {"v": compact(value)})
    return int(number)


def _chinese_number(raw: str) -> Decimal | None:
    """Chinese numerals up to 99 (十八, 二十, 九)."""
    if not raw or any(c not in _CHINESE_DIGITS and c != "十" for c in raw):
        return None
    if "十" not in raw:
        return Decimal(_CHINESE_DIGITS[raw]) if len(raw) == 1 else None
    tens, _sep, units = raw.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    return Decimal(
        (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0)
    )


def boolean(value) -> bool | None:
    raw = compact(value)
    if not raw:
        return None
    if raw in ("是", "Y", "y", "1", "√", "TRUE", "True", "true", "直选", "直接选举"):
        return True
    if raw in ("否", "N", "n", "0", "×", "FALSE", "False", "false", "间选", "间接选举"):
        return False
    raise CellError(_("“%(v)s”应填“是”或“否”") % {"v": raw})


def choice(value, options: dict[str, str], *, label: str) -> str | None:
    """The stored value of a choice written as its label (or one of the synonyms in
    ``options``, keys compacted)."""
    raw = compact(value)
    if not raw:
        return None
    try:
        return options[raw]
    except KeyError:
        raise CellError(
            _("%(label)s“%(v)s”无法识别(可填:%(allowed)s)")
            % {"label": label, "v": raw, "allowed": "、".join(dict.fromkeys(options))}
        ) from None
