"""A born-digital PDF page read by PDFium into the objects pdfplumber's page holds.

pdfplumber's table finder, text lines and filters work on a page's objects (`chars`, `lines`,
`rects`, `curves`, `images`: dicts in top-left coordinates); what makes it slow is pdfminer
parsing the page to get them. Here PDFium (pypdfium2) reads the same objects, and `PdfiumPage`
hands them to pdfplumber's own code, so the rest of the reader is unchanged:

- `page_to_chars`: each character PDFium read from the content (not the spaces and line breaks
  it makes up), its box as pdfminer makes it: from the baseline up by the font size and across
  by the glyph's advance. pdfminer takes the descent below the baseline from the font
  descriptor of the font dictionary itself, which a composite (Type0) font does not have, so
  text in composite fonts, which Chinese text always uses, sits on its baseline; for a simple
  font (Latin text in a Latin-only font) pdfminer sets the box lower by the font's descent, and
  PDFium's descent is measured differently: such characters are boxed on their baseline too, a
  fifth of their size higher than pdfplumber boxes them. Each character drawn under a clip gets
  the clip's box (clipped_text.py) while it is read, with no second pass;
- `page_to_paths`: each stroked or filled path, split into subpaths, classed as pdfminer does
  (a straight segment a line, a closed axis-aligned quadrilateral a rect, anything else a curve),
  in Form XObjects too;
- `page_to_images`: each image's box and pixel size.

Coordinates follow pdfplumber's: x from the page's left, `top` down from its top, a /Rotate
applied as pdfminer applies it.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.page import Page, _invert_box, _normalize_box

from .clipped_text import CLIP_KEY, HIDDEN_KEY, CharClips
from .errors import EncryptedDocument, UnreadableDocument

_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_BEZIER = raw.FPDF_SEGMENT_BEZIERTO
_MOVE = raw.FPDF_SEGMENT_MOVETO
# PDFium keeps coordinates in single precision: 655.15 comes back as 655.149976. A value that
# close to a round thousandth is that thousandth, as pdfminer reads it from the content stream
# (so a box's printed locator, rounded to a tenth, does not flip at .x5).
_SNAP = 1e-4


def _snap(v: float) -> float:
    r = math.floor(v * 1000 + 0.5) / 1000  # the nearest thousandth, as float("655.15") reads
    return r if -_SNAP <= v - r <= _SNAP else v


class PdfiumPdf:
    """A PDF open in PDFium, its pages read one at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "rb")  # noqa: SIM115 -- held open while PDFium reads it
        try:  # a file object: PDFium cannot open a name that is not UTF-8
            self._doc = pdfium.PdfDocument(self._file)
        except pdfium.PdfiumError as exc:
            self._file.close()
            raise _open_error(path, exc) from exc
        self._doctop = 0.0

    def __len__(self) -> int:
        return len(self._doc)

    def __enter__(self) -> PdfiumPdf:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._doc.close()
        self._file.close()

    def page(self, index: int) -> PdfiumPage:
        """The page at `index` (0-based) with all its objects read; PDFium's copy is closed."""
        pdf_page = self._doc[index]
        try:
            page = PdfiumPage(index + 1, _mediabox(pdf_page), pdf_page.get_rotation())
            page.initial_doctop = self._doctop if index else 0.0
            textpage = pdf_page.get_textpage()
            try:
                page.set_objects(read_objects(pdf_page, textpage, page))
            finally:
                textpage.close()
        finally:
            pdf_page.close()
        self._doctop = page.initial_doctop + page.height
        return page

    def pages(self) -> Iterator[PdfiumPage]:
        """Each page in turn; only the one being read is held."""
        for index in range(len(self)):
            yield self.page(index)


def _open_error(path: Path, exc: pdfium.PdfiumError) -> Exception:
    if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
        return EncryptedDocument(path, "the PDF is encrypted with a password")
    return UnreadableDocument(path, f"not a readable PDF ({exc})")


