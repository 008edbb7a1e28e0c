"""Codes people read off paper and type on a phone: tracking codes for citizens' opinions and
one-time evaluation codes. Crockford's base32 (no I, L, O or U, so nothing is confused with 1 or
0), 130 random bits, in groups of four: ``K7QM-3XRT-9D2F-…``. Typed back in any case, with or
without the dashes and spaces, with O for 0 and I or L for 1, it finds the same code."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 26  # 26 × 5 = 130 bits, more than the 128 a guess must face
GROUP = 4
# Groups of four and one of two, joined by dashes: 32 characters.
MAX_LENGTH = LENGTH + (LENGTH - 1) // GROUP

_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.·—]+")


def _grouped(plain: str) -> str:
    return "-".join(plain[i : i + GROUP] for i in range(0, len(plain), GROUP))


def new_code() -> str:
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalize(typed: str) -> str:
    """The code as stored, from what a person typed; "" when it cannot be one."""
    plain = _SEPARATORS.sub("", typed or "").upper().translate(_TYPOS)
    if len(plain) != LENGTH or any(char not in ALPHABET for char in plain):
        return ""
    return _grouped(plain)


def canonical(typed: str) -> str:
    """The code to look up for what a person typed or a link carried: the normalized code, or the
    text as it came (codes issued before this format are case-sensitive URL-safe tokens)."""
    return normalize(typed) or (typed or "").strip()
