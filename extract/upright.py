"""A page picture as archives hold it -> a clean, upright greyscale page.

Scanned archives add three things the table finder (image_grid.py) must not see: coloured
official seals stamped over the header block and the cells, pages fed into the scanner
sideways or upside down, and pages a few degrees crooked. This module removes them, in this
order, from pixels alone (numpy arrays, 0 = ink, 255 = paper):

    seal_free_gray -> text_direction -> estimate_skew/deskew (image_grid)
                   -> upside_down (a handful of text crops, after the grid is found)

The turns are quarter turns clockwise applied to the picture; boxes found afterwards are in the
corrected page's frame (upright, deskewed about the page centre).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

PxBox = tuple[float, float, float, float]

# --- seals -------------------------------------------------------------------------------------

SEAL_SATURATION = 0.28  # seal ink, even faint or JPEG-smeared, is this far from grey
# inside a seal, a pixel darker than this share of the paper in its brightest channel is print
DARK_UNDER_SEAL = 0.65
RULING_UNDER_SEAL_INCH = 0.4  # ...and so is a straight run this long darker than the seal's ink
SEAL_MIN_INCH = 0.6  # a seal is a blob at least this big across both ways (a line of red text is
SEAL_MAX_ASPECT = 3.0  # lower, and much wider than tall); half a seal at the edge still counts
# greyscale copies: seal ink is the grey between the print and the paper, leaving out this share
# of the print-to-paper span at each end (the print's and the paper's own spread)
GREY_SEAL_BAND = (0.3, 0.15)
SEAL_STROKE_INCH = 0.015  # a seal's ring and strokes are thicker than this; a print's edge is not
RING_SHARE = 0.7  # the circle around a round seal is inked along this share of it
RING_DEPTH = 0.15  # ...within this share of its radius inside it
# the print must reach halfway to black for a grey between it and the paper to be told apart
# (on a faded copy the text itself is that grey)
MIN_CONTRAST = 128
ROUND_ASPECT = 1.5  # an official seal is round or oval: no longer than this across
SEAL_MAX_RADIUS_INCH = 1.2  # a round seal is at most 2.4 inches across (official seals ~1.6-1.8)
# a round seal's ring stands clear: just outside it (RING_CLEAR times its radius) the seal's
# grey covers at most CLEAR_SHARE of what it covers on the ring. Shading (a photo's uneven light,
# a grey-filled cell) is as grey beside a circle drawn through it as on it.
RING_CLEAR = (1.15, 1.4)
CLEAR_SHARE = 0.3
RING_REACH = 1.1  # the ring's ink reaches this far past the circle the transform finds in it


@dataclass(frozen=True)
class Seals:
    found: int  # coloured blobs the size of a seal removed from the picture
    # 0 where a seal was, 255 elsewhere (paper's value, so turning and deskewing it fills the
    # corners as the page's are filled); None when no seal was found
    clear: np.ndarray | None = field(default=None, compare=False, repr=False)


def seal_free_gray(bgr: np.ndarray, dpi: float) -> tuple[np.ndarray, Seals]:
    """Greyscale page with coloured stamps set to paper white; black print under them is kept.

    Stamp ink is saturated and light in its own colour's channel (a red seal is bright in the
    red channel), while black print is dark in every channel: the brightest channel (HSV's V)
    tells print from seal even where they overlap. Only seal-sized blobs are whitened, so red
    or blue printed text (a title, a correction) stays."""
    if bgr.ndim == 2:
        return grey_seal_free(bgr, dpi)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    if not _has_colour(bgr):
        return grey_seal_free(gray, dpi)
    brightest = bgr.max(axis=2)
    darkest = bgr.min(axis=2)
    saturation = (brightest.astype(np.int16) - darkest) / np.maximum(brightest, 1)
    coloured = (saturation >= SEAL_SATURATION).astype(np.uint8)
    seals = _seal_regions(coloured, dpi)
    if not seals.any():
        return gray, Seals(0)
    paper = float(np.percentile(gray[::8, ::8], 90))
    # inside a seal the brightest channel is read: the tint, multiplied into the print, is gone
    # from it. Light there is seal ink or paper, and the seal's edges, which JPEG's coarse
    # colour leaves half grey, go with it.
    inside = seals > 0
    out = gray.copy()
    out[inside] = np.where(brightest[inside] >= DARK_UNDER_SEAL * paper, 255, brightest[inside])
    # a faded or blurred ruling under the seal is lighter than that, yet darker than the seal's
    # ink in the brightest channel: it is kept where it runs straight on for RULING_UNDER_SEAL_INCH
    # (the seal's ring, star and characters do not); lost, it took the rows below it with it
    level = float(np.median(brightest[inside & (coloured > 0)]))
    under = ((brightest < level) & inside).astype(np.uint8)
    run = max(3, round(RULING_UNDER_SEAL_INCH * dpi))
    ruled = cv2.bitwise_or(
        cv2.morphologyEx(under, cv2.MORPH_OPEN, np.ones((1, run), np.uint8)),
        cv2.morphologyEx(under, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8)),
    ) > 0
    out[ruled] = np.minimum(out[ruled], brightest[ruled])
    found = cv2.connectedComponents(seals)[0] - 1
    return out, Seals(int(found), np.where(inside, 0, 255).astype(np.uint8))


def grey_seal_free(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, Seals]:
    """A greyscale copy of a sealed page: the seal is no colour but a mid grey, lighter than
    the print and darker than the paper, in a round stamp. Mid-grey blobs of seal size whose
    outline is a ring are set to paper white where lighter than halfway between the seal's
    grey and the print's; the print under them, darker still, is kept."""
    sample = gray[::4, ::4]
    paper = float(np.percentile(sample, 90))
    # the print's darkest: a page holding little print (a table's last rows carried onto it)
    # beside a seal has more seal grey than print: the darkest 1 in 400 pixels
    ink = float(np.percentile(sample, 0.25))
    span = paper - ink
    if span < MIN_CONTRAST:
        return gray, Seals(0)
    grey = (gray > ink + GREY_SEAL_BAND[0] * span) & (gray < paper - GREY_SEAL_BAND[1] * span)
    # the print's anti-aliased edges are mid grey too, but one or two pixels wide
    stroke = max(3, round(SEAL_STROKE_INCH * dpi)) | 1
    kernel = np.ones((stroke, stroke), np.uint8)
    mid = cv2.morphologyEx(grey.astype(np.uint8), cv2.MORPH_OPEN, kernel)
    seals = _seal_regions(mid, dpi, round_only=True) | _broken_rings(mid, dpi)
    if not seals.any():
        return gray, Seals(0)
    inside = seals > 0
    level = float(np.median(gray[inside & (mid > 0)]))
    cut = (level + ink) / 2
    # only the seal's own ink (and its blurred edge) goes: print standing clear of the ring, the
    # star and the seal's characters keeps its lighter edge pixels
    stamp_ink = cv2.dilate(mid, np.ones((3, 3), np.uint8)) > 0
    out = gray.copy()
    out[inside & stamp_ink & (gray >= cut)] = 255
    found = cv2.connectedComponents(seals)[0] - 1
    return out, Seals(int(found), np.where(inside, 0, 255).astype(np.uint8))


def _has_colour(bgr: np.ndarray) -> bool:
    sample = bgr[::7, ::7].astype(np.int16)
    spread = sample.max(axis=2) - sample.min(axis=2)
    # a greyscale scan saved as colour still has JPEG chroma noise: a few levels, few pixels
    return int(np.count_nonzero(spread > 60)) > 0.0005 * spread.size


def _seal_regions(coloured: np.ndarray, dpi: float, round_only: bool = False) -> np.ndarray:
    """Mask of the seal-sized coloured blobs, each filled to its outline: the star and the text
    inside a seal's ring are part of it (at full size). With `round_only`, a blob counts only
    where its outline is a ring: the circle around it is inked along RING_SHARE of its length
    (an official seal is round; a block of grey-shaded cells or bold text is not)."""
    factor = 4
    small = cv2.resize(coloured, None, fx=1 / factor, fy=1 / factor, interpolation=cv2.INTER_AREA)
    small = (small > 0).astype(np.uint8)
    reach = max(3, round(0.05 * dpi / factor)) | 1  # a ring, its text and star are one stamp
    small = cv2.dilate(small, np.ones((reach, reach), np.uint8))
    contours, _ = cv2.findContours(small, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    least = SEAL_MIN_INCH * dpi / factor
    mask = np.zeros_like(small)
    for contour in contours:
        _, _, w, h = cv2.boundingRect(contour)
        if min(w, h) < least or max(w, h) > SEAL_MAX_ASPECT * min(w, h):
            continue
        if round_only and (max(w, h) > ROUND_ASPECT * min(w, h) or not _ring(small, contour)):
            continue
        cv2.drawContours(mask, [contour], -1, 1, thickness=-1)
    return cv2.resize(mask, coloured.shape[::-1], interpolation=cv2.INTER_NEAREST)


def _broken_rings(mid: np.ndarray, dpi: float) -> np.ndarray:
    """Mask of the round seals in `mid` (a greyscale copy's seal-grey pixels) whose ring is
    broken into pieces: the print crossing it is darker than the seal's grey, so the ring's
    blobs fall apart and none is seal-sized on its own. The circles are found by their outline
    (OpenCV's Hough transform), then kept where the ring is inked along RING_SHARE of its angles
    and stands clear (RING_CLEAR, CLEAR_SHARE)."""
    factor = 4
    # any seal grey in a 4x4 block marks it: a thin ring's pixels are fewer than half of one
    small = cv2.resize(mid.astype(np.float32), None, fx=1 / factor, fy=1 / factor,
                       interpolation=cv2.INTER_AREA)
    small = (small > 0).astype(np.uint8)
    least = round(SEAL_MIN_INCH * dpi / factor / 2)
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(small * 255, (5, 5), 0), cv2.HOUGH_GRADIENT_ALT, dp=1.5,
        minDist=2 * least, param1=200, param2=0.6, minRadius=least,
        maxRadius=round(SEAL_MAX_RADIUS_INCH * dpi / factor),
    )
    mask = np.zeros_like(small)
    if circles is None:
        return np.zeros_like(mid)
    for cx, cy, radius in circles[0]:
        if _seal_ring(small, cx, cy, radius):
            cv2.circle(mask, (round(cx), round(cy)), round(RING_REACH * radius), 1, thickness=-1)
    return cv2.resize(mask, mid.shape[::-1], interpolation=cv2.INTER_NEAREST)


def _inked_angles(small: np.ndarray, centre: tuple[float, float], radius: float) -> float:
    """The share of angles at which a circle about `centre` is inked anywhere in the outer
    RING_DEPTH of `radius`."""
    cx, cy = centre
    angles = np.linspace(0.0, 2 * np.pi, 180, endpoint=False)
    hit = np.zeros(angles.shape, dtype=bool)
    for r in np.linspace((1 - RING_DEPTH) * radius, radius, 6):
        xs = np.clip(np.round(cx + r * np.cos(angles)).astype(int), 0, small.shape[1] - 1)
        ys = np.clip(np.round(cy + r * np.sin(angles)).astype(int), 0, small.shape[0] - 1)
        hit |= small[ys, xs] > 0
    return float(hit.mean())


def _ring(small: np.ndarray, contour: np.ndarray) -> bool:
    """Whether the blob's enclosing circle is a seal's ring (`_seal_ring`)."""
    (cx, cy), radius = cv2.minEnclosingCircle(contour)
    return _seal_ring(small, cx, cy, radius / RING_REACH)


def _seal_ring(small: np.ndarray, cx: float, cy: float, radius: float) -> bool:
    """Whether a circle is a seal's ring: inked along RING_SHARE of its angles anywhere in the
    outer RING_DEPTH of its reach (stamp ink leaves gaps in it), and clear beside it."""
    ys, xs = np.ogrid[: small.shape[0], : small.shape[1]]
    distance = np.hypot(xs - cx, ys - cy)
    ring = small[(distance >= (1 - RING_DEPTH) * radius) & (distance <= RING_REACH * radius)]
    beside = small[(distance >= RING_CLEAR[0] * radius) & (distance <= RING_CLEAR[1] * radius)]
    return (
        ring.size > 0
        and beside.size > 0
        and _inked_angles(small, (cx, cy), RING_REACH * radius) >= RING_SHARE
        and float(beside.mean()) <= CLEAR_SHARE * float(ring.mean())
    )


# --- quarter turns -----------------------------------------------------------------------------

TEXT_CLOSE_INCH = 0.035  # closes the blank between two characters of a line (~1 pt), never the
# blank between two printed lines (~4 pt at single spacing)
LINE_ASPECT = 4.0  # a closed blob this many times longer than thick is a run of text
RUN_MIN_INCH = 0.04  # ...and at least this thick (5 pt print); thinner, it is a drawn line: the
# column lines of a row too short to be taken for rulings (a table's last row carried onto a page)
SIDEWAYS_MARGIN = 1.5  # vertical runs must outweigh horizontal ones this much to turn the page
SURE_MARGIN = 3.0  # ...and one way the other this much for the runs alone to decide


def text_runs(gray: np.ndarray, dpi: float) -> tuple[float, float]:
    """Ink in horizontal and in vertical runs of text: characters of a printed line closed
    together along the line, table rulings left out (they run both ways on every form)."""
    from .image_grid import ink_mask, line_masks, without_specks

    scale = min(1.0, 100.0 / dpi)  # 100 dpi is plenty to see lines of 10 pt text
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    sdpi = dpi * scale
    ink = without_specks(ink_mask(small), sdpi)
    h_lines, v_lines = line_masks(ink, sdpi)
    rulings = cv2.dilate(cv2.bitwise_or(h_lines, v_lines), np.ones((3, 3), np.uint8))
    text = cv2.bitwise_and(ink, cv2.bitwise_not(rulings))
    close = max(2, round(TEXT_CLOSE_INCH * sdpi))
    out = []
    for kernel in ((close, 1), (1, close)):  # (width, height): along x, then along y
        joined = cv2.morphologyEx(text, cv2.MORPH_CLOSE, cv2.getStructuringElement(0, kernel))
        n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        along, across = (2, 3) if kernel[0] > 1 else (3, 2)  # CC_STAT_WIDTH / _HEIGHT
        runs = stats[1:n]
        long = (runs[:, along] >= LINE_ASPECT * runs[:, across]) & (
            runs[:, across] >= RUN_MIN_INCH * sdpi
        )
        out.append(float(runs[long, along].sum()))
    return out[0], out[1]


def text_direction(gray: np.ndarray, dpi: float) -> tuple[int, bool]:
    """The quarter turns: 1 when the page's text runs top to bottom (fed in sideways), else 0
    (which of the two sideways turns it was is left to `upside_down`, after the page is
    turned); and whether the text runs tell it surely: one way outweighs the other
    SURE_MARGIN times. A form set small and tight, its lines of text running into the row lines
    at this low resolution, leaves few runs either way, and the page's cells must tell."""
    horizontal, vertical = text_runs(gray, dpi)
    turns = 1 if vertical > SIDEWAYS_MARGIN * max(horizontal, 1.0) else 0
    sure = max(horizontal, vertical) >= SURE_MARGIN * max(min(horizontal, vertical), 1.0)
    return turns, sure


def turn(gray: np.ndarray, turns: int) -> np.ndarray:
    """The picture turned by `turns` quarter turns clockwise."""
    turns %= 4
    if turns == 0:
        return gray
    code = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(gray, code[turns])


# --- upside down -------------------------------------------------------------------------------

CROPS = 12  # text lines shown to the direction classifier
CROP_ASPECT = (2.0, 5.0)  # a few characters: the classifier squeezes its input to 48 x 192 px
UPSIDE_DOWN_MARGIN = 0.25  # mean vote a page needs to be turned round
MIN_CROPS = 3  # text crops needed to judge a page at all


def text_crops(gray: np.ndarray, lines: Sequence[PxBox], n: int = CROPS) -> list[np.ndarray]:
    """Up to n crops of a few characters each, from the longest text lines."""
    low, high = CROP_ASPECT
    wide = [b for b in lines if b[2] - b[0] >= low * (b[3] - b[1])]
    wide.sort(key=lambda b: b[0] - b[2])
    crops = []
    for x0, top, x1, bottom in wide[:n]:
        x1 = min(x1, x0 + high * (bottom - top))
        crops.append(gray[int(top) : int(np.ceil(bottom)), int(x0) : int(np.ceil(x1))])
    return crops


def upside_down(
    crops: list[np.ndarray], classify: Callable[[list[np.ndarray]], list[tuple[str, float]]]
) -> bool:
    """Whether the crops are text printed upside down, by a 0/180 classifier asked about each
    crop as it is and turned round: it must prefer the turned crops, on the whole, clearly."""
    if len(crops) < MIN_CROPS:
        return False  # one or two scraps of text (a page number) cannot outvote the page
    both = crops + [cv2.rotate(c, cv2.ROTATE_180) for c in crops]
    votes = [score if label == "180" else 1.0 - score for label, score in classify(both)]
    n = len(crops)
    lead = sum(votes[:n]) / n - sum(votes[n:]) / n  # +1: every crop is upside down
    return lead > UPSIDE_DOWN_MARGIN


@dataclass(frozen=True)
class Correction:
    """What was done to a page picture before its grid was read."""

    turns: int = 0  # quarter turns clockwise
    skew_deg: float = 0.0  # the page's own rotation, counter-clockwise positive, undone
    seals: int = 0
    flattened: tuple[str, ...] = ()  # a photo's repairs (perspective.Flattening.notes)

    def note(self, page: int) -> str | None:
        """e.g. "page 2 turned 90° clockwise, deskewed +2.4°, 1 seal removed"; None if none."""
        done = []
        turned = {1: "turned 90° clockwise", 2: "turned 180°", 3: "turned 90° anticlockwise"}
        if self.turns % 4:
            done.append(turned[self.turns % 4])
        if abs(self.skew_deg) >= 0.05:
            done.append(f"deskewed {self.skew_deg:+.1f}°")
        if self.seals:
            done.append(f"{self.seals} seal{'s' if self.seals > 1 else ''} removed")
        done.extend(self.flattened)
        return f"page {page} " + ", ".join(done) if done else None
