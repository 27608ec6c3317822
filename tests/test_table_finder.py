"""The faster steps of the ruled-table reader give what they replace: the table finder's cells
are pdfplumber's own on every page of the born-digital samples, and stitching's nearest edge is
the first nearest one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perftab.extract.pdf_reader import TABLE_SETTINGS, open_text_layer
from perftab.extract.ruling import find_tables
from perftab.extract.stitch import _nearest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIRS = ("pdf", "layouts", "tree", "xlsx-print")
SAMPLES = sorted(p for d in SAMPLE_DIRS for p in (ROOT / "samples" / d).glob("*.pdf"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_table_finder_finds_pdfplumbers_cells(path):
    with open_text_layer(path) as pdf:
        for page in pdf.pages():
            ours = [(t.bbox, t.cells) for t in find_tables(page, TABLE_SETTINGS)]
            assert ours == [(t.bbox, t.cells) for t in page.find_tables(TABLE_SETTINGS)]
            assert ours or not page.edges


@given(
    st.lists(st.integers(0, 40).map(lambda n: n * 1.5), min_size=1, max_size=8).map(sorted),
    st.integers(-10, 70).map(lambda n: n * 1.0),
)
def test_the_nearest_edge_is_the_first_of_the_nearest(edges, value):
    assert _nearest(edges, value) == min(range(len(edges)), key=lambda i: abs(edges[i] - value))
