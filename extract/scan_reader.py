"""Pages without a usable text layer (scans, photos of forms, page images) -> table parts, by OCR.

The output is the same `TablePart`s the born-digital reader makes, with cell boxes in PDF
points, so stitching (stitch.py) and normalize run unchanged on a scan:

    page_job -> scan_pages -> [worker] load_picture -> straighten -> ocr_boxes -> place_text
             -> ScannedPage (parts + lines outside the tables, in points)

`straighten` (with upright.py) makes the picture fit to read first: coloured seals out, the page
turned upright (sideways by the direction of its text lines, upside down by RapidOCR's 0/180
classifier on a dozen crops), deskewed; boxes are then in the corrected page's frame, and what
was done is noted on the page's table parts.

OCR is RapidOCR on onnxruntime with its default recogniser: the PP-OCR Chinese model shipped
inside the rapidocr wheel, so it runs offline (any other model is downloaded at run time and is
not used). Its text detector is not run: the lines of text are found from the table's cells and
the ink's horizontal projection (image_grid.line_boxes), and all the lines of a page are
recognised in one call. Pages are OCR'd in worker processes, one onnxruntime
thread each, as many as there are cores; nothing is cached on disk.

This module is imported for every PDF (the text-layer check); the image and OCR libraries are
imported only in the functions that need them.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import re
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import current_process, get_context
from multiprocessing.util import Finalize
from pathlib import Path
from typing import TYPE_CHECKING

from .blank import is_blank
from .errors import UnreadableDocument
from .glyphs import checked_signs
from .grid import BBox, TextLine
from .records import CellBox, TablePart, cell_locator

if TYPE_CHECKING:
    import numpy as np

    from .upright import Correction

log = logging.getLogger(__name__)

DEFAULT_DPI = 200.0  # for pages rendered from vector content and images that state no dpi
DPI_RANGE = (150.0, 300.0)  # a scan is read at its own resolution, within these bounds
A4_LONG_SIDE_INCH = 11.69  # a page image that states no usable dpi is taken to be a whole A4 page
OCR_PARAMS = {
    "Global.log_level": "warning",
    # pages are upright once straightened; asked line by line, the 180° classifier turned a
    # faded "≥90%" into "%06<" (it is asked once per page, on a dozen crops: `straighten`)
    "Global.use_cls": False,
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}
# a cell a seal covered is read with at most this confidence, below the warning threshold
# (normalize.table.LOW_CONFIDENCE): the row says "check against the page"
UNDER_SEAL_CONFIDENCE = 0.75
UNDER_SEAL_SHARE = 0.05
# a cell whose text runs on across one of its column lines (image_grid.cut_cells: a glyph cut by
# a stroke read as a line, a text printed on past a line drawn through it) holds part of a
# printed text: at most this confidence, below the warning threshold
CUT_TEXT_CONFIDENCE = 0.7
# a cell whose first line names a level column (一级指标) and which holds more under it is the
# heading's cell run into the cell under it, the row line between them lost (faded, skewed): its
# text holds a word of the header row, at most CUT_TEXT_CONFIDENCE
LEVEL_HEADING = re.compile(r"[一二三]级指标")
REC_HEIGHT_PX = 48  # the recogniser's input height (PP-OCR's rec model)
CELL_INSET_INCH = 0.02  # a cell's text is looked for this far inside its rulings (~1 pt thick)
# A line read with a score under SURE_SCORE (the checks' bar for a sure reading) is read again
# with REREAD_MARGIN_INCH more of the page around it: a short line clipped at its cell's edge
# (a unit, 人 or 万亩, in a narrow column of a photo) scores low for want of blank around it, not
# for a doubtful glyph. The same text read again is sure as its better score; another text
# leaves the first reading and its score as they were.
SURE_SCORE = 0.95
REREAD_MARGIN_INCH = 0.015
# A line's score is the mean of its characters' scores: one character read at under
# WEAK_CHARACTER (its look-alikes holding 30 % or more: 己 or 已) in a long line still leaves it
# near 1. The line scores as its weakest character then. Of 3,270 lines of the seed's and the
# development set's scans, 13 hold such a character, 2 of them in lines scoring 0.95 or more.
WEAK_CHARACTER = 0.7
WORKERS_ENV = "PERFTAB_OCR_WORKERS"  # 1 = OCR in the calling process (no worker processes)
# a page whose ruled cells stand (taller than wide) over this share of the tables' area is
# turned a quarter (`_cells_stand`), when it holds at least MIN_CELLS_TO_TURN cells
STANDING_SHARE = 0.8
MIN_CELLS_TO_TURN = 6


@dataclass(frozen=True)
class PageJob:
    """One page to OCR; small and picklable, so the worker loads the picture itself."""

    path: str
    page: int  # 1-based
    dpi: float
    reason: str  # why the page is OCR'd, e.g. "no text layer"
    frame: int | None = None  # for image files: the frame (TIFF page); None for PDF pages


@dataclass
class ScannedPage:
    page: int
    parts: list[TablePart]  # top to bottom, lines_before still empty
    lines: list[tuple[float, TextLine]]  # printed outside the tables, with their tops
    reason: str
    timings: dict[str, float] = field(default_factory=dict)  # seconds: render, grid, det, rec...
    correction: object = None  # upright.Correction: seals removed, turns and skew undone
    # a page with no ruled table: its recognised characters (scan_unruled.page_chars), to read
    # it again as the continuation of the previous page's unruled table; and the columns of a
    # table its end may cut, for the next page
    chars: list[dict] | None = None
    columns: object = None
    note: str | None = None  # the correction's note, for the parts read again

    def continuing(self, previous) -> ScannedPage:
        """The page read again with the previous page's unruled table's columns, when both
        pages are unruled and it opens with lines that fit them; the page itself otherwise.
        Pages are recognised apart (in worker processes), so a table's columns reach the next
        page only here."""
        if previous is None or self.chars is None:
            return self
        return _unruled_result(self, self.chars, previous) or self

    def parts_after(self, pending: list[TextLine]) -> tuple[list[TablePart], list[TextLine]]:
        """Each table with the lines printed before it, as pdf_reader's `_page_parts` does;
        lines after the last table carry over to the next page."""
        lines = list(self.lines)
        out = []
        for part in self.parts:
            before = [ln for top, ln in lines if top < part.bbox[1]]
            lines = [(top, ln) for top, ln in lines if top >= part.bbox[1]]
            out.append(dataclasses.replace(part, lines_before=pending + before))
            pending = []
        return out, pending + [ln for _, ln in lines]


# --- which pages need OCR ----------------------------------------------------------------------


def text_layer_problem(page) -> str | None:
    """Why a pdfplumber page's text cannot be used, or None when it can."""
    chars = [c["text"] for c in page.chars if not c["text"].isspace()]
    if not chars:
        return "no text layer"
    broken = sum(1 for t in chars if t.startswith("(cid:") or "\ufffd" in t)
    if broken > 0.05 * len(chars):
        return f"text layer broken ({broken} of {len(chars)} glyphs have no Unicode)"
    letters = [t for t in chars if t.isalpha()]
    cjk = sum(1 for t in letters if _is_cjk(t))
    # a font whose Unicode map is wrong gives Latin letters where Chinese is printed
    if len(letters) >= 20 and cjk < 0.5 * len(letters):
        return f"text layer garbled (only {cjk} of {len(letters)} letters are Chinese)"
    if cjk < 10 and _page_image(page) is not None:
        return "a scanned image with almost no text"
    # an archive's OCR tool (OCRmyPDF and the like) lays invisible text over the scan: the text is
    # there, but the table's ruling lines exist only in the picture
    if _page_image(page) is not None and not page.lines and not page.rects:
        return "a scanned image under a text layer, with no ruling lines outside the picture"
    return None


