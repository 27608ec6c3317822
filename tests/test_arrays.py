"""Record columns laid out as Arrow arrays by hand (perftab/arrays.py) are the arrays pyarrow's
own conversion makes, and a run that reads a PDF never imports pandas."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pytest

from perftab.arrays import to_array

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "pdf" / "huoshan-2023.pdf"

CASES = [
    ("text", pa.string(), ["产出指标", None, "", "数量 ≥ 10 个", "COVID 19"]),
    ("text, none missing", pa.string(), ["a", "乙"]),
    ("text, all missing", pa.string(), [None, None, None]),
    ("whole numbers", pa.int64(), [0, None, -3, 2**62]),
    ("numbers", pa.float64(), [86.0, None, 0.1, -1e300, float("inf")]),
    ("yes/no", pa.bool_(), [True, None, False, True, True, False, False, True, True]),
    ("lists of text", pa.list_(pa.string()), [["补全"], None, [], ["一", "二", None]]),
    ("empty column", pa.string(), []),
    # not of the column's own Python type: left to pyarrow, which converts them
    ("whole numbers as numbers", pa.float64(), [1, 2.5, None]),
    ("tuples as lists", pa.list_(pa.string()), [("a", "b"), None]),
]


@pytest.mark.parametrize(("arrow_type", "values"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_laid_out_as_pyarrow_converts(arrow_type, values):
    built = to_array(values, arrow_type)
    built.validate(full=True)
    assert built.equals(pa.array(values, arrow_type))
    assert built.to_pylist() == pa.array(values, arrow_type).to_pylist()


@pytest.mark.parametrize(("arrow_type", "values"), [
    (pa.int64(), [2**63]),  # past int64
    (pa.string(), ["\ud800"]),  # a lone surrogate: not UTF-8
    (pa.int64(), ["12"]),  # text in a number column
])
def test_values_pyarrow_refuses_are_refused_as_before(arrow_type, values):
    with pytest.raises(Exception) as theirs:
        pa.array(values, arrow_type)
    with pytest.raises(type(theirs.value), match=f"^{re.escape(str(theirs.value))}$"):
        to_array(values, arrow_type)


def test_reading_a_pdf_does_not_import_pandas(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from perftab.batch import run_extract
        from perftab.options import ExtractOptions
        summary = run_extract(ExtractOptions([Path({str(SAMPLE)!r})], Path({str(tmp_path)!r}),
                                             jobs=1, quiet=True))
        assert summary.n_indicators > 0
        print("pandas" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
