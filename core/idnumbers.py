"""Chinese resident identity numbers (公民身份号码, GB 11643-1999).

python-stdnum's ``stdnum.cn.ric.validate`` also requires the first six digits to be a known
birth-place code from its own table; region codes are renumbered over time (counties merged or
renamed), so real people's numbers can fail that lookup. We therefore check only what the standard
defines: 17 digits, a real birth date and the ISO 7064 MOD 11-2 check character.
"""

import datetime
import decimal
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    gender: str  # "M" or "F", from the parity of the 17th digit


def normalize_id_number(value: str) -> str:
    """Strip spaces (also full-width ones) and upper-case a trailing x."""
    value = (value or "").replace("\u3000", "").replace(" ", "").strip()
    return value.upper()


def parse_id_number(value: str, *, today: datetime.date | None = None) -> ResidentId:
    number = normalize_id_number(value)
    if len(number) == 15 and number.isdigit():
        raise ValidationError(
            _("这是15位旧身份证号码,请填写换发后的18位公民身份号码。"), code="legacy_id_number"
        )
    if len(number) != 18:
        raise ValidationError(
            _("公民身份号码应为18位,当前为%(length)d位。") % {"length": len(number)},
            code="id_number_length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("公民身份号码前17位应为数字,最后一位为数字或X。"), code="id_number_format"
        )
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("公民身份号码中的出生日期 %(date)s 不存在。") % {"date": number[6:14]},
            code="id_number_birth_date",
        ) from None
    today = today or datetime.date.today()
    if birth_date > today or birth_date.year < 1880:
        raise ValidationError(
            _("公民身份号码中的出生日期 %(date)s 不合理。") % {"date": birth_date.isoformat()},
            code="id_number_birth_date",
        )
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise ValidationError(
            _("公民身份号码校验码错误,请核对后重新填写。"), code="id_number_checksum"
        )
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth_date, gender=gender)


def validate_id_number(value: str) -> None:
    parse_id_number(value)


def make_id_number(region_code: str, birth_date: datetime.date, sequence: int, gender: str) -> str:
    """Build a valid number (for demo data and tests): ``sequence`` 0-499 becomes the order code."""
    order = sequence * 2 + (1 if gender == "M" else 0)
    if not 0 <= order <= 999:
        raise ValueError("sequence out of range")
    body = f"{region_code[:6]}{birth_date:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
# Typed before a number to keep Excel from turning it into one ('510824…); also its curly forms.
_QUOTES = "'‘’`\""


def id_number_from_cell(value) -> str:
    """An ID number as typed into a spreadsheet cell, made comparable: full-width digits, X and
    spaces folded (NFKC), a typed leading apostrophe dropped, numbers (int, Decimal, or a float
    without a fraction) and scientific notation written out in digits, a trailing x
    upper-cased. Digits lost to Excel's 15-digit precision cannot come back: such a number then
    fails the check character, as it should."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr keeps the number as Excel saved it (15 significant digits), not the float's binary
        # expansion: 5.10824199001011e+17 → 510824199001011000, never …011008.
        number = decimal.Decimal(repr(value))
        return str(int(number)) if number == number.to_integral_value() else repr(value)
    if isinstance(value, decimal.Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split()).strip(_QUOTES)
    text = normalize_id_number(text)
    if _SCIENTIFIC.match(text):
        number = decimal.Decimal(text)
        if number == number.to_integral_value():
            return str(int(number))
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text
