"""The CAPTCHA is drawn to be read: the characters left to right without overlapping, the signs
larger than the digits, everything on one baseline (public.captcha)."""

import io

from PIL import Image, ImageDraw, ImageFont, ImageOps

from public import captcha


def test_the_question_is_laid_out_in_order_with_larger_signs():
    placed = captcha.layout("19 - 8 = ?")
    assert [char for char, _, _ in placed] == ["1", "9", "-", "8", "=", "?"]
    xs = [x for _, x, _ in placed]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    sizes = {char: size for char, _, size in placed}
    assert sizes["-"] > sizes["9"] and sizes["="] > sizes["8"]


def test_the_digits_share_one_baseline():
    """Each digit's ink ends on the same row: drawn alone on a blank image, their lowest dark
    pixels are level (no digit is lifted or dropped)."""
    bottoms = set()
    for char, x, size in captcha.layout("17 + 4 = ?"):
        if not char.isdigit():
            continue
        image = Image.new("L", (200, 60), 255)
        ImageDraw.Draw(image).text(
            (x, captcha.BASELINE), char, font=ImageFont.load_default(size=size), anchor="ls", fill=0
        )
        bottoms.add(ImageOps.invert(image).getbbox()[3])  # the row below the lowest ink
    assert len(bottoms) == 1


def test_the_image_is_a_png_of_the_form_size():
    session = {}
    image = Image.open(io.BytesIO(captcha.render_png(session)))
    assert image.format == "PNG" and image.size == (180, 56)
    assert "question" in session[captcha.SESSION_KEY]