def _mediabox(pdf_page: pdfium.PdfPage) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (_snap(v) for v in pdf_page.get_mediabox())
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


class PdfiumPage(Page):
    """A pdfplumber page whose objects were read by PDFium: `find_tables`, `filter`,
    `extract_text_lines`, `chars`, `edges` … are pdfplumber's own."""

    def __init__(self, page_number: int, mediabox, rotation: int) -> None:
        self.pdf = None  # type: ignore[assignment]  # no pdfminer document behind the page
        self.page_obj = None  # type: ignore[assignment]
        self.root_page = self
        self.page_number = page_number
        self.initial_doctop = 0.0
        self.rotation = rotation % 360
        normal = _normalize_box(mediabox, self.rotation)
        self.mediabox = self.cropbox = self.bbox = _invert_box(normal, normal[3] - normal[1])
        self.get_textmap = lru_cache()(self._get_textmap)
        self._ctm = _page_space(mediabox, self.rotation)
        self.turn = self._ctm[:4]
        self._objects: dict[str, list[dict]] = {}

    @property
    def objects(self) -> dict[str, list[dict]]:
        return self._objects

    def set_objects(self, objects: dict[str, list[dict]]) -> None:
        self._objects = objects

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A point in PDF user space -> (x, y) as pdfminer has it, y up from the bottom."""
        a, b, c, d, e, f = self._ctm
        return (a * x + c * y + e, b * x + d * y + f)

    def close(self) -> None:
        super().close()
        self._objects = {}


def _page_space(mediabox, rotation: int) -> _Matrix:
    """pdfminer's page matrix: user space turned by /Rotate and moved to the media box."""
    x0, y0, x1, y1 = mediabox
    ctm = {
        90: (0, -1, 1, 0, -y0, x1),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, 1, -1, 0, y1, -x0),
    }.get(rotation, (1, 0, 0, 1, -x0, -y0))
    return ctm


def read_objects(pdf_page, textpage, page: PdfiumPage) -> dict[str, list[dict]]:
    objects: dict[str, list[dict]] = {"char": page_to_chars(textpage, page)}
    for obj in _walk(pdf_page.raw, page):
        objects.setdefault(obj["object_type"], []).append(obj)
    return objects


# -- characters ------------------------------------------------------------------------------


def page_to_chars(textpage, page: PdfiumPage) -> list[dict]:
    tp = textpage.raw
    clips = CharClips()
    runs: dict[int, _Run] = {}
    styles: dict[tuple, _Run] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    count = raw.FPDFText_CountChars(tp)
    codes = _unicode(tp, count)
    chars = []
    for i in range(count):
        obj = raw.FPDFText_GetTextObject(tp, i)
        if not obj:
            continue
        code = codes[i] if codes is not None else raw.FPDFText_GetUnicode(tp, i)
        if code == 0xFFFE:  # PDFium's mark for a hyphen ending a line: the "-" printed there
            code = 0x2D
        # a space or line break PDFium made up (it makes up nothing else)
        if code <= 0x20 and raw.FPDFText_IsGenerated(tp, i):
            continue
        address = ctypes.addressof(obj.contents)
        run = runs.get(address) or runs.setdefault(address, _run(tp, i, obj, page, styles))
        raw.FPDFText_GetCharOrigin(tp, i, x, y)
        text = "\ufffd" if raw.FPDFText_HasUnicodeMapError(tp, i) else chr(code)
        ch = run.char(text, code, _snap(x.value), _snap(y.value))
        if (clip := clips.clip(obj, x.value, y.value, address)) is not None:
            _mark_clip(ch, clip, page)
        chars.append(ch)
    return chars


def _unicode(tp, count: int) -> list[int] | None:
    """Every character's code point in one call; None when a character outside the Basic
    Multilingual Plane takes two UTF-16 units (then each is asked for)."""
    if not count:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(tp, 0, count, buffer)
    units = list(buffer[:count])
    if any(0xD800 <= u <= 0xDFFF for u in units):
        return None
    return units


