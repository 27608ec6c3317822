"""The registry of input formats: a new format is one entry and one reader, and detection,
folder discovery, the hint and the README follow from it."""

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import ROOT

import perftab.extract.formats as formats
from perftab.extract import Cell, Grid, TextLine, detect_kind
from perftab.extract.formats import FORMATS, InputFormat, formats_table, readable_formats_hint
from perftab.pipeline import discover_inputs, extract_file

# A form written in an invented format: fields separated by "¦", a title line of one field.
TOY_FORM = """\
示例项目绩效目标表
一级指标¦二级指标¦三级指标¦指标值
产出指标¦数量指标¦培训人次¦≥120人次
产出指标¦质量指标¦合格率¦≥95%
效益指标¦社会效益指标¦群众知晓率¦≥80%
"""


def read_toy(path: Path) -> list[Grid]:
    """The toy format's reader: the first line is the title, each further line a row."""
    title, *lines = path.read_text(encoding="utf-8").splitlines()
    rows: list[list[Cell | None]] = [
        [Cell(text, r, c, locator=f"line {r + 2} field {c + 1}") for c, text in enumerate(fields)]
        for r, fields in enumerate(line.split("¦") for line in lines)
    ]
    return [Grid(str(path), "toy", rows, context=[TextLine(title, "line 1")], loose=True)]


TOY = InputFormat(
    "toy", (".toy",), "toy tables .toy",
    sniff=lambda head: head.suffix == ".toy" or head.data.startswith("示例".encode()),
    read=read_toy,
)  # fmt: skip


@pytest.fixture
def toy_registered(monkeypatch):
    monkeypatch.setattr(formats, "FORMATS", [*FORMATS, TOY])


def test_a_new_format_is_one_entry_and_one_reader(toy_registered, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "form.toy").write_text(TOY_FORM, encoding="utf-8")
    (folder / "notes.xyz").write_text("not a form\n", encoding="utf-8")
    found, _ = discover_inputs([folder])
    assert [p.name for p in found] == ["form.toy"]
    result = extract_file(found[0])
    assert (result.kind, result.status, result.error, result.n_tables) == ("toy", "ok", None, 1)
    rows = [(i.level1, i.level2, i.level3, i.target_raw) for i in result.tables[0].indicators]
    assert rows == [
        ("产出指标", "数量指标", "培训人次", "≥120人次"),
        ("产出指标", "质量指标", "合格率", "≥95%"),
        ("效益指标", "社会效益指标", "群众知晓率", "≥80%"),
    ]


def test_the_hint_names_a_registered_format(toy_registered, tmp_path):
    assert readable_formats_hint().endswith(", page images .png/.jpg/.tif and toy tables .toy")
    path = tmp_path / "form.xyz"
    path.write_text("plain words\n", encoding="utf-8")
    with pytest.raises(Exception, match=re.escape("and toy tables .toy")):
        detect_kind(path)


def test_the_readme_lists_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert formats_table() in readme


def test_formats_are_frozen_records():
    with pytest.raises(dataclasses.FrozenInstanceError):
        TOY.name = "other"  # type: ignore[misc]