def _is_cjk(ch: str) -> bool:
    return unicodedata.name(ch[0], "").startswith("CJK")


def _page_image(page) -> dict | None:
    """The image covering most of the page (a scan), if any."""
    area = float(page.width * page.height)
    for image in page.images:
        if image["width"] * image["height"] >= 0.5 * area:
            return image
    return None


def page_job(path: Path, page, reason: str) -> PageJob:
    """Render a scan at its own resolution (no resampling); vector pages at DEFAULT_DPI."""
    image = _page_image(page)
    dpi = DEFAULT_DPI
    if image is not None and image.get("srcsize"):
        dpi = image["srcsize"][0] / float(image["width"]) * 72
    dpi = min(max(dpi, DPI_RANGE[0]), DPI_RANGE[1])
    log.info("%s p%d: OCR (%s), %.0f dpi", path, page.page_number, reason, dpi)
    return PageJob(str(path), page.page_number, round(dpi, 1), reason)


# --- running the pages -------------------------------------------------------------------------

_POOL: ProcessPoolExecutor | None = None
_POOL_SIZE = 0  # its workers


def scan_pages(jobs: list[PageJob]) -> dict[int, ScannedPage]:
    """The OCR entry point: every page that is OCR'd goes through here."""
    workers = _worker_count(len(jobs))
    if workers <= 1:
        return {job.page: scan_page(job) for job in jobs}
    try:
        return {page.page: page for page in _pool(workers).map(scan_page, jobs)}
    except BrokenProcessPool:
        # Most often a script that runs perftab at import time, without the
        # `if __name__ == "__main__":` guard that spawned workers need: read the pages here.
        log.warning("OCR worker processes failed to start; reading %d pages in this process "
                    "(set %s=1 to skip the workers)", len(jobs), WORKERS_ENV)
        close_workers()
        return {job.page: scan_page(job) for job in jobs}