def _run(tp, index: int, obj, page: PdfiumPage, styles: dict[tuple, _Run]) -> _Run:
    """The style of a text object's characters, shared by the objects set alike."""
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(obj, size)
    font = raw.FPDFTextObj_GetFont(obj)
    m = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(tp, index, m)
    key = (ctypes.addressof(font.contents), size.value, m.a, m.b, m.c, m.d)
    if key not in styles:
        styles[key] = _Run(font, size.value, (m.a, m.b, m.c, m.d), page)
    return styles[key]


class _Run:
    """What the characters of text objects set alike share: font, size and direction."""

    def __init__(self, font, size: float, matrix, page: PdfiumPage) -> None:
        self.size = size
        self.font = font
        name = ctypes.create_string_buffer(256)
        raw.FPDFFont_GetBaseFontName(font, name, len(name))
        self.fontname = name.value.decode("latin-1")
        ma, mb, mc, md = matrix
        # the character's direction in pdfminer's page space (the page's /Rotate applied)
        pa, pb, pc, pd = page.turn
        self.a, self.b = ma * pa + mb * pc, ma * pb + mb * pd
        self.c, self.d = mc * pa + md * pc, mc * pb + md * pd
        self.upright = self.a * self.d > 0 and self.b * self.c <= 0
        self.plain = self.b == 0 and self.c == 0 and self.a > 0 and self.d > 0
        self.page = page
        self.widths: dict[int, float] = {}
        self._width = ctypes.c_float()

    def advance(self, code: int) -> float:
        if code not in self.widths:
            raw.FPDFFont_GetGlyphWidth(self.font, code, self.size, self._width)
            self.widths[code] = self._width.value
        return self.widths[code]

    def char(self, text: str, code: int, ox: float, oy: float) -> dict:
        """A character dict as pdfplumber makes it from pdfminer's LTChar: the box from the
        origin across by the advance and up by the font size."""
        page = self.page
        adv = self.advance(code)
        ex, ey = page.point(ox, oy)
        if self.plain:  # upright text on an unturned page: the box needs no corners
            x0, x1, y0, y1 = ex, ex + self.a * adv, ey, ey + self.d * self.size
        else:
            ux, uy = self.a * adv, self.b * adv
            vx, vy = self.c * self.size, self.d * self.size
            x0, x1 = ex + min(0.0, ux) + min(0.0, vx), ex + max(0.0, ux) + max(0.0, vx)
            y0, y1 = ey + min(0.0, uy) + min(0.0, vy), ey + max(0.0, uy) + max(0.0, vy)
        top = page.height - y1 + page.bbox[1]
        left = page.bbox[0]
        return {
            "object_type": "char",
            "page_number": page.page_number,
            "text": text,
            "fontname": self.fontname,
            "adv": adv,
            "upright": self.upright,
            "matrix": (self.a, self.b, self.c, self.d, ex, ey),
            "size": y1 - y0,
            "x0": x0 + left,
            "x1": x1 + left,
            "y0": y0,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "top": top,
            "bottom": top + (y1 - y0),
            "doctop": page.initial_doctop + top,
        }


def _placed(page: PdfiumPage, obj: dict, x0: float, y0: float, x1: float, y1: float) -> dict:
    """`obj` with its box in pdfplumber's coordinates, from pdfminer's (y up)."""
    top = page.height - y1 + page.bbox[1]
    obj.update(
        x0=x0 + page.bbox[0], x1=x1 + page.bbox[0], y0=y0, y1=y1, width=x1 - x0,
        height=y1 - y0, top=top, bottom=top + (y1 - y0), doctop=page.initial_doctop + top,
    )
    return obj


