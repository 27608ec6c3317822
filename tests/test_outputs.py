"""The outputs as other tools take them: file modes, the year partition read by every engine,
CSV with its schema, the library from a notebook."""

import os
import stat
from pathlib import Path

import pytest
from conftest import SAMPLES

from perftab.cli import main

MARKDOWN = SAMPLES / "markdown" / "huoshan-2023.md"


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _modes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
        for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_outputs_get_the_mode_of_any_new_file(fmt, tmp_path, umask_022):
    out = tmp_path / "out"
    assert main(["extract", str(MARKDOWN), "-o", str(out), "--format", fmt, "-q", "-j", "1"]) == 0
    assert main(["diff", str(out), str(out), "-o", str(tmp_path / "diff"), "--format", fmt]) == 0
    modes = {**_modes(out), **{f"diff/{k}": v for k, v in _modes(tmp_path / "diff").items()}}
    assert f"diff/diff.{fmt}" in modes and "diff/diff.html" in modes
    assert {name: oct(mode) for name, mode in modes.items()} == {
        name: "0o644" for name in modes
    }
