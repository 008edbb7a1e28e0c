"""Chinese numerals for terms and sessions: 县第十八届人民代表大会第三次会议, 第十八届人大常委会第二十一次会议.

One place writes them, so that no label, select or title shows "第18届"."""

from django.utils.translation import gettext as _

DIGITS = "零一二三四五六七八九"
UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_number(n: int) -> str:
    """0–9999 in Chinese numerals as a count is read: 10 十, 18 十八, 21 二十一, 105 一百零五."""
    if n < 0 or n > 9999:
        raise ValueError(f"{n} is outside 0–9999")
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    text = ""
    zero = False
    for value, unit in UNITS:
        digit, n = divmod(n, value)
        if digit:
            if zero:
                text += "零"
            text += DIGITS[digit] + unit
            zero = False
        elif text:
            zero = True
    if n:
        text += ("零" if zero else "") + DIGITS[n]
    return text


def term_label(term: int) -> str:
    """第十八届."""
    return _("第%(n)s届") % {"n": chinese_number(term)}


def session_label(number: int) -> str:
    """第二十一次会议."""
    return _("第%(n)s次会议") % {"n": chinese_number(number)}


def committee_meeting_label(term: int, number: int, *, prefix: str = "") -> str:
    """(县)第十八届人大常委会第二十一次会议."""
    return _("%(prefix)s第%(term)s届人大常委会第%(number)s次会议") % {
        "prefix": prefix,
        "term": chinese_number(term),
        "number": chinese_number(number),
    }
