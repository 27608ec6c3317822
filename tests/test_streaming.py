"""A PDF's pages are read as its parts are asked for, and stitching hands each table on as soon
as the next part starts another: no stage holds every page of a long document."""

from __future__ import annotations

from pathlib import Path

from perftab.extract import pdf_reader
from perftab.extract.pdf_reader import PdfParts, read_pdf_parts
from perftab.extract.stitch import group_continuations

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
