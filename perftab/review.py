"""`perftab review OUTDIR`: a local page listing what the checks and the readers doubt, with the
printed evidence beside the values read, where a person accepts or corrects a row.

    OUTDIR --load_queue--> items (failed checks, warnings, low confidence, repairs), worst first
        --page--> the queue; each row's evidence: a crop of its page (evidence_png) or the
        DOCX/XLSX/HTML cells around it (neighbour_rows)
    form --save_correction--> OUTDIR/corrections (perftab/corrections.py)

Served by Flask on 127.0.0.1 (a free port unless asked) behind a random token that every request
must carry, as Jupyter does. A file is only ever read when OUTDIR's `files` rows name it with the
content its rows came from; nothing of the request names a path. docs/review.md.
"""

from __future__ import annotations

import io
import re
import secrets
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for

from perftab.normalize.checks import SEVERITIES, check_table, doubts_reading
from perftab.normalize.records import IndicatorRecord, TableRecord
from perftab.normalize.targets import parse_target

from .check import load_tables
from .corrections import (
    HEADER_FIELDS,
    INDICATOR_FIELDS,
    CorrectionError,
    CorrectionRecord,
    apply_corrections,
    now,
    read_corrections,
    save_correction,
)
from .pipeline import sha256_of
from .writers import read_output

__all__ = ["create_app", "load_queue", "serve"]

RENDER_DPI = 150
BAND_PT = 36.0  # points of the page shown above and below a row
NEIGHBOURS = 1  # rows shown above and below a DOCX/XLSX/HTML row
_RANK = {s: i for i, s in enumerate(SEVERITIES)}
# the repairs note of an OCR'd page (extract/upright.py Correction.note)
_PAGE_NOTE = re.compile(r"page (\d+) (?:turned (90° clockwise|180°|90° anticlockwise))?"
                        r"(?:, )?(?:deskewed ([+-]\d+(?:\.\d+)?)°)?(?:, )?(?:\d+ seals? removed)?")
_TURNS = {"90° clockwise": 1, "180°": 2, "90° anticlockwise": 3}


# --------------------------------------------------------------------------- the queue


@dataclass
class Item:
    """One row of the queue: an indicator row, or a table's header (row None)."""

    table: TableRecord
    row: IndicatorRecord | None
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (severity, what)
    reviewed: list[CorrectionRecord] = field(default_factory=list)

    @property
    def severity(self) -> str:
        return min((s for s, _ in self.reasons), key=_RANK.__getitem__, default="info")

    @property
    def locator(self) -> str:
        return self.row.locator if self.row else self.table.locator

    @property
    def key(self) -> str:
        return f"{self.table.table_id}-{self.row.seq if self.row else 0}"

    @property
    def queued(self) -> bool:
        return bool(self.reasons or self.reviewed)

    def rank(self) -> tuple:
        return (not self.reasons or bool(self.reviewed), _RANK[self.severity],
                self.row.seq if self.row else 0)


@dataclass
class Queue:
    files: list[tuple[str, list[tuple[TableRecord, list[Item]]]]]
    n_rows: int  # indicator rows in OUTDIR
    n_items: int
    corrections: list[CorrectionRecord]


def load_queue(outdir: Path) -> Queue:
    """OUTDIR's doubtful rows by file and table, worst first: each file and table by its worst
    row not reviewed yet, rows reviewed last."""
    tables = load_tables(outdir)  # corrected already (diff.load_projects)
    corrections = read_corrections(outdir)
    found = apply_corrections(tables, corrections)
    for table in tables:
        table.checks = check_table(table) + [c for c in found if c.table_id == table.table_id]
    by_file: dict[str, list[tuple[TableRecord, list[Item]]]] = defaultdict(list)
    n_items = 0
    for table in tables:
        items = table_items(table, corrections)
        by_file[table.source_path].append((table, sorted(items, key=Item.rank)))
        n_items += sum(1 for i in items if i.queued)

    def worst(items: list[Item]) -> tuple:
        return min(i.rank() for i in items)[:2]

    ordered = []
    for path, entries in by_file.items():
        entries.sort(key=lambda e: (worst(e[1]), e[0].table_index))
        ordered.append((path, entries))
    ordered.sort(key=lambda f: (min(worst(items) for _, items in f[1]), f[0]))
    n_rows = sum(len(t.indicators) for t in tables)
    return Queue(ordered, n_rows, n_items, corrections)


def table_items(table: TableRecord, corrections: list[CorrectionRecord]) -> list[Item]:
    sha16 = table.table_id[:16]
    mine = [c for c in corrections if c.sha256[:16] == sha16]
    indicators = {i.seq: i for i in table.indicators}
    rows = {seq: Item(table, i) for seq, i in indicators.items()}
    header = Item(table, None, [("warning", w) for w in table.warnings])
    for check in table.checks:
        item = rows.get(check.seq) if check.seq is not None else header
        if not doubts_reading(check, item.row if item else None):
            continue
        if item is not None:
            item.reasons.append((check.severity, f"{check.rule}: {check.message}"))
    for seq, item in rows.items():
        item.reasons += [("warning", w) for w in indicators[seq].warnings]
    for item in [header, *rows.values()]:
        item.reviewed = [c for c in mine if c.locator == item.locator]
    # the header is always there to correct, queued or not
    return [header, *(i for i in rows.values() if i.reasons or i.reviewed)]


