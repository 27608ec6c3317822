"""Photographed pages -> flat, evenly lit pages, before the rest of straightening.

A page photographed with a phone differs from a scan in three ways the table finder cannot
take: the page is a quadrilateral on a darker background (the camera was not square to it),
its light falls off towards one side, and so its ruling lines are not parallel. Two steps, each
done only when the picture shows the need:

    paper_quad -> warp (the sheet of paper made a rectangle, the background cut away)
    flatten_light (each channel divided by its own blurred paper, so paper is white everywhere)
    frame_quad -> warp (after deskewing: the largest table's outer frame made a rectangle,
                        for photos cropped to the table or whose paper edge was not found)

Colour is kept (seals are told by colour afterwards). Pure pixels: numpy arrays in, out.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .records import PERSPECTIVE_NOTE

WORK_SIDE = 1000  # px: the long side of the copy the outline is looked for in
PAPER_MIN_SHARE = 0.25  # a paper outline covers at least this share of the picture
BORDER_SHARE = 0.02  # background along the picture's edge: a strip this wide (share of its side)
BACKGROUND_SEEN = 0.5  # ...of which at least this share is darker than the paper: a photo
QUAD_EPSILON = (0.01, 0.02, 0.03, 0.05)  # share of the outline's perimeter, tried in turn
FRAME_MIN_SHARE = 0.3  # a table frame spans at least this share of the page's width
FRAME_MIN_TALL = 0.1  # ...and of its height: a lower frame (a row or two carried onto a page)
# tells the slant of its short sides too roughly to warp by, a pixel at a corner being degrees
FRAME_DRAWN = 0.8  # share of each side of a frame that must be drawn (a ruling's gaps allowed)
SQUARE_DEG = 0.3  # a frame whose sides are this close to the picture's axes needs no warp
LIGHT_BLOCK_INCH = 0.5  # paper is estimated from blocks wider than any stroke or character
UNEVEN_LIGHT = 0.15  # paper darker than the brightest paper by this share somewhere: flatten


@dataclass(frozen=True)
class Flattening:
    """What was done to a photographed page."""

    paper: bool = False  # the sheet's outline found and warped to a rectangle
    frame: bool = False  # the table's frame warped to a rectangle
    light: bool = False  # uneven light divided out

    def notes(self) -> list[str]:
        done = []
        if self.paper or self.frame:
            done.append(PERSPECTIVE_NOTE)
        if self.light:
            done.append("light evened")
        return done


def flatten_photo(picture: np.ndarray, dpi: float) -> tuple[np.ndarray, Flattening]:
    """The sheet of paper cut out of a photo and made rectangular, then evenly lit; a scan (paper
    to every edge) comes back as it is, apart from uneven light."""
    quad = paper_quad(picture)
    paper = quad is not None
    if quad is not None:
        picture = warp_to_rectangle(picture, quad, background=_paper_colour(picture))
    picture, light = flatten_light(picture, dpi)
    return picture, Flattening(paper=paper, light=light)


# --- the sheet of paper ------------------------------------------------------------------------


def paper_quad(picture: np.ndarray) -> np.ndarray | None:
    """The four corners (tl, tr, br, bl; float32, full-size px) of the sheet of paper, when the
    picture shows background around it on most of its edges; None for a scan."""
    gray = _gray(picture)
    scale = min(1.0, WORK_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if not _background_at_edges(bright):
        return None
    # the paper: the largest bright blob, with the print on it closed over
    close = max(3, round(0.02 * max(small.shape))) | 1
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((close, close), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    if cv2.contourArea(outline) < PAPER_MIN_SHARE * small.size:
        return None
    quad = _quadrilateral(cv2.convexHull(outline))
    return None if quad is None else quad / scale


def _background_at_edges(bright: np.ndarray) -> bool:
    """Dark background seen along most of the picture's border (the four edge strips)."""
    h, w = bright.shape
    sh, sw = max(1, round(BORDER_SHARE * h)), max(1, round(BORDER_SHARE * w))
    strips = [bright[:sh], bright[-sh:], bright[:, :sw].T, bright[:, -sw:].T]
    dark = [float((s == 0).mean()) for s in strips]
    return sum(d >= BACKGROUND_SEEN for d in dark) >= 3


def _quadrilateral(hull: np.ndarray) -> np.ndarray | None:
    perimeter = cv2.arcLength(hull, True)
    for share in QUAD_EPSILON:
        approx = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(approx) == 4:
            return order_corners(approx.reshape(4, 2).astype(np.float32))
    return None


def order_corners(points: np.ndarray) -> np.ndarray:
    """tl, tr, br, bl: by the sum and the difference of x and y."""
    s = points.sum(axis=1)
    d = points[:, 0] - points[:, 1]
    return np.array(
        [points[s.argmin()], points[d.argmax()], points[s.argmax()], points[d.argmin()]],
        dtype=np.float32,
    )


