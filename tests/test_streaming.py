"""A PDF's pages are read as its parts are asked for, stitching hands each table on as soon
as the next part starts another, normalizing reads each grid as it comes and the records are
made Arrow as they are read: no stage holds every page, grid or record of a long document."""

from __future__ import annotations

import errno
import gc
import weakref
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pypdf import PdfReader, PdfWriter

from perftab import pipeline, rows
from perftab.cli import main
from perftab.extract import pdf_reader, stream_grids
from perftab.extract.errors import ErrorKind
from perftab.extract.pdf_reader import PdfParts, read_pdf_parts
from perftab.extract.stitch import group_continuations
from perftab.records import error_result
from perftab.rows import FileRows
from perftab.writers import ParquetStore, read_output, spool_paths

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
    result = pipeline.extract_file(long_pdf, rows=FileRows())
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
    result = pipeline.extract_file(long_pdf, rows=FileRows())
    assert result.n_tables == 5 * COPIES and result.tables == []
    assert max(alive) == 1


def test_the_rows_made_as_tables_are_read_are_the_records_rows(long_pdf):
    streamed = pipeline.extract_file(long_pdf, rows=FileRows())
    held = pipeline.extract_file(long_pdf)
    assert streamed.rows is not None and len(held.tables) == 5 * COPIES
    for name, cls in rows.CONTENT_CLASSES.items():
        expected = rows.records_table(rows.content_records(held.tables, name), cls)
        assert streamed.rows.table(name).equals(expected), name


# --- a worker writes a file's Parquet parts as it reads it -------------------------------------


def test_a_worker_writes_the_parts_as_it_reads_and_the_store_puts_them_in_place(
    long_pdf, tmp_path, monkeypatch
):
    """Each batch of rows is a row group written while the file is still read; the parts the
    store puts in place hold the rows the records give."""
    out = tmp_path / "out"
    added, written_at = [], []
    add, write = FileRows.add, pq.ParquetWriter.write_table

    def counted(self, table):
        add(self, table)
        added.append(table.table_id)

    def watched(self, table, *args, **kwargs):
        written_at.append(len(added))
        return write(self, table, *args, **kwargs)

    monkeypatch.setattr(rows, "ROWS_AT_ONCE", 40)
    monkeypatch.setattr(FileRows, "add", counted)
    monkeypatch.setattr(pq.ParquetWriter, "write_table", watched)
    assert main(["extract", str(long_pdf), "-o", str(out), "-q", "--in-process"]) == 0
    monkeypatch.undo()
    assert len(added) == 5 * COPIES
    assert min(written_at) <= 2  # written from the first tables on, not at the end
    held = pipeline.extract_file(long_pdf)
    for name, cls in rows.CONTENT_CLASSES.items():
        expected = rows.records_table(rows.content_records(held.tables, name), cls)
        assert read_output(out, name).equals(expected.select(read_output(out, name).column_names))
    assert not list(out.rglob(".*.part"))


def test_a_full_disk_while_a_worker_writes_stops_the_run_naming_the_folder(
    long_pdf, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "out"

    def no_space(self, table, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", no_space)
    assert main(["extract", str(long_pdf), "-o", str(out), "-q", "--in-process"]) == 4
    assert capsys.readouterr().err == (
        f"perftab: {out}: no space left on the device; free some space and run the same "
        "command again: the files done are kept\n"
    )
    assert not list(out.rglob(".*.part"))
    assert len(read_output(out, "files")) == 0


def test_the_parts_a_lost_worker_was_writing_are_removed_with_its_files_row(tmp_path):
    sha = "1f" * 32
    with ParquetStore(tmp_path) as store:
        spooled = spool_paths(tmp_path, sha)
        for path in spooled.values():
            path.write_bytes(b"half a part")
        store.add(error_result("a.pdf", ErrorKind.WORKER_DIED, "a.pdf: the worker died", sha))
    assert not any(path.exists() for path in spooled.values())
    assert read_output(tmp_path, "files")["status"].to_pylist() == ["error"]
