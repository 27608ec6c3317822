"""How large a document may get inside before perftab refuses it, and the checks that refuse it.

A budget form is a few pages and a few hundred cells. A file far outside that is either built to
exhaust a worker (a ZIP part that inflates to gigabytes, an XML entity bomb, a gridSpan of
twenty million, a page 200 inches wide rendered for OCR) or broken; either way it is refused
with `ResourceLimit` before the costly step allocates anything, and the batch goes on. Each
check reads only sizes and headers: the ZIP directory, the PDF page tree, an image's header,
the spans of a table as they are read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from .errors import ResourceLimit

MB = 2**20


@dataclass(frozen=True)
class Limits:
    # Pixels of a page rendered for OCR, at the highest dpi a page is read at (scan_reader's
    # DPI_RANGE): an A0 page at 300 dpi is 139 million; a 14,400 pt page would be 3.6 billion.
    page_pixels: int = 150_000_000
    # A page image's pixels, from its header (PIL's own bomb check is set to the same number).
    image_pixels: int = 150_000_000
    # ZIP packages (DOCX, XLSX): any one part, all parts together, and how many times a large
    # part may inflate (real Office XML: up to ~30 times; a run of empty elements: thousands).
    part_bytes: int = 256 * MB
    package_bytes: int = 1024 * MB
    package_parts: int = 10_000
    inflation_ratio: int = 200
    # A table's grid, spans included (rows x columns; a form has hundreds of slots), and a
    # sheet's merged ranges together (openpyxl makes an object for every slot they cover: a
    # merge to XFD1048576 is 17 billion).
    table_cells: int = 1_000_000
    # A worksheet's cells as written (openpyxl holds ~250 bytes for each).
    sheet_cells: int = 2_000_000
    # Tables inside table cells: Word forms nest two or three deep at most.
    table_nesting: int = 10
    # not limits: the dpi pages are judged at, and the part size below which no ratio is judged
    render_dpi: float = 300.0
    inflation_floor: int = 1 * MB


LIMITS = Limits()
_IN_FORCE: ContextVar[Limits] = ContextVar("limits", default=LIMITS)


def limits_in_force() -> Limits:
    """The limits the checks below apply when none are given: LIMITS, or those of
    `limits_set`."""
    return _IN_FORCE.get()


@contextmanager
def limits_set(limits: Limits | None) -> Iterator[None]:
    """Every check made inside applies `limits` (a run's options: a file is read in one thread,
    its checks deep inside the readers)."""
    token = _IN_FORCE.set(limits or LIMITS)
    try:
        yield
    finally:
        _IN_FORCE.reset(token)


def refuse(path: Path | str, what: str, limit: str, option: str = "") -> ResourceLimit:
    """The refusal of a file past a limit; `option` is the option that raises it."""
    by = f" ({option})" if option else ""
    return ResourceLimit(path, f"refused: {what} exceeds the limit of {limit}{by}")


# ---------------------------------------------------------------- ZIP packages


def check_package(path: Path, limits: Limits | None = None) -> None:
    """A DOCX/XLSX's parts by their declared sizes (zipfile never inflates a part past its
    declared size), before any part is read; then the XML's prolog for a DTD."""
    limits = limits or limits_in_force()
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_part_sizes(path, infos, limits)
            for info in infos:
                _check_no_dtd(path, archive, info)
    except zipfile.BadZipFile:
        return  # damaged: the reader says so