def _worker_count(n_jobs: int) -> int:
    if current_process().daemon:
        return 1  # a daemonic worker (multiprocessing.Pool, dask) may not start processes
    wanted = os.environ.get(WORKERS_ENV)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    limit = int(wanted) if wanted else (cpus or 1)
    return max(1, min(limit, n_jobs))


def _pool(workers: int) -> ProcessPoolExecutor:
    """One pool for the whole run: each worker loads the models once, not once per file."""
    global _POOL, _POOL_SIZE
    if _POOL is not None and workers > _POOL_SIZE:
        close_workers()
    if _POOL is None:
        # spawn, not fork: onnxruntime's thread pool does not survive a fork
        _POOL = ProcessPoolExecutor(workers, get_context("spawn"), initializer=_init_worker)
        _POOL_SIZE = workers
        # The workers are not daemons: a multiprocessing child that used them would wait for
        # them forever at exit. multiprocessing runs this finalizer before that wait (and at
        # the main process's exit), and before its queues' own finalizers (priority 10), which
        # would stop the queue that carries the workers' stop signal.
        Finalize(None, close_workers, exitpriority=100)
    return _POOL


def close_workers() -> None:
    """Stop the OCR worker processes (they start again when needed)."""
    global _POOL
    if _POOL is not None:
        _POOL.shutdown()
        _POOL = None


def _init_worker() -> None:
    import cv2

    cv2.setNumThreads(1)  # the workers already use every core


def scan_page(job: PageJob) -> ScannedPage:
    """One page picture -> table parts and the lines outside them, in points."""
    from .image_grid import place_text, punctuation_by_width, text_ink, unread_marks

    start = time.perf_counter()
    picture = load_picture(job)
    rendered = time.perf_counter()
    if is_blank(picture):
        log.info("%s p%d: blank, not read", job.path, job.page)
        reason = f"{job.reason}; blank, not read"
        return ScannedPage(job.page, [], [], reason, timings={"render": rendered - start})
    page = straighten(picture, job.dpi)
    ink = text_ink(page.gray, page.rulings)
    gridded = time.perf_counter()
    scale = 72.0 / job.dpi
    note = page.correction.note(job.page)
    if not page.tables:
        return _unruled_page(job, page, ink, note, {"render": rendered - start,
                                                    "grid": gridded - rendered})
    boxes, stages = ocr_boxes(page.gray, page.tables, job.dpi, page.ink, page.rulings)
    read = time.perf_counter()
    boxes = unread_marks(punctuation_by_width(boxes, ink), ink)
    outside = place_text(page.tables, boxes)
    parts = [
        _table_part(job.page, table, scale, note, page.clear, _cut(table, ink, job.dpi))
        for table in page.tables
    ]
    lines = _outside_lines(job.page, outside, scale)
    timings = {
        "render": rendered - start,
        "grid": gridded - rendered,
        "ocr": read - gridded,
        "place": time.perf_counter() - read,
        **stages,
    }
    if note:
        log.info("%s: %s", job.path, note)
    return ScannedPage(job.page, parts, lines, job.reason, timings, page.correction)


