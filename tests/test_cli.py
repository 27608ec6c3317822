"""The CLI, run in-process through main(argv)."""

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, SAMPLES

from perftab.cli import main


def test_parse_target_prints_one_json_object_per_argument(capsys):
    assert main(["parse-target", "≥3000件", "14个工作日内", "效果显著"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["raw"], r["op"], r["value"], r["unit"], r["qualitative"]) for r in lines] == [
        ("≥3000件", ">=", 3000.0, "件", False),
        ("14个工作日内", "<=", 14.0, "个工作日", False),
        ("效果显著", None, None, None, True),
    ]


def test_parse_target_reads_stdin_one_target_a_line(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("≤61万元\n\n100%\n"))
    assert main(["parse-target"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    parsed = [(r["op"], r["value"], r["unit"]) for r in lines]
    assert parsed == [("<=", 610000.0, "元"), ("=", 100.0, "%")]


@pytest.mark.parametrize("command", ["extract", "parse-target"])
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert f"perftab {command}" in capsys.readouterr().out.split("example:")[1]


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope.pdf"), "-o", str(tmp_path)]) == 2
    missing = tmp_path / "nope.pdf"
    assert capsys.readouterr().err == f"perftab: inputs: no such file or folder: {missing}\n"


def _documented_columns(section: str) -> list[str]:
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    body = doc.split(f"## {section} ")[1].split("\n## ")[0]
    table = body.split("\n| ", 1)[1].split("\n\n")[0]  # the first table: a section may hold more
    rows = [line.split("|")[1].strip() for line in ("| " + table).splitlines()]
    return rows[2:]  # below the heading row and the rule


def test_outputs_have_exactly_the_documented_columns(tmp_path):
    docx = SAMPLES / "docx" / "huoshan-2023.docx"
    assert main(["extract", str(docx), "-o", str(tmp_path), "--format", "csv"]) == 0
    for name in ("tables", "indicators", "fields", "files"):
        frame = pd.read_csv(tmp_path / f"{name}.csv")
        assert list(frame.columns) == _documented_columns(name), name
    assert len(pd.read_csv(tmp_path / "indicators.csv")) == 86
    assert not list(tmp_path.glob(".*.part"))


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "perftab", "parse-target", "≥2亿条"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout
    assert json.loads(out)["value"] == 200000000.0