def _check_part_sizes(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.package_parts:
        raise refuse(path, f"a package of {len(infos):,} parts", f"{limits.package_parts:,} parts",
                     "--max-package-parts")
    total = 0
    for info in infos:
        size = info.file_size
        if size > limits.part_bytes:
            raise refuse(path, f"part {info.filename} ({size_text(size)} inflated)",
                         size_text(limits.part_bytes), "--max-part-size")
        ratio = size / max(info.compress_size, 1)
        if size > limits.inflation_floor and ratio > limits.inflation_ratio:
            raise ResourceLimit(
                path,
                f"refused: part {info.filename} inflates {ratio:,.0f} times, from "
                f"{size_text(info.compress_size)} to {size_text(size)}, over the limit of "
                f"{limits.inflation_ratio:,} times (--max-inflation; looks like a decompression "
                "bomb)",
            )
        total += size
    if total > limits.package_bytes:
        raise refuse(path, f"the package's parts ({size_text(total)} inflated)",
                     size_text(limits.package_bytes), "--max-package-size")


def _check_no_dtd(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Office XML never declares a DTD; one that does is how entity bombs (billion laughs) are
    built. Every part is looked at whatever its name (a reader goes by the package's content
    types), up to its root element's start: the DTD can only stand before it."""
    from lxml import etree

    with archive.open(info) as fh:
        events = etree.iterparse(fh, events=("start",), resolve_entities=False, load_dtd=False,
                                 no_network=True, huge_tree=False)  # fmt: skip
        try:
            _, root = next(events)
        except (etree.XMLSyntaxError, StopIteration):
            return  # not XML (a picture), or damaged: the reader says so
    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
        raise ResourceLimit(
            path,
            f"refused: part {info.filename} declares a DTD, which Office documents never do "
            "(looks like an XML entity bomb)",
        )


def size_text(n: int) -> str:
    if n >= MB:
        return f"{n / MB:,.1f} MB"
    return f"{n / 1024:,.1f} KB" if n >= 1024 else f"{n:,} bytes"


def check_sheet_cells(path: Path, limits: Limits | None = None) -> None:
    """An XLSX's cells and merged ranges, counted from each part's XML as it streams by, before
    openpyxl builds an object for every cell and every slot of every merged range."""
    limits = limits or limits_in_force()
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():  # whatever its name: openpyxl follows the rels
                with archive.open(name) as fh:
                    _check_sheet_part(path, name, fh, limits)
    except zipfile.BadZipFile:
        return  # damaged: the reader says so


_SHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # Strict Open XML
)
# rows only to be cleared away as they end, like the cells
_SHEET_TAGS = tuple(
    f"{{{ns}}}{tag}" for ns in _SHEET_NAMESPACES for tag in ("c", "mergeCell", "row")
)


def _check_sheet_part(path: Path, name: str, fh, limits: Limits) -> None:
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    cells = merged = 0
    events = etree.iterparse(fh, events=("end",), tag=_SHEET_TAGS, resolve_entities=False,
                             huge_tree=False, no_network=True)  # fmt: skip
    try:
        for _, element in events:
            if element.tag.endswith("}c"):
                cells += 1
            elif element.tag.endswith("}mergeCell"):
                merged += _area(element.get("ref", ""), range_boundaries)
            element.clear()  # and the emptied elements before it: memory stays flat
            while element.getprevious() is not None:
                del element.getparent()[0]
            if cells > limits.sheet_cells:
                raise refuse(path, f"part {name} (over {limits.sheet_cells:,} cells)",
                             f"{limits.sheet_cells:,} cells per sheet", "--max-sheet-cells")
            if merged > limits.table_cells:
                raise refuse(path, f"part {name}'s merged ranges ({merged:,} cells)",
                             f"{limits.table_cells:,} cells per table", "--max-table-cells")
    except etree.XMLSyntaxError as exc:
        refusal = xml_refusal(path, f"part {name}", exc)
        if refusal is not None:
            raise refusal from None
        # otherwise damaged: openpyxl says so


def _area(ref: str, range_boundaries) -> int:
    try:
        left, top, right, bottom = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0  # not a range: openpyxl says what is wrong with it
    return (right - left + 1) * (bottom - top + 1)


# libxml2's error codes for its own limits (lxml's etree.ErrorTypes): a resource limit (depth,
# a text or attribute past 10 MB, entity amplification), an entity defined through itself, a
# name past 50,000 characters. Older libxml2 gives some as ERR_INTERNAL_ERROR: the message says.
_XML_RESOURCE_LIMIT, _XML_ENTITY_LOOP, _XML_NAME_TOO_LONG = 114, 89, 110
XML_PARSER_HINT = (
    "the limit is the XML parser's own and no option raises it; if the file is genuine, "
    "report it with the file"
)


def xml_refusal(path: Path | str, where: str, error) -> ResourceLimit | None:
    """The refusal for XML libxml2 stopped reading at one of its own limits, or None when the
    XML is merely damaged (the reader then says so). `error` is lxml's XMLSyntaxError, or an
    entry of a parser's error log (the HTML parser, which recovers, logs the limit and goes on
    without the rest of the page). `where` names the XML: "part xl/worksheets/sheet1.xml"."""
    code = getattr(error, "code", None) or getattr(error, "type", None)
    message = str(getattr(error, "message", None) or error)
    cause = _xml_limit_cause(code, message.lower(), where)
    if cause is None and code == _XML_RESOURCE_LIMIT:  # a limit newer than this list
        detail = message.split(",")[0].split(":")[-1].strip()
        cause = f"{where} exceeds a limit of the XML parser ({detail})"
    return None if cause is None else ResourceLimit(path, f"refused: {cause}", XML_PARSER_HINT)


def _xml_limit_cause(code: int | None, message: str, where: str) -> str | None:
    if "excessive depth" in message:
        return f"the nesting of elements in {where} exceeds the limit of 256 levels"
    if code == _XML_ENTITY_LOOP or "amplification" in message or "entity reference loop" in message:
        return f"{where} expands entities (looks like an XML entity bomb)"
    if "text node" in message or "buffer size limit" in message or "huge input" in message:
        return f"a text or attribute in {where} exceeds the limit of 10,000,000 bytes"
    if code == _XML_NAME_TOO_LONG or "name too long" in message:
        return f"an element or attribute name in {where} exceeds the limit of 50,000 characters"
    return None


def xml_log_refusal(path: Path | str, where: str, log) -> ResourceLimit | None:
    """The refusal for the first of a parser's logged errors that is one of its limits."""
    for entry in log:
        refusal = xml_refusal(path, where, entry)
        if refusal is not None:
            return refusal
    return None


# ---------------------------------------------------------------- pages and pictures


def check_page_sizes(
    path: Path, sizes: list[tuple[float, float]], limits: Limits | None = None
) -> None:
    """Every PDF page by its size in points, as if rendered at the highest dpi OCR uses: refused
    before pdfplumber or pdfium lay it out or render it."""
    limits = limits or limits_in_force()
    scale = limits.render_dpi / 72
    for number, (width, height) in enumerate(sizes, 1):
        pixels = round(width * scale) * round(height * scale)
        if pixels > limits.page_pixels:
            raise refuse(
                path,
                f"page {number} ({width:,.0f} x {height:,.0f} pt) rendered at "
                f"{limits.render_dpi:.0f} dpi ({pixels:,} pixels)",
                f"{limits.page_pixels:,} pixels per page", "--max-page-pixels",
            )


def check_image(path: Path, max_frames: int | None = None, limits: Limits | None = None) -> int:
    """A page image's pixels from its header, every frame of a TIFF, before one is decoded; its
    frame count (a TIFF is a page per frame), refused past `max_frames` before any is read."""
    from PIL import Image, UnidentifiedImageError

    limits = limits or limits_in_force()
    # PIL's own check would stop at open without the numbers; here only the header is read, and
    # the size judged below. Set after, so that decoding anywhere in this process agrees.
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            if max_frames is not None and frames > max_frames:
                return frames
            for frame in range(frames):
                image.seek(frame)
                _check_image_size(path, image.size, frame, limits)
            return frames
    except (UnidentifiedImageError, OSError, EOFError):
        return 0  # damaged: the reader says so
    finally:
        Image.MAX_IMAGE_PIXELS = limits.image_pixels


def _check_image_size(path: Path, size: tuple[int, int], frame: int, limits: Limits) -> None:
    width, height = size
    if width * height > limits.image_pixels:
        where = f"frame {frame + 1} " if frame else ""
        raise refuse(path, f"the image {where}({width:,} x {height:,} = {width * height:,} pixels)",
                     f"{limits.image_pixels:,} pixels", "--max-image-pixels")


# ---------------------------------------------------------------- tables


def check_table_size(
    source: Path | str, table: str, n_rows: int, n_cols: int, limits: Limits | None = None
) -> None:
    """A table's grid, spans included, before it is allocated. Called as spans are read, with
    the rows and columns known so far, so a gridSpan of millions is refused on its row."""
    limits = limits or limits_in_force()
    if n_rows * n_cols > limits.table_cells:
        raise refuse(
            source,
            f"{table} ({n_rows:,} row{'s' * (n_rows != 1)} x {n_cols:,} columns with its spans)",
            f"{limits.table_cells:,} cells per table", "--max-table-cells",
        )


def check_nesting(
    source: Path | str, table: str, depth: int, limits: Limits | None = None
) -> None:
    limits = limits or limits_in_force()
    if depth > limits.table_nesting:
        raise refuse(source, f"{table}, nested {depth} tables deep,",
                     f"{limits.table_nesting} tables in tables", "--max-nesting")