# --------------------------------------------------------------------------- evidence


class Sources:
    """The files OUTDIR's rows came from, read only as its `files` rows name them: a path and
    the sha256 of its content. A file changed since (or never recorded) is not read."""

    def __init__(self, outdir: Path):
        rows = read_output(outdir, "files").to_pylist()
        self.files = {r["source_path"]: r for r in rows if r["status"] == "ok" and r["sha256"]}
        self._checked: dict[tuple, bool] = {}
        self._grids: dict[str, list] = {}

    def path(self, table: TableRecord) -> Path | None:
        """The file of this table, when OUTDIR names it and it still holds that content."""
        row = self.files.get(table.source_path)
        if row is None or row["sha256"][:16] != table.table_id[:16]:
            return None
        path = Path(table.source_path)
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (table.source_path, stat.st_mtime_ns, stat.st_size)
        if key not in self._checked:
            self._checked[key] = sha256_of(path) == row["sha256"]
        return path if self._checked[key] else None

    def kind(self, table: TableRecord) -> str | None:
        row = self.files.get(table.source_path)
        return row["kind"] if row else None

    def grids(self, path: Path, kind: str) -> list:
        if str(path) not in self._grids:
            from perftab.extract import document_to_grids

            self._grids[str(path)] = document_to_grids(path, kind).grids
        return self._grids[str(path)]


def neighbour_rows(sources: Sources, item: Item) -> list[list[str]] | None:
    """A DOCX/XLSX/HTML/text row as its document holds it, with the rows around it: each row's
    cell texts, a merged cell once. None where the file cannot be read or has pages."""
    path, kind = sources.path(item.table), sources.kind(item.table)
    if path is None or kind in (None, "pdf", "image") or item.row is None:
        return None
    for grid in sources.grids(path, kind):
        for r, cells in enumerate(grid.rows):
            if any(c is not None and c.locator == item.row.locator for c in cells):
                window = grid.rows[max(0, r - NEIGHBOURS): r + NEIGHBOURS + 1]
                return [_row_texts(row) for row in window]
    return None


def _row_texts(cells: list) -> list[str]:
    texts, seen = [], set()
    for c in cells:
        if c is None or id(c) in seen:
            continue
        seen.add(id(c))
        texts.append(c.text)
    return texts


def evidence_png(sources: Sources, item: Item) -> bytes | None:
    """A crop of the page around the row (the whole width, a band above and below), its
    target cell framed in red; PDF pages and page images, in the frame its boxes are in."""
    path, kind = sources.path(item.table), sources.kind(item.table)
    boxes = _boxes(item)
    if path is None or kind not in ("pdf", "image") or not boxes:
        return None
    page = boxes[0][0]
    gray = _page_picture(path, kind, page, _page_correction(item.table, page))
    return _crop(gray, [b for p, *b in boxes if p == page])


def _boxes(item: Item) -> list[tuple]:
    if item.row is not None:
        r = item.row
        return [(r.page, r.x0, r.top, r.x1, r.bottom)] if r.page and r.x0 is not None else []
    return [(f.page, f.x0, f.top, f.x1, f.bottom) for f in item.table.fields
            if f.page and f.x0 is not None]


def _page_correction(table: TableRecord, page: int) -> tuple[int, float]:
    """The quarter turns and deskew an OCR'd page was read with, from its rows' repairs."""
    for row in table.indicators:
        for note in row.repairs:
            m = _PAGE_NOTE.match(note)
            if m and int(m.group(1)) == page:
                return _TURNS.get(m.group(2) or "", 0), float(m.group(3) or 0.0)
    return 0, 0.0


def _page_picture(path: Path, kind: str, page: int, correction: tuple[int, float]):
    """The page as the reader saw it, grey, at RENDER_DPI: turned and deskewed as it was."""
    import cv2
    import numpy as np

    from perftab.extract.image_grid import deskew
    from perftab.extract.scan_reader import PageJob, load_picture
    from perftab.extract.upright import turn

    if kind == "image":
        from PIL import Image

        from perftab.extract.scan_reader import _image_dpi

        with Image.open(path) as image:
            dpi = _image_dpi(image)
        picture = load_picture(PageJob(str(path), page, dpi, "review", frame=page - 1))
    else:
        dpi = RENDER_DPI
        picture = load_picture(PageJob(str(path), page, dpi, "review"))
    gray = picture if picture.ndim == 2 else cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY)
    turns, skew = correction
    gray = deskew(turn(np.ascontiguousarray(gray), turns), skew)
    scale = RENDER_DPI / dpi
    if scale != 1:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return gray