def warp_to_rectangle(picture: np.ndarray, quad: np.ndarray, background=255) -> np.ndarray:
    """The quadrilateral's content as a rectangle as wide and tall as its longer sides."""
    tl, tr, br, bl = quad
    width = round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]],
                      dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    return cv2.warpPerspective(picture, matrix, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=background)


# --- light ---------------------------------------------------------------------------------------


def flatten_light(picture: np.ndarray, dpi: float) -> tuple[np.ndarray, bool]:
    """Each channel divided by its paper (the brightest level around each spot, blurred), when
    the paper's brightness varies across the page by more than UNEVEN_LIGHT."""
    block = max(3, round(LIGHT_BLOCK_INCH * dpi)) | 1
    factor = max(1, block // 15)  # the paper is smooth: find it in a small copy
    small = cv2.resize(picture, None, fx=1 / factor, fy=1 / factor, interpolation=cv2.INTER_AREA)
    kernel = np.ones((max(3, block // factor) | 1,) * 2, np.uint8)
    paper = cv2.GaussianBlur(cv2.dilate(small, kernel), (0, 0), kernel.shape[0])
    gray_paper = _gray(paper).astype(np.float32)
    top = float(np.percentile(gray_paper, 99))
    if top <= 0 or float(np.percentile(gray_paper, 5)) >= (1.0 - UNEVEN_LIGHT) * top:
        return picture, False
    paper = cv2.resize(paper, picture.shape[1::-1], interpolation=cv2.INTER_LINEAR)
    out = picture.astype(np.float32) * 255.0 / np.maximum(paper.astype(np.float32), 1.0)
    return out.clip(0, 255).astype(np.uint8), True


# --- the table's frame ---------------------------------------------------------------------------


def frame_quad(ink: np.ndarray) -> np.ndarray | None:
    """The four corners of the largest ruled table's outer frame when its sides are not square
    to the picture (a photo's perspective left over); None when they are, or no frame is seen.

    The frame is the largest connected blob of ink (a ruled grid is one piece) spanning
    FRAME_MIN_SHARE of the page's width and FRAME_MIN_TALL of its height; its convex hull
    must reduce to four corners."""
    scale = min(1.0, WORK_SIDE / max(ink.shape))
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = (small > 64).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(small, connectivity=8)
    if n < 2:
        return None
    k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_WIDTH] * stats[1:, cv2.CC_STAT_HEIGHT]))
    if (stats[k, cv2.CC_STAT_WIDTH] < FRAME_MIN_SHARE * small.shape[1]
            or stats[k, cv2.CC_STAT_HEIGHT] < FRAME_MIN_TALL * small.shape[0]):
        return None
    points = np.column_stack(np.nonzero(labels == k)[::-1]).astype(np.float32)
    quad = _quadrilateral(cv2.convexHull(points))
    if quad is None or _square(quad) or not _drawn_along(labels == k, quad):
        return None
    return quad / scale


def _drawn_along(blob: np.ndarray, quad: np.ndarray) -> bool:
    """Each side of the quadrilateral runs along the blob's ink for FRAME_DRAWN of its length:
    the hull of a fragment (a grid broken by gaps) has corners that are no frame's."""
    near = cv2.dilate(blob.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    h, w = near.shape
    for a, b in zip(quad, np.roll(quad, -1, axis=0), strict=True):
        t = np.linspace(0.0, 1.0, 100)[:, None]
        xs, ys = (a + (b - a) * t).T
        xs = np.clip(np.round(xs).astype(int), 0, w - 1)
        ys = np.clip(np.round(ys).astype(int), 0, h - 1)
        if near[ys, xs].mean() < FRAME_DRAWN:
            return False
    return True


def _square(quad: np.ndarray) -> bool:
    tl, tr, br, bl = quad
    sides = [(tr - tl, 0), (br - bl, 0), (bl - tl, 90), (br - tr, 90)]
    for vector, axis in sides:
        angle = np.degrees(np.arctan2(vector[1], vector[0]))
        if abs(angle - axis) > SQUARE_DEG:
            return False
    return True


def straighten_frame(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The page warped so that the frame's corners become a rectangle at the frame's place;
    the text around the table (the header block, the title) moves with it."""
    tl, tr, br, bl = quad
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    x0, y0 = float(min(tl[0], bl[0])), float(min(tl[1], tr[1]))
    target = np.array(
        [[x0, y0], [x0 + width, y0], [x0 + width, y0 + height], [x0, y0 + height]],
        dtype=np.float32,
    )
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    h, w = gray.shape[:2]
    size = (max(w, round(x0 + width) + 1), max(h, round(y0 + height) + 1))
    return cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _gray(picture: np.ndarray) -> np.ndarray:
    return picture if picture.ndim == 2 else cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY)


def _paper_colour(picture: np.ndarray):
    return 255 if picture.ndim == 2 else (255, 255, 255)
