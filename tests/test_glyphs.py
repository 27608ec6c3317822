"""Comparison signs checked against the picture (extract/glyphs.py): the bars under the angle
counted from the ink of lines drawn here, each sign in several sizes, faces and inks."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from perftab.extract.glyphs import UNSURE_SIGN, checked_signs
from perftab.extract.image_grid import TextBox

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SCORE = 0.999


def _line(text: str, font: Path, px: int, blur: float = 0.6, ink: float = 1.0):
    """A printed line as a scan holds it (blurred, paper 245, noise) and its TextBox: the box
    around its ink, the characters' x centres from the face's advances."""
    if not font.exists():
        pytest.skip(f"{font} not installed")
    face = ImageFont.truetype(str(font), px)
    width, height = int(face.getlength(text)) + 2 * px, 2 * px
    picture = Image.new("L", (width, height), 255)
    ImageDraw.Draw(picture).text((px, px // 2), text, font=face, fill=round(255 * (1 - ink)))
    pixels = np.asarray(picture.filter(ImageFilter.GaussianBlur(blur)), np.float32) * 0.96
    pixels += np.random.default_rng(len(text) + px).normal(0.0, 6.0, pixels.shape)
    gray = pixels.clip(0, 255).astype(np.uint8)
    ys, xs = np.nonzero(gray < 160)
    pad = max(2, px // 8)
    box = (float(xs.min() - pad), float(ys.min() - pad),
           float(xs.max() + pad), float(ys.max() + pad))
    centres = tuple(px + (face.getlength(text[:k]) + face.getlength(text[: k + 1])) / 2
                    for k in range(len(text)))
    return gray, box, centres


def _read(printed: str, read: str, font: Path, px: int, **degrade) -> TextBox:
    gray, box, centres = _line(printed, font, px, **degrade)
    (out,) = checked_signs(gray, [TextBox(read, SCORE, box, centres)])
    return out


# px: the sign's line 9 pt at 200 dpi (25), 10.5 pt at 200 dpi (29), 12 pt at 300 dpi (50)
SIZES = (25, 29, 50)
FACES = {"dejavu": DEJAVU, "noto-cjk": NOTO_CJK}


@pytest.mark.parametrize("px", SIZES)
@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize(("printed", "misread"), [
    ("≧93%", "≥93%"),
    ("≦13天", "≤13天"),
    ("达到≧82%", "达到≥82%"),
])
def test_a_sign_read_with_one_bar_too_few_reads_as_printed(printed, misread, face, px):
    assert _read(printed, misread, FACES[face], px) == _read(printed, printed, FACES[face], px)
    out = _read(printed, misread, FACES[face], px)
    assert (out.text, out.score) == (printed, SCORE)


@pytest.mark.parametrize("px", SIZES)
@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize(("printed", "misread"), [
    ("≥96%", "≧96%"),
    ("≤7个", "≦7个"),
])
def test_a_sign_read_with_one_bar_too_many_reads_as_printed(printed, misread, face, px):
    out = _read(printed, misread, FACES[face], px)
    assert (out.text, out.score) == (printed, SCORE)


@pytest.mark.parametrize("px", SIZES)
@pytest.mark.parametrize("printed", ["≥96%", "≧96%", "≤6小时", "≦6小时", "≥"])
def test_a_sign_read_right_is_left_as_read(printed, px):
    out = _read(printed, printed, NOTO_CJK, px)
    assert (out.text, out.score) == (printed, SCORE)


@pytest.mark.parametrize("printed", ["≧93%", "≥93%"])
def test_a_faded_sign_is_counted_too(printed):
    out = _read(printed, "≥93%", NOTO_CJK, 25, blur=0.8, ink=0.6)
    assert (out.text, out.score) == (printed, SCORE)


def test_the_slanted_bar_of_a_song_face_is_one_bar():
    out = _read("⩾93%", "≥93%", DEJAVU, 29)  # ⩾: how a Song face draws ≥
    assert (out.text, out.score) == ("≥93%", SCORE)


def test_a_sign_too_small_to_count_its_bars_is_doubted():
    out = _read("≧93%", "≥93%", NOTO_CJK, 7)
    assert (out.text, out.score) == ("≥93%", UNSURE_SIGN)


def test_a_sign_the_recogniser_did_not_place_is_doubted():
    gray, box, _ = _line("≧93%", NOTO_CJK, 29)
    (out,) = checked_signs(gray, [TextBox("≥93%", SCORE, box, ())])
    assert (out.text, out.score) == ("≥93%", UNSURE_SIGN)


def test_a_sign_blurred_into_one_band_is_doubted():
    out = _read("≧93%", "≥93%", NOTO_CJK, 25, blur=2.0)
    assert (out.text, out.score) == ("≥93%", UNSURE_SIGN)


def test_a_lower_score_is_kept_and_lines_without_a_sign_are_untouched():
    gray, box, centres = _line("≥93%", NOTO_CJK, 29)
    low = TextBox("≥93%", 0.6, box, centres)
    plain = TextBox("93%", SCORE, box, centres[1:])
    assert checked_signs(gray, [low, plain]) == [low, plain]


def test_the_recogniser_s_reading_of_a_scan_is_checked():
    """The recogniser reads a printed ≧ as ≥; the line it returns holds the sign the picture
    draws."""
    from perftab.extract.scan_reader import recognise

    gray, box, _ = _line("≧93%", NOTO_CJK, 29)
    (out,), _ = recognise(gray, [box])
    assert out.text == "≧93%"