def _unruled_page(job: PageJob, page, ink, note: str | None, timings: dict) -> ScannedPage:
    """A page with no ruled table: its text lines found within their columns and recognised,
    then the columns inferred from the text positions (scan_unruled.py). With no table there
    either, its lines are the page's text outside tables."""
    from .image_grid import punctuation_by_width
    from .scan_unruled import line_regions, page_chars

    start = time.perf_counter()
    boxes, stages = recognise(page.gray, line_regions(page.ink, job.dpi))
    boxes = punctuation_by_width(boxes, ink)
    timings.update(stages, ocr=time.perf_counter() - start)
    scale = 72.0 / job.dpi
    chars = page_chars(boxes, scale)
    lines = _outside_lines(job.page, boxes, scale)  # with no table, the page's text
    scanned = ScannedPage(job.page, [], lines, job.reason, timings, page.correction,
                          chars=chars, note=note)
    return _unruled_result(scanned, chars, None) or scanned


def _unruled_result(scanned: ScannedPage, chars: list[dict], previous) -> ScannedPage | None:
    """`scanned` with the tables found in its characters (continuing `previous` columns) and
    the lines around them; None when it holds no table."""
    from .scan_unruled import unruled_scan_parts

    parts, after, columns = unruled_scan_parts(scanned.page, chars, scanned.note, previous)
    if not parts:
        return None
    # the lines before each table placed just above it, those after the last below it, so that
    # parts_after hands them out as it does on a ruled page
    lines = [(part.bbox[1] - 0.01, ln) for part in parts for ln in part.lines_before]
    lines += [(parts[-1].bbox[3] + 0.01, ln) for ln in after]
    parts = [dataclasses.replace(part, lines_before=[]) for part in parts]
    return dataclasses.replace(scanned, parts=parts, lines=lines, chars=chars, columns=columns)


@dataclass
class UprightPage:
    """A page picture made fit to read: greyscale, seals out, upright, deskewed; its tables."""

    gray: np.ndarray  # 0 = ink
    ink: np.ndarray  # its ink mask without scanner specks (image_grid.ink_mask, without_specks)
    tables: list
    rulings: np.ndarray  # mask of the tables' ruling lines
    correction: Correction  # what was done to the picture
    clear: np.ndarray | None = None  # 0 where a seal was taken out, else 255; None: no seal


def straighten(picture, dpi: float) -> UprightPage:
    """Seals removed, the page turned upright and deskewed, then its ruled tables found.

    Sideways is told by geometry (the direction the lines of text run, and where they do not
    tell it surely, the shape of the ruled cells); upside down only by
    reading: a dozen crops of text go to RapidOCR's 0/180 direction classifier, as they are and
    turned round, never the whole page."""
    from .image_grid import deskew, estimate_skew, find_tables, ink_mask, without_specks
    from .perspective import flatten_photo, frame_quad, straighten_frame
    from .upright import Correction, seal_free_gray, text_crops, text_direction, turn, upside_down

    picture, flat = flatten_photo(picture, dpi)
    gray, seals = seal_free_gray(picture, dpi)
    clear = seals.clear  # moved with the page, to tell which cells were read under a seal
    turns, sure = text_direction(gray, dpi)
    gray = turn(gray, turns)
    skew = estimate_skew(gray)
    gray = deskew(gray, skew)
    clear = None if clear is None else deskew(turn(clear, turns), skew)
    frame = frame_quad(ink_mask(gray))
    if frame is not None:
        gray = straighten_frame(gray, frame)
        clear = None if clear is None else straighten_frame(clear, frame)
        flat = dataclasses.replace(flat, frame=True)
    tables, rulings = find_tables(gray, dpi)
    if not sure and _cells_stand(tables):
        gray, clear, turns = turn(gray, 1), None if clear is None else turn(clear, 1), turns + 1
        tables, rulings = find_tables(gray, dpi)
    ink = without_specks(ink_mask(gray), dpi)
    if upside_down(text_crops(gray, _sample_lines(ink, tables, dpi)), _classify_direction):
        gray, ink = turn(gray, 2), turn(ink, 2)
        clear = None if clear is None else turn(clear, 2)
        turns += 2
        tables, rulings = find_tables(gray, dpi)
    correction = Correction(turns % 4, skew, seals.found, tuple(flat.notes()))
    return UprightPage(gray, ink, tables, rulings, correction, clear)


