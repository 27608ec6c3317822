"""Text drawn under a clip: which cell it was drawn for, or that no reader ever sees it.

Spreadsheet print-outs (LibreOffice Calc, Excel) draw a cell's whole text and clip it to the
cell: a wrapped text taller than its fixed row height overflows into the rows above and below,
where a viewer shows nothing, but the text layer holds it on top of the neighbours' own text.
A merged cell cut by a page break is drawn again on the next page, its text placed for the whole
merged area and clipped to the part on that page, so it may land in the margin or off the page.

pdfminer reads no clipping, so pdfium tells, for each character, the clip it was drawn under
(the PDFium reader, pdfium_page.py, asks `CharClips` as it reads each character).
Each character drawn under a clip carries the clip's box (`CLIP_KEY`, in pdfplumber's top-left
coordinates), and is marked hidden when its centre lies outside it. The cell reader gives it to
the cell that clip is, wherever it landed (an overflowing line, or a glyph whose font box pokes
over the ruling line), and drops a hidden one whose clip is no single cell; text outside the
tables never includes a hidden one.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .grid import BBox

CLIP_KEY = "clipped_to"  # the clip's box, on every character drawn under a clip
HIDDEN_KEY = "hidden_by_clip"  # True on those whose centre lies outside it
CELL_TOLERANCE = 2.0  # points: a cell's clip lies inside its ruling lines
MATCH = 0.05  # points: pdfium and pdfplumber place one glyph's origin alike to float rounding
_Box = tuple[float, float, float, float]
_Clips = dict[tuple[str, int], list[tuple[float, float, _Box]]]  # (character, whole-point y)


class ClippedText:
    """One PDF opened in pdfium, read page by page beside pdfplumber."""

    def __init__(self, path: Path) -> None:
        try:
            self._doc: pdfium.PdfDocument | None = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:  # pdfplumber read it: its text stands as read, unclipped
            self._doc = None

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()

    def mark(self, page) -> None:
        """Mark the characters of a pdfplumber page that their clip hides."""
        clips = _clips(self._doc, page.page_number - 1) if self._doc is not None else {}
        if not clips:
            return
        for ch in page.chars:
            clip = _find(clips, ch["text"], ch["matrix"][4], ch["matrix"][5])
            if clip is None:
                continue
            box = ch[CLIP_KEY] = _top_left(clip, ch)
            cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            if not (box[0] <= cx <= box[2] and box[1] <= cy <= box[3]):
                ch[HIDDEN_KEY] = True


def _clips(doc: pdfium.PdfDocument, index: int) -> _Clips:
    """Each character drawn under a clip, with its origin and the clip's box in PDF
    coordinates (x0, y0, x1, y1), bottom-up."""
    page = doc[index]
    textpage = page.get_textpage()
    try:
        return _clips_of(textpage)
    finally:
        textpage.close()
        page.close()


def _clips_of(textpage) -> _Clips:
    out: _Clips = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    for i, clip in char_clips(textpage).items():
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        key = (chr(raw.FPDFText_GetUnicode(textpage, i)), round(y.value))
        out.setdefault(key, []).append((x.value, y.value, clip))
    return out


def char_clips(textpage) -> dict[int, _Box]:
    """The index of each character drawn under a clip, with the clip's box in PDF coordinates
    (x0, y0, x1, y1), bottom-up."""
    out: dict[int, _Box] = {}
    clips = CharClips()
    x, y = ctypes.c_double(), ctypes.c_double()
    for i in range(raw.FPDFText_CountChars(textpage)):
        obj = raw.FPDFText_GetTextObject(textpage, i)
        if not obj:  # a space or line break pdfium made up
            continue
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        if (clip := clips.clip(obj, x.value, y.value)) is not None:
            out[i] = clip
    return out


class CharClips:
    """The clip each character of a page was drawn under, asked in the text page's order."""

    def __init__(self) -> None:
        self._by_object: dict[int, _Box | None] = {}
        self._last: _Box | None = None

    def clip(self, obj, x: float, y: float, address: int | None = None) -> _Box | None:
        """The clip of the character of text object `obj` (at `address`) whose origin is
        (x, y)."""
        address = address or ctypes.addressof(obj.contents)
        if address not in self._by_object:
            self._by_object[address] = _clip_box(obj)
        clip = self._by_object[address]
        if clip is None and self._last is not None and _inside(self._last, x, y):
            # pdfium leaves out the clip of an object wholly inside it (a comma between
            # characters it clips): the glyph was drawn under the clip around it
            clip = self._last
        if clip is not None:
            self._last = clip
        return clip


def _find(clips: _Clips, text: str, x: float, y: float) -> _Box | None:
    for row in (round(y), round(y) - 1, round(y) + 1):
        for cx, cy, clip in clips.get((text, row), ()):
            if abs(cx - x) <= MATCH and abs(cy - y) <= MATCH:
                return clip
    return None


def _clip_box(obj) -> _Box | None:
    """The box of an object's clip: the intersection of its clip paths' bounds."""
    clip = raw.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    box: _Box | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for p in range(raw.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for s in range(raw.FPDFClipPath_CountPathSegments(clip, p)):
            raw.FPDFPathSegment_GetPoint(raw.FPDFClipPath_GetPathSegment(clip, p, s), x, y)
            xs.append(x.value)
            ys.append(y.value)
        if not xs:
            continue
        own = (min(xs), min(ys), max(xs), max(ys))
        box = own if box is None else _intersect(box, own)
    return box


def _inside(box: _Box, x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _intersect(a, b):
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _top_left(clip: _Box, ch: dict) -> BBox:
    """A bottom-up PDF box in pdfplumber's top-left coordinates, by the character's own two."""
    flip = ch["top"] + ch["y1"]
    return (clip[0], flip - clip[3], clip[2], flip - clip[1])


def drawn_for(ch: dict, boxes: list[BBox]) -> int | None:
    """The index of the cell a character was drawn for when its clip is that cell (its box
    within the cell's), wherever the glyph itself landed; else None."""
    clip = ch.get(CLIP_KEY)
    if clip is None:
        return None
    tol = CELL_TOLERANCE
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        inside_x = x0 - tol <= clip[0] and clip[2] <= x1 + tol
        if inside_x and top - tol <= clip[1] and clip[3] <= bottom + tol:
            return i
    return None


def is_hidden(obj: dict) -> bool:
    """A character its clip hides: no reader sees it where it was placed."""
    return bool(obj.get(HIDDEN_KEY))
