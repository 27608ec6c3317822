"""Single characters the recogniser reads with a high score yet may have taken for a look-alike,
checked against the picture.

A printed ≧ (two bars under the angle, the form Chinese input methods type) comes out of the
recogniser as ≥ (one bar) with a score near 1, though its dictionary holds both: a target
"≧ 93%" read as "≥ 93%" with nothing to doubt it. The bars are counted from the ink instead:
the glyph is found in its line by the character's x centre, and the rows under its angle that
the ink crosses from side to side are counted, one dark band or two. Where the picture shows the
other sign, the line reads that sign; where it cannot tell (the glyph too small or blurred, run
into its neighbour), the line keeps its reading with a score under the sure level
(`UNSURE_SIGN`), so its row is doubted rather than passed as sure.

    checked_signs(gray, boxes) -> boxes, each sign read as its bars show
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from .image_grid import TextBox

# each sign, the sign differing from it by one bar, and the bars it draws under its angle
BARS = {"≥": 1, "≧": 2, "≤": 1, "≦": 2}
OTHER = {"≥": "≧", "≧": "≥", "≤": "≦", "≦": "≤"}
# a line holding a sign whose bars cannot be told is read with at most this score: under the
# checks' sure level (normalize.checks.SURE_READING, 0.95), over the warning threshold (0.8)
UNSURE_SIGN = 0.9
MIN_GLYPH_PX = 9  # a glyph fewer pixels high than this shows no countable bars
# a pixel is the glyph's ink this dark (0 the paper, 1 the line's darkest ink)
INKED = 0.35
# a sign is drawn at least this wide for its height (DejaVu's ≥ 0.8, a CJK font's ≧ about 1):
# a narrower run of ink is part of the glyph, the rest too faint to join it
MIN_WIDTH = 0.5
# a row of the glyph is a bar's where all but its lightest ACROSS_PERCENTILE % of columns are
# this dark (x the glyph's darkest): an angle's arm, however flat, crosses part of the width
ACROSS_PERCENTILE = 15
BAR_DARK = 0.45
# a slanted bar rises at least this many pixels a pixel across (⩾'s runs about 0.4-0.6)
MIN_SLANT = 0.25
# a band at the foot more than this many times as thick as the angle's strokes is two bars run
# together (two bars and the space between them are three strokes thick)
ONE_BAR = 1.6
# two bars are told apart by a row between them this much lighter than the lighter bar
GAP_DEPTH = 0.75


def checked_signs(gray: np.ndarray, boxes: list[TextBox]) -> list[TextBox]:
    """`boxes` (recognised lines in `gray`'s pixels) with each comparison sign checked."""
    return [_checked(gray, box) if set(box.text) & BARS.keys() else box for box in boxes]


def _checked(gray: np.ndarray, box: TextBox) -> TextBox:
    text = list(box.text)
    sure = True
    for k, ch in enumerate(text):
        if ch not in BARS:
            continue
        glyph = glyph_crop(gray, box, k)
        bars = None if glyph is None else bars_under_angle(glyph)
        if bars is None:
            sure = False
        elif bars != BARS[ch]:
            text[k] = OTHER[ch]
    score = box.score if sure else min(box.score, UNSURE_SIGN)
    return dataclasses.replace(box, text="".join(text), score=score)


def glyph_crop(gray: np.ndarray, box: TextBox, k: int) -> np.ndarray | None:
    """The darkness (0 paper .. 1 ink) of character `k` of `box`: the run of inked columns at its
    x centre, cut to the rows its ink spans; None where it cannot be placed or stands alone
    from no neighbour (its ink run into the next character's)."""
    import numpy as np

    if len(box.char_x) != len(box.text):
        return None
    x0, top, x1, bottom = (round(v) for v in box.box)
    line = gray[max(0, top) : bottom, max(0, x0) : x1].astype(np.float32)
    if line.size == 0:
        return None
    dark = _without_rulings(_darkness(line))
    height = dark.shape[0]
    inked = dark.max(axis=0) >= INKED
    centre = round(box.char_x[k]) - max(0, x0)
    # the recogniser places a lone character poorly in a wide box: its ink is anywhere in it
    reach = len(inked) if len(box.text) == 1 else height // 3
    near = [c for c in range(max(0, centre - reach), min(len(inked), centre + reach + 1))
            if inked[c]]
    if not near:
        return None
    seed = min(near, key=lambda c: abs(c - centre))
    left, right = seed, seed
    while left > 0 and inked[left - 1]:
        left -= 1
    while right < len(inked) - 1 and inked[right + 1]:
        right += 1
    if right - left + 1 > 0.9 * height:  # run into a neighbour
        return None
    glyph = _main_part(dark[:, left : right + 1], height)
    columns = np.flatnonzero(glyph.max(axis=0) >= INKED)
    return glyph[:, columns[0] : columns[-1] + 1]


def _main_part(glyph: np.ndarray, height: int) -> np.ndarray:
    """The rows of the glyph's ink, without a stroke of the line above or below that reaches
    into the line's box (the foot of a bracket over the sign): ink apart from the most of it by
    a quarter of the line's height."""
    import numpy as np

    rows = np.flatnonzero(glyph.max(axis=1) >= INKED)
    parts = np.split(rows, np.flatnonzero(np.diff(rows) > max(2, height // 4)) + 1)
    main = max(parts, key=lambda part: float(glyph[part].sum()))
    return glyph[main[0] : main[-1] + 1]


def _darkness(line: np.ndarray) -> np.ndarray:
    """Grey levels scaled to 0 at the paper and 1 at the line's darkest ink."""
    import numpy as np

    paper = float(np.percentile(line, 90))
    ink = float(line.min())
    if paper - ink < 40:  # no ink to speak of
        return np.zeros_like(line)
    return np.clip((paper - line) / (paper - ink), 0.0, 1.0)


def _without_rulings(dark: np.ndarray) -> np.ndarray:
    """`dark` with the rows at its top and bottom inked from end to end blanked: the edge of a
    cell's ruling inside the line's box (a line of text leaves blank at its ends)."""
    import numpy as np

    height = dark.shape[0]
    ruled = np.percentile(dark, 10, axis=1) >= 0.2
    edge = max(1, round(0.15 * height))
    ruled[edge : height - edge] = False
    if ruled.any():
        dark = dark.copy()
        dark[ruled] = 0.0
    return dark


def bars_under_angle(glyph: np.ndarray) -> int | None:
    """How many bars a comparison sign's darkness map draws under its angle, 1 or 2; None where
    it cannot be told. A bar's rows are dark across the glyph (their median column inked), the
    angle's cross it at one or two strokes."""
    import numpy as np

    height, width = glyph.shape
    if height < MIN_GLYPH_PX or width < MIN_WIDTH * height:
        return None
    lower = glyph[height // 2 :] / max(float(glyph.max()), 1e-6)
    across = np.percentile(lower, ACROSS_PERCENTILE, axis=1)
    bands = _runs(across >= BAR_DARK)
    if not bands or bands[-1][1] < len(across) - 2:  # no level bar at the foot of the glyph
        return 1 if _slanted_bar(lower) else None
    if len(bands) == 1:
        return None if _thick(bands[0], glyph) else 1
    (a0, a1), (b0, b1) = bands[-2], bands[-1]
    gap = float(across[a1 + 1 : b0].min())
    lighter = min(float(across[a0 : a1 + 1].max()), float(across[b0 : b1 + 1].max()))
    if gap <= GAP_DEPTH * lighter:
        return 2
    return None


def _slanted_bar(lower: np.ndarray) -> bool:
    """Whether the lowest stroke of the glyph's lower half slants as its angle's lower arm does:
    the one bar of a sign set as ⩾ (a Song face's ≥), with no level bar under it."""
    import numpy as np

    xs, ys = [], []
    for x in range(lower.shape[1]):
        runs = _runs(lower[:, x] >= BAR_DARK)
        if runs:
            xs.append(x)
            ys.append((runs[-1][0] + runs[-1][1]) / 2)
    if len(xs) < 0.8 * lower.shape[1]:
        return False
    slope, offset = np.polyfit(xs, ys, 1)
    off_line = np.abs(np.polyval((slope, offset), xs) - ys)
    return abs(slope) >= MIN_SLANT and float(np.median(off_line)) <= 1.0


def _thick(band: tuple[int, int], glyph: np.ndarray) -> bool:
    """A single band too thick for one bar: two run together. A bar is as thick as the angle's
    strokes, which cross a column of the glyph's upper half in a run about as long (at 150
    dpi, three pixels both)."""
    import numpy as np

    upper = glyph[: glyph.shape[0] // 2] / max(float(glyph.max()), 1e-6)
    runs = [b - a + 1 for x in range(upper.shape[1]) for a, b in _runs(upper[:, x] >= BAR_DARK)]
    if not runs:
        return True
    return band[1] - band[0] + 1 > ONE_BAR * float(np.median(runs))


def _runs(flags) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = None
    for k, on in enumerate(flags):
        if on and start is None:
            start = k
        if not on and start is not None:
            out.append((start, k - 1))
            start = None
    if start is not None:
        out.append((start, len(flags) - 1))
    return out