def _cells_stand(tables) -> bool:
    """Whether nearly all the tables' area is in cells taller than wide: the page lies sideways.
    A form's cells hold lines of text across them, most of them one or two lines high; turned a
    quarter, they stand. Asked where the text runs do not tell surely (upright.text_direction):
    a form of many narrow columns stands in more than half its area upright."""
    cells = [c for table in tables for c in table.cells]
    area = sum((x1 - x0) * (bottom - top) for x0, top, x1, bottom in cells)
    standing = sum(
        (x1 - x0) * (bottom - top) for x0, top, x1, bottom in cells if bottom - top > x1 - x0
    )
    return len(cells) >= MIN_CELLS_TO_TURN and standing > STANDING_SHARE * area


def _sample_lines(ink, tables, dpi: float) -> list:
    """Text lines to judge the page's direction by: from the widest cells, else the page."""
    from .image_grid import line_boxes

    inset = max(2.0, CELL_INSET_INCH * dpi)
    cells = sorted((c for t in tables for c in t.cells), key=lambda c: c[0] - c[2])[:40]
    lines = [
        box
        for x0, top, x1, bottom in cells
        for box in line_boxes(ink, (x0 + inset, top + inset, x1 - inset, bottom - inset), dpi)
    ]
    if len(lines) < 4:
        lines += line_boxes(ink, (0, 0, ink.shape[1], ink.shape[0]), dpi, True)
    return lines


def _classify_direction(crops: list) -> list[tuple[str, float]]:
    import cv2

    classifier = ocr_engine()._load_cls_model()
    result = classifier([cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops])
    return [(label, float(score)) for label, score in result.cls_res]


def load_picture(job: PageJob):
    """The page as a numpy array at job.dpi: BGR where the scan has colour (a seal), else grey."""
    import numpy as np

    if job.frame is None:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(job.path)
        try:
            bitmap = pdf[job.page - 1].render(scale=job.dpi / 72)
            pixels = bitmap.to_numpy()
            return np.ascontiguousarray(pixels if pixels.ndim == 2 else pixels[..., :3])
        finally:
            pdf.close()
    from PIL import Image, ImageOps

    with Image.open(job.path) as opened:
        opened.seek(job.frame)
        image = ImageOps.exif_transpose(opened)
        if image.mode in ("L", "1", "I;16", "I"):
            return np.asarray(image.convert("L"))
        return np.ascontiguousarray(np.asarray(image.convert("RGB"))[..., ::-1])


# --- OCR ---------------------------------------------------------------------------------------

_ENGINE = None


def ocr_engine():
    """RapidOCR with its bundled default models, created once per process."""
    global _ENGINE
    if _ENGINE is None:
        from rapidocr import RapidOCR

        _ENGINE = RapidOCR(params=OCR_PARAMS)
    return _ENGINE


def ocr_boxes(gray, tables, dpi: float, ink=None, rulings=None) -> tuple[list, dict[str, float]]:
    """Text lines in the picture as TextBoxes, and the seconds per stage.

    No text detector: the tables' cells are known from their rulings, and the printed lines in
    a cell (and outside the tables) are found by the ink's horizontal projection
    (image_grid.line_boxes). Every line of the page goes to the recogniser in one call.
    `rulings` (the mask of the tables' lines) is kept out of the lines outside the tables: the
    edge of a border that a photo leaves bowed past the table's box is no line of text (it was
    read as "_" and joined to the cell above it)."""
    import cv2
    import numpy as np

    from .image_grid import LINE_HALF_INCH, ink_mask, line_boxes, without_specks

    start = time.perf_counter()
    ink = (without_specks(ink_mask(gray), dpi) if ink is None else ink).copy()
    inset = max(2.0, CELL_INSET_INCH * dpi)  # inside the cell's rulings
    regions: list = []
    for table in tables:
        for x0, top, x1, bottom in table.cells:
            cell = (x0 + inset, top + inset, x1 - inset, bottom - inset)
            regions.extend(line_boxes(ink, cell, dpi))
        x0, top, x1, bottom = (round(v) for v in table.bbox)
        pad = round(inset)
        ink[max(0, top - pad) : bottom + pad, max(0, x0 - pad) : x1 + pad] = 0
    if rulings is not None:
        reach = 2 * max(1, round(LINE_HALF_INCH * dpi)) + 1
        ink[cv2.dilate(rulings, np.ones((reach, reach), np.uint8)) > 0] = 0
    regions.extend(line_boxes(ink, (0, 0, ink.shape[1], ink.shape[0]), dpi, True))
    found = time.perf_counter()
    boxes, stages = recognise(gray, regions)
    stages["cut"] += found - start
    again = time.perf_counter()
    boxes = read_again(gray, boxes, dpi)
    stages["reread"] = time.perf_counter() - again
    return boxes, stages


