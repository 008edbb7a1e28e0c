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


_PHONE_SEPARATORS = re.compile(r"[\s\-—–()()+.·]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# 010 and 02x are three-digit area codes, the rest (0839) four; the local number 7 or 8 digits.
_LANDLINE = re.compile(r"^(0(?:10|2\d)|0[3-9]\d{2})(\d{7,8})$")


def phone(value) -> str:
    """A mobile number (11 digits) or a landline with its area code, however typed: spaces,
    dashes, brackets and full-width digits dropped, a +86 prefix or an apostrophe too. A
    landline is kept as 0839-5221234. Anything else (a local number without its area code) is
    an error. Empty gives ""."""
    raw = text(value).strip("'‘’`")
    if not raw:
        return ""
    digits = _PHONE_SEPARATORS.sub("", raw)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if _MOBILE.match(digits):
        return digits
    match = _LANDLINE.match(digits)
    if match:
        return f"{match[1]}-{match[2]}"
    raise CellError(
        _("“%(v)s”不是有效的电话号码(应为11位手机号码,或带区号的固定电话如0839-5221234)")
        % {"v": raw}
    )


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


_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[.\-/年](\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


def birth_month(value) -> tuple[tuple[int, int, int | None], ...]:
    """A 出生年月 (or 出生日期) cell as the readings it allows, each (year, month, day or None):
    1969.07, 1969.7, 1969年7月, 196907, 1969-7, a full date, or an Excel date. Two readings
    where Excel made the text ambiguous: the number 1969.1 was typed 1969.1 or 1969.10, and a
    date on the 1st may be a month Excel turned into a date. Empty gives ()."""
    if value is None or value == "":
        return ()
    if isinstance(value, float) and not value.is_integer() and 1880 < value < 2100:
        year, fraction = f"{value:.2f}".split(".")
        readings = [(int(year), int(fraction), None)]
        if fraction.endswith("0"):
            readings.append((int(year), int(fraction[0]), None))
        return tuple(r for r in readings if 1 <= r[1] <= 12) or _not_a_month(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and value > _SERIAL_MAX:
        value = str(int(value))  # 196907 or 19690715 typed as a number
    raw = compact(value) if isinstance(value, str) else ""
    if raw:
        for pattern in _MONTH_PATTERNS:
            match = pattern.match(raw)
            if match:
                year, month = int(match[1]), int(match[2])
                if not 1 <= month <= 12:
                    _not_a_month(raw)
                return ((year, month, None),)
    try:
        day = date(value)
    except CellError:
        _not_a_month(raw or value)
    if day is None:
        return ()
    readings = [(day.year, day.month, day.day)]
    if day.day == 1 and not raw:
        readings.append((day.year, day.month, None))
    return tuple(readings)


def _not_a_month(value):
    raise CellError(_("“%(v)s”不是出生年月(可写作1969.07、1969年7月或1969-07-15)") % {"v": value})


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
