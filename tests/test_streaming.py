"""A PDF's pages are read as its parts are asked for, stitching hands each table on as soon
as the next part starts another, normalizing reads each grid as it comes and the records are
made Arrow as they are read: no stage holds every page, grid or record of a long document."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from perftab import pipeline, rows
from perftab.extract import pdf_reader, stream_grids
from perftab.extract.pdf_reader import PdfParts, read_pdf_parts
from perftab.extract.stitch import group_continuations
from perftab.rows import FileRows

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "pdf" / "huoshan-2023.pdf"


def test_pages_are_read_as_their_parts_are_asked_for(monkeypatch):
    read = []
    page_parts = pdf_reader._page_parts

    def spy(page, pending, columns):
        read.append(page.page_number)
        return page_parts(page, pending, columns)

    monkeypatch.setattr(pdf_reader, "_page_parts", spy)
    parts = PdfParts(SAMPLE)
    assert parts.pages == 6 and read == []
    first = next(iter(parts))
    assert (first.page, read) == (1, [1])


def test_streamed_parts_are_the_parts_read_at_once():
    streamed = list(PdfParts(SAMPLE))
    at_once, pages = read_pdf_parts(SAMPLE)
    assert pages == 6 and [p.page for p in streamed] == [1, 2, 2, 3, 4, 5, 6]
    assert streamed == at_once


def test_a_table_is_handed_on_before_the_parts_after_it_are_read():
    parts = list(PdfParts(SAMPLE))

    def then_fail():
        # the first table, on pages 1 and 2, then page 2's second table
        yield from parts[:3]
        raise AssertionError("read past the part that ends the first table")

    first = next(group_continuations(then_fail()))
    assert first == parts[:2]


# --- a long document, one table after another -----------------------------------------------

COPIES = 6  # the sample's pages repeated: 36 pages, 30 tables


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    reader = PdfReader(SAMPLE)
    writer = PdfWriter()
    for _ in range(COPIES):
        for page in reader.pages:
            writer.add_page(page)
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def _alive(seen: list[weakref.ref]) -> int:
    """How many of the objects seen are still held (records compare by value: no WeakSet)."""
    gc.collect()
    return sum(ref() is not None for ref in seen)


def test_a_long_documents_grids_are_let_go_as_its_tables_are_read(long_pdf, monkeypatch):
    seen: list[weakref.ref] = []
    alive: list[int] = []

    def watched(grids):
        for grid in grids:
            seen.append(weakref.ref(grid))
            alive.append(_alive(seen))
            yield grid

    def spy(*args):
        stream = stream_grids(*args)
        stream.grids = watched(stream.grids)
        return stream

    monkeypatch.setattr(pipeline, "stream_grids", spy)
    result = pipeline.extract_file(long_pdf, as_rows=True)
    assert result.n_tables == 5 * COPIES and len(alive) == 5 * COPIES
    # the grid being read, the one before it, and a header block lent to the next table
    assert max(alive) <= 3


def test_a_long_documents_records_are_made_arrow_as_they_are_read(long_pdf, monkeypatch):
    """Tables wait as records until ROWS_AT_ONCE rows of them do, then are let go: never all
    of a file's tables are held at once."""
    seen: list[weakref.ref] = []
    alive: list[int] = []
    add = FileRows.add

    def watched(self, table):
        add(self, table)
        seen.append(weakref.ref(table))
        alive.append(_alive(seen))

    monkeypatch.setattr(rows, "ROWS_AT_ONCE", 40)  # a table of the sample gives more
    monkeypatch.setattr(FileRows, "add", watched)
    result = pipeline.extract_file(long_pdf, as_rows=True)
    assert result.n_tables == 5 * COPIES and result.tables == []
    assert max(alive) == 1


def test_the_rows_made_as_tables_are_read_are_the_records_rows(long_pdf):
    streamed = pipeline.extract_file(long_pdf, as_rows=True)
    held = pipeline.extract_file(long_pdf)
    assert streamed.rows is not None and len(held.tables) == 5 * COPIES
    for name, cls in rows.CONTENT_CLASSES.items():
        expected = rows.records_table(rows.content_records(held.tables, name), cls)
        assert streamed.rows.table(name).equals(expected), name