def read_again(gray, boxes: list, dpi: float) -> list:
    """`boxes` with each line read under SURE_SCORE read again from a wider crop: the score of
    the better reading where both read the same text (see SURE_SCORE)."""
    h, w = gray.shape[:2]
    m = REREAD_MARGIN_INCH * dpi
    doubtful = {
        k: (max(0.0, b.box[0] - m), max(0.0, b.box[1] - m), min(w, b.box[2] + m),
            min(h, b.box[3] + m))
        for k, b in enumerate(boxes)
        if b.score < SURE_SCORE
    }
    if not doubtful:
        return boxes
    read, _ = recognise(gray, list(doubtful.values()))
    by_region = {b.box: b for b in read}
    out = list(boxes)
    for k, region in doubtful.items():
        second = by_region.get(region)
        if second is not None and second.text == boxes[k].text and second.score > boxes[k].score:
            out[k] = dataclasses.replace(boxes[k], score=second.score)
    return out


def recognise(gray, regions: list) -> tuple[list, dict[str, float]]:
    """The text of each region (a printed line, in pixels) as a TextBox with its characters'
    x centres, all in one call to the recogniser; regions read as blank are left out."""
    import cv2
    import numpy as np
    from rapidocr.ch_ppocr_rec import TextRecInput

    from .image_grid import TextBox

    if not regions:
        return [], {"cut": 0.0}
    start = time.perf_counter()
    crops = [
        cv2.cvtColor(
            gray[int(top) : math.ceil(bottom), int(x0) : math.ceil(x1)], cv2.COLOR_GRAY2BGR
        )
        for x0, top, x1, bottom in regions
    ]
    cut = time.perf_counter()
    engine = ocr_engine()
    result = engine._load_rec_model()(TextRecInput(img=[_enlarged(c) for c in crops],
                                                   return_word_box=True))
    # the characters' scores, before cal_rec_boxes turns them into boxes
    weakest = [_weakest_letter(info) for info in result.word_results]
    if len(weakest) != len(regions):
        weakest = [1.0] * len(regions)
    quads = np.array(
        [[[x0, top], [x1, top], [x1, bottom], [x0, bottom]] for x0, top, x1, bottom in regions],
        dtype=np.float32,
    )
    words = engine.cal_rec_boxes(crops, quads, result, True).word_results
    if len(words) != len(regions):  # rapidocr skips what it cannot place
        words = [()] * len(regions)
    boxes = []
    for k, (text, score) in enumerate(zip(result.txts, result.scores, strict=True)):
        if not text.strip() or score < engine.text_score:
            continue
        if weakest[k] < WEAK_CHARACTER:
            score = min(score, weakest[k])
        boxes.append(TextBox(text, float(score), regions[k], tuple(_line_centres(text, words[k]))))
    # ≧ comes out as ≥ with a score near 1: the bars are counted from the picture
    return checked_signs(gray, boxes), {"cut": cut - start, "rec": float(result.elapse)}


def _weakest_letter(info) -> float:
    """The lowest score the recogniser gave a character of a line that is no punctuation (a
    comma read half- or full-width is the same comma), 1.0 where it gave none."""
    letters = [c for word in getattr(info, "words", None) or () for c in word]
    scores = list(getattr(info, "confs", None) or ())
    if len(letters) != len(scores):
        return min(scores, default=1.0)
    return min((float(p) for c, p in zip(letters, scores, strict=True)
                if not unicodedata.category(c).startswith("P")), default=1.0)


def _enlarged(crop):
    """A crop lower than the recogniser's input, enlarged to it with cubic interpolation: the
    recogniser would stretch it linearly, which blurs the strokes of small print (150-200 dpi
    scans of 9-10 pt text). The same shape, so the characters' positions keep their share of
    the width."""
    import cv2

    height = crop.shape[0]
    if height == 0 or height >= REC_HEIGHT_PX:
        return crop
    factor = REC_HEIGHT_PX / height
    return cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def _line_centres(text: str, line) -> list[float]:
    """x centre of each character of a line; [] where the characters do not line up."""
    items = [w for w in line if w and w[2] is not None]
    if "".join(w[0] for w in items) != text:
        return []
    return [(float(w[2][0][0]) + float(w[2][2][0])) / 2 for w in items]