def _crop(gray, boxes: list[list[float]]) -> bytes:
    from PIL import Image, ImageDraw

    px = RENDER_DPI / 72
    top = max(0, int((min(b[1] for b in boxes) - BAND_PT) * px))
    bottom = min(gray.shape[0], int((max(b[3] for b in boxes) + BAND_PT) * px))
    image = Image.fromarray(gray[top:bottom]).convert("RGB")
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle([x0 * px, y0 * px - top, x1 * px, y1 * px - top], outline=(220, 0, 0),
                       width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --------------------------------------------------------------------------- the app


def create_app(outdir: Path, token: str, who: str) -> Flask:
    """The review page of OUTDIR; every request must carry `token` (?token=…)."""
    app = Flask(__name__, static_folder=None)
    app.config.update(OUTDIR=Path(outdir), TOKEN=token, WHO=who)
    state: dict[str, Sources] = {}

    def sources() -> Sources:
        if "sources" not in state:
            state["sources"] = Sources(app.config["OUTDIR"])
        return state["sources"]

    @app.before_request
    def require_token() -> None:
        given = request.args.get("token", "")
        if not secrets.compare_digest(given.encode(), token.encode()):
            abort(403)

    @app.after_request
    def no_framing(response: Response) -> Response:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def page():
        queue = load_queue(app.config["OUTDIR"])
        src = sources()
        neighbours = {item.key: neighbour_rows(src, item)
                      for _, entries in queue.files for _, items in entries for item in items}
        return render_template(
            "review.html", queue=queue, token=token, who=who, outdir=app.config["OUTDIR"],
            neighbours=neighbours, pictured={p for p, r in src.files.items()
                                             if r["kind"] in ("pdf", "image")},
            header_fields=HEADER_FIELDS, indicator_fields=INDICATOR_FIELDS,
        )

    @app.get("/evidence/<table_id>/<int:seq>.png")
    def evidence(table_id: str, seq: int):
        item = _find_item(app.config["OUTDIR"], table_id, seq)
        png = evidence_png(sources(), item)
        if png is None:
            abort(404)
        return Response(png, mimetype="image/png")

    @app.get("/parse")
    def parse():
        target = parse_target(request.args.get("text", ""))
        return jsonify(asdict(target))

    @app.post("/correct")
    def correct():
        form = request.form
        seq = int(form.get("seq") or 0)
        item = _find_item(app.config["OUTDIR"], form.get("table_id", ""), seq)
        correction = _correction(sources(), item, form.get("field", ""), form.get("value"), who)
        try:
            save_correction(app.config["OUTDIR"], correction)
        except CorrectionError as exc:
            return Response(f"{exc}\n", status=400, mimetype="text/plain")
        return redirect(url_for("page", token=token, _anchor=f"item-{item.key}"), code=303)

    return app


def _find_item(outdir: Path, table_id: str, seq: int) -> Item:
    """The table and row named by the request, from OUTDIR's own rows (404 otherwise)."""
    for table in load_tables(outdir):
        if table.table_id != table_id:
            continue
        if seq == 0:
            return Item(table, None)
        for row in table.indicators:
            if row.seq == seq:
                return Item(table, row)
    abort(404)


def _correction(
    sources: Sources, item: Item, name: str, value: str | None, who: str
) -> CorrectionRecord:
    table, row = item.table, item.row
    if row is None and name not in (*HEADER_FIELDS, "accepted"):
        abort(400, f"{name!r} is not a header field")
    if row is not None and name not in INDICATOR_FIELDS:
        abort(400, f"{name!r} is not an indicator field")
    before = _current(table, row, name)
    after = None if name in ("accepted", "not_indicator") else (value or "").strip()
    return CorrectionRecord(
        sha256=_full_sha(sources, table), source_path=table.source_path, table_id=table.table_id,
        seq=row.seq if row else None, locator=item.locator, level3=row.level3 if row else None,
        field=name, before=before, after=after, who=who, when=now(),
    )


def _current(table: TableRecord, row: IndicatorRecord | None, name: str) -> str | None:
    if row is None:
        value = getattr(table, name, None) if name in HEADER_FIELDS else None
    else:
        value = {"target": row.target_raw, "level1": row.level1, "level2": row.level2,
                 "level3": row.level3, "not_indicator": row.target_raw}.get(name)
    return None if value is None else str(value)


def _full_sha(sources: Sources, table: TableRecord) -> str:
    """The sha256 of the table's file, as its `files` row records it."""
    row = sources.files.get(table.source_path)
    if row is None or row["sha256"][:16] != table.table_id[:16]:
        abort(409, f"{table.source_path} is not recorded in the output with this table's content")
    return row["sha256"]


def serve(outdir: Path, host: str = "127.0.0.1", port: int = 0, who: str = "") -> None:
    """Serve the page until interrupted, printing its address with the token."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Unlogged(WSGIRequestHandler):
        def log_request(self, *args) -> None:  # the URL holds the token: keep it off stderr
            pass

    token = secrets.token_urlsafe(24)
    server = make_server(host, port, create_app(outdir, token, who), threaded=True,
                         request_handler=Unlogged)
    shown = f"[{host}]" if ":" in host else host
    print(f"perftab review: open http://{shown}:{server.server_port}/?token={token}", flush=True)
    print("(Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

