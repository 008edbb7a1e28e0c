"""An arithmetic CAPTCHA that needs no internet: the question is drawn by Pillow on the server,
the answer is kept in the visitor's session and used once.

Tests read the answer from the session (``session[SESSION_KEY]["answer"]``), as the server does;
nothing here is weakened for them."""

import io
import secrets
import time

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SESSION_KEY = "public_captcha"
LIFETIME_SECONDS = 15 * 60
_random = secrets.SystemRandom()


def new_challenge(session) -> None:
    """A fresh question replacing any earlier one."""
    a, b = _random.randint(2, 19), _random.randint(2, 9)
    if _random.random() < 0.5:
        question, answer = f"{a} + {b} = ?", a + b
    else:
        a, b = max(a, b), min(a, b)
        question, answer = f"{a} - {b} = ?", a - b
    session[SESSION_KEY] = {"question": question, "answer": answer, "issued": int(time.time())}


def check_answer(session, given) -> str | None:
    """None when right; else the message to show. The question is used once either way."""
    challenge = session.pop(SESSION_KEY, None)
    if not challenge or time.time() - challenge.get("issued", 0) > LIFETIME_SECONDS:
        return _("验证码已过期,请按新的验证码重新填写。")
    try:
        right = int(str(given).strip()) == challenge["answer"]
    except (TypeError, ValueError):
        right = False
    return None if right else _("验证码计算结果不正确,请按新的验证码重新填写。")


BASELINE = 42
DIGIT_SIZE = 32
OPERATOR_SIZE = 40  # + − = drawn larger than the digits: the sign is what people misread


def layout(question: str) -> list[tuple[str, int, int]]:
    """Where each character of the question goes: (character, x, font size), all on BASELINE."""
    placed, x = [], 8
    for char in question:
        if char == " ":
            x += 6
            continue
        size = DIGIT_SIZE if char.isdigit() or char == "?" else OPERATOR_SIZE
        placed.append((char, x, size))
        x += 19 if char.isdigit() else 24
    return placed


def render_png(session) -> bytes:
    """The current question as a small noisy PNG (a new question if there is none)."""
    if SESSION_KEY not in session:
        new_challenge(session)
    question = session[SESSION_KEY]["question"]
    width, height = 180, 56
    image = Image.new("RGB", (width, height), (250, 247, 240))
    draw = ImageDraw.Draw(image)
    for _i in range(6):
        draw.line(
            [(_random.randint(0, width), _random.randint(0, height)) for _j in range(2)],
            fill=(_random.randint(150, 210),) * 3,
            width=1,
        )
    for char, x, size in layout(question):
        ink = (_random.randint(20, 70), 30, 40)
        if char == "-":
            # The font's hyphen is a short dash: draw a minus as wide and as heavy as the plus.
            draw.line([(x + 2, BASELINE - 11), (x + 19, BASELINE - 11)], fill=ink, width=3)
            continue
        font = ImageFont.load_default(size=size)
        # One baseline for every character (anchor "ls": left, baseline), so the sum reads as
        # a line of print; only the ink colour varies.
        draw.text((x, BASELINE), char, font=font, anchor="ls", fill=ink)
    for _i in range(120):
        draw.point((_random.randint(0, width - 1), _random.randint(0, height - 1)), fill=(90,) * 3)
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