# --- back to points ----------------------------------------------------------------------------


def _points(box, scale: float) -> BBox:
    return tuple(round(float(v) * scale, 2) for v in box)  # type: ignore[return-value]


def _cut(table, ink, dpi: float) -> list[bool]:
    """Per cell: whether what it holds may be part of a text cut by a line (image_grid's
    cut_cells and lone_splits)."""
    from .image_grid import RULING_TOL_INCH, cut_cells, lone_splits

    across = cut_cells(table, ink, dpi)
    apart = lone_splits(table, max(2.0, RULING_TOL_INCH * dpi))
    return [a or b for a, b in zip(across, apart, strict=True)]


def _table_part(
    page: int, table, scale: float, note: str | None = None, clear=None, cut=None
) -> TablePart:
    from .image_grid import cell_text

    cells = []
    cut = cut or [False] * len(table.cells)
    for box, texts, cut_off in zip(table.cells, table.texts, cut, strict=True):
        text, confidence = cell_text(texts)
        if text and confidence is not None and _under_seal(box, clear):
            confidence = min(confidence, UNDER_SEAL_CONFIDENCE)
        if text and confidence is not None and (cut_off or _heading_over_text(texts)):
            confidence = min(confidence, CUT_TEXT_CONFIDENCE)
        cells.append(CellBox(_points(box, scale), text, confidence))
    notes = [note] if note else []
    return TablePart(page, _points(table.bbox, scale), cells, extractor="ocr", notes=notes)


def _heading_over_text(texts: list) -> bool:
    """Whether a cell's first printed line is a level column's heading alone and more lines
    follow it (LEVEL_HEADING)."""
    from .image_grid import line_text, text_lines

    lines = text_lines(texts)
    return len(lines) > 1 and LEVEL_HEADING.fullmatch(line_text(lines[0]).strip()) is not None


def _under_seal(box, clear) -> bool:
    """Whether a seal covered at least UNDER_SEAL_SHARE of the cell: the print under it was
    kept, but what the stamp's ink hid cannot be told from the picture."""
    if clear is None:
        return False
    x0, top, x1, bottom = (max(0, round(v)) for v in box)
    area = clear[top:bottom, x0:x1]
    return area.size > 0 and float((area == 0).mean()) >= UNDER_SEAL_SHARE


def _outside_lines(page: int, boxes: list, scale: float) -> list[tuple[float, TextLine]]:
    from .image_grid import line_text, text_lines

    out = []
    for line in text_lines(boxes):
        box = _points(
            (
                min(b.box[0] for b in line),
                min(b.box[1] for b in line),
                max(b.box[2] for b in line),
                max(b.box[3] for b in line),
            ),
            scale,
        )
        out.append((box[1], TextLine(line_text(line), cell_locator(page, box), page)))
    return out


# --- page images and the grids made from OCR ---------------------------------------------------


def read_image_parts(path: Path) -> tuple[list[TablePart], int]:
    """A PNG/JPEG/TIFF page image (a multi-page TIFF is several pages) -> table parts."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            dpi = _image_dpi(image)
    except (UnidentifiedImageError, OSError) as exc:
        raise UnreadableDocument(path, f"not a readable image ({exc})") from exc
    jobs = [PageJob(str(path), k + 1, dpi, "page image", frame=k) for k in range(frames)]
    scanned = scan_pages(jobs)
    parts: list[TablePart] = []
    pending: list[TextLine] = []
    for job in jobs:
        page_parts, pending = scanned[job.page].parts_after(pending)
        parts.extend(page_parts)
    return parts, frames


def _image_dpi(image) -> float:
    """The image's own dpi, unless it is missing or the 72/96 dpi that cameras and screenshots
    write whatever the page's size: then the dpi that makes the image an A4 page."""
    stated = float((image.info.get("dpi") or (0.0,))[0])
    if stated < 100:
        stated = max(image.size) / A4_LONG_SIDE_INCH
    return round(min(max(stated, DPI_RANGE[0]), DPI_RANGE[1]), 1)
