"""The seed's workbooks saved in the legacy Excel 97-2003 format (.xls), as archives hold them.

Run from the repository root (``make samples`` does the same)::

    .venv/bin/python samples/make_xls_samples.py

LibreOffice Calc (``soffice --convert-to xls``, the "MS Excel 97" filter) saves

* ``samples/xls/huoshan-2023.xls`` and ``samples/xls/huoshan-2023-sheets.xls`` from the two
  ``samples/xlsx`` workbooks: the same cells, merged ranges and number formats in BIFF8;
* ``tests/data/xls/hidden.xls``: a small form with a hidden row, hidden columns and a hidden
  sheet, built with openpyxl first (the same workbook the XLSX hidden-text test builds).

LibreOffice writes the time of saving into the file, so reruns differ in a few bytes; the tests
read the cells, which do not.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "xls"
CASES = ROOT / "tests" / "data" / "xls"


def hidden_workbook(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    for row in (["三级", "指标值", "备注"], ["a", "1", ""], ["b", "2", "x"], ["c", "3", ""]):
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions.group("C", "D", hidden=True)
    kept = workbook.create_sheet("old copy")
    kept.sheet_state = "hidden"
    kept.append(["三级", "指标值"])
    kept.append(["a", "1"])
    workbook.save(path)


def to_xls(sources: list[Path], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:  # a throw-away profile: no running soffice
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "xls", "--outdir", str(out), *map(str, sources)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip


def main() -> None:
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-calc")
    to_xls([HERE / "xlsx" / "huoshan-2023.xlsx", HERE / "xlsx" / "huoshan-2023-sheets.xlsx"], OUT)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "hidden.xlsx"
        hidden_workbook(source)
        to_xls([source], CASES)
    for path in sorted([*OUT.glob("*.xls"), *CASES.glob("*.xls")]):
        print(path.relative_to(ROOT), path.stat().st_size)


if __name__ == "__main__":
    main()