def _mark_clip(ch: dict, clip, page: PdfiumPage) -> None:
    """The clip's box in top-left coordinates, and whether it hides the character."""
    (ax, ay), (bx, by) = page.point(clip[0], clip[1]), page.point(clip[2], clip[3])
    y_top, y_bottom = max(ay, by), min(ay, by)
    top = page.height - y_top + page.bbox[1]
    box = ch[CLIP_KEY] = (
        min(ax, bx) + page.bbox[0], top, max(ax, bx) + page.bbox[0], top + y_top - y_bottom,
    )
    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    if not (box[0] <= cx <= box[2] and box[1] <= cy <= box[3]):
        ch[HIDDEN_KEY] = True


# -- paths and images ------------------------------------------------------------------------


def _walk(container, page: PdfiumPage, outer: _Matrix = _IDENTITY, form=None) -> Iterator[dict]:
    """Paths and images on the page and inside its Form XObjects, each placed on the page."""
    count = raw.FPDFFormObj_CountObjects(form) if form else raw.FPDFPage_CountObjects(container)
    m = raw.FS_MATRIX()
    for k in range(count):
        obj = raw.FPDFFormObj_GetObject(form, k) if form else raw.FPDFPage_GetObject(container, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, m)
        matrix = _multiply((m.a, m.b, m.c, m.d, m.e, m.f), outer)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            yield from _walk(None, page, matrix, obj)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            yield _image(obj, matrix, page)
        else:
            yield from page_to_paths(obj, matrix, page)


def _multiply(m: _Matrix, n: _Matrix) -> _Matrix:
    """m then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
        e * a2 + f * c2 + e2, e * b2 + f * d2 + f2,
    )


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _image(obj, matrix: _Matrix, page: PdfiumPage) -> dict:
    points = [page.point(*_apply(matrix, u, v)) for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    w, h = ctypes.c_uint(), ctypes.c_uint()
    raw.FPDFImageObj_GetImagePixelSize(obj, w, h)
    image = {"object_type": "image", "page_number": page.page_number,
             "srcsize": (w.value, h.value)}
    return _placed(page, image, min(xs), min(ys), max(xs), max(ys))


def page_to_paths(obj, matrix: _Matrix, page: PdfiumPage) -> Iterator[dict]:
    """A painted path object's subpaths as pdfminer classes them."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, fill, stroke)
    if not fill.value and not stroke.value:
        return
    width = ctypes.c_float()
    raw.FPDFPageObj_GetStrokeWidth(obj, width)
    paint = {"stroke": bool(stroke.value), "fill": bool(fill.value), "linewidth": width.value}
    for points, curved in _subpaths(obj, matrix):
        placed = [page.point(x, y) for x, y in points]
        yield _path_object(placed, curved, paint, page)


def _subpaths(obj, matrix: _Matrix) -> Iterator[tuple[list[tuple[float, float]], bool]]:
    """Each subpath's points (a Bézier curve by its end point, as pdfminer keeps it) in user
    space, and whether it curves. PDFium closes a subpath with a segment back to its start, as
    pdfminer reads `h`."""
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    curved = False
    bezier = 0
    for s in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, s)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == _MOVE and points:
            yield points, curved
            points, curved, bezier = [], False, 0
        if kind == _BEZIER:
            curved, bezier = True, bezier + 1
            if bezier % 3:  # a control point
                continue
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        px, py = _apply(matrix, x.value, y.value)
        points.append((_snap(px), _snap(py)))
    if points:
        yield points, curved


def _path_object(points, curved: bool, paint: dict, page: PdfiumPage) -> dict:
    kind = "curve"
    if not curved and (len(points) == 2 or (len(points) == 3 and points[2] == points[0])):
        kind, points = "line", points[:2]
    elif not curved and len(points) == 5 and points[4] == points[0] and _square(points):
        kind = "rect"
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    obj = {"object_type": kind, "page_number": page.page_number, **paint}
    placed = _placed(page, obj, min(xs), min(ys), max(xs), max(ys))
    if kind != "rect":
        top_left = page.height + page.bbox[1]
        placed["pts"] = [(px + page.bbox[0], top_left - py) for px, py in points]
    return placed


def _square(points) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
        y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
    )
