"""A cell's characters to text: `upright_text` must give what pdfplumber's
`extract_text(chars, x_tolerance=3, y_tolerance=3)` gives, on made-up characters of every
arrangement (lines a tolerance apart, overlapping, spaces, ligatures) and on every cell of the
born-digital samples."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from hypothesis import given, settings
from hypothesis import strategies as st

from perftab.extract.chars import upright_text
from perftab.extract.pdf_reader import open_text_layer

ROOT = Path(__file__).resolve().parent.parent


def pdfplumbers(chars: list[dict]) -> str:
    return pdfplumber.utils.extract_text(chars, x_tolerance=3, y_tolerance=3)


@st.composite
def a_char(draw) -> dict:
    # positions on a coarse grid, so ties and gaps at the tolerance are common
    x0 = draw(st.integers(0, 40)) * 1.5
    top = draw(st.integers(0, 12)) * 1.5
    width = draw(st.sampled_from([0.0, 2.0, 3.0, 5.0, 10.0]))
    text = draw(st.sampled_from(["项", "目", "a", "1", " ", "%", "ﬁ", "\u3000"]))
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 10,
            "doctop": top, "upright": True}


@settings(max_examples=400, deadline=None)
@given(st.lists(a_char(), max_size=30))
def test_upright_text_is_pdfplumbers(chars):
    if chars:
        assert upright_text(chars) == pdfplumbers(chars)


def test_upright_text_is_pdfplumbers_on_every_cell_of_a_sample():
    path = ROOT / "samples" / "xlsx-print" / "huoshan-2023-fixed-rows.pdf"
    cells = 0
    with open_text_layer(path) as pdf:
        for page in pdf.pages():
            for table in page.find_tables():
                for x0, top, x1, bottom in table.cells:
                    inside = [c for c in page.chars
                              if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                              and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
                    if inside:
                        cells += 1
                        assert upright_text(inside) == pdfplumbers(inside)
    assert cells > 200
