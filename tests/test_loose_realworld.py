"""Every real table of the development set whose levels are all printed, written out as the text
other tools print (HTML whose merges were lost, Markdown with the merged levels blank on later
rows, one tab-separated dump of all of them without headings), comes out with the truth's
三级 and targets, row for row and table for table.

Only the 三级 and the target are compared: they are what realignment, splitting and joining
decide; the 一级/二级 repairs have their own tests.
"""

import html
import json
import unicodedata

import pytest
from conftest import DATA

from perftab.pipeline import extract_file

TRUTH = sorted((DATA / "realworld" / "truth").glob("*.json"))


def _tables() -> list[tuple[str, list[dict]]]:
    tables = []
    for path in TRUTH:
        indicators = json.loads(path.read_text(encoding="utf-8"))["indicators"]
        if all(i["level1"] and i["level2"] and i["level3"] for i in indicators):
            tables.append((path.stem, indicators))
    return tables


TABLES = _tables()


def norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def expected(indicators: list[dict]) -> list[tuple[str, str]]:
    return [(norm(i["level3"]), norm(i["target_raw"])) for i in indicators]


def got(table) -> list[tuple[str, str]]:
    return [(norm(i.level3), norm(i.target_raw)) for i in table.indicators]


def _cells(indicators: list[dict]) -> list[list[str]]:
    """Rows of 一级 | 二级 | 三级 | 指标值, each level only on the first row of its block."""
    rows, above = [], (None, None)
    for i in indicators:
        level1 = i["level1"] if i["level1"] != above[0] else ""
        level2 = i["level2"] if (i["level1"], i["level2"]) != above else ""
        rows.append([level1, level2, i["level3"], i["target_raw"] or ""])
        above = (i["level1"], i["level2"])
    return rows


HEADER = ["一级指标", "二级指标", "三级指标", "指标值"]


def as_html_with_merges_lost(indicators: list[dict]) -> str:
    """A merged level's <td> on its block's first row only, with its rowspan dropped."""
    rows = [[c for c in row[:2] if c] + row[2:] for row in _cells(indicators)]
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in [HEADER, *rows]
    )
    return f"<p>项目支出绩效目标表</p><table>{body}</table>"


def as_markdown(indicators: list[dict]) -> str:
    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join(["# 项目支出绩效目标表", "", line(HEADER), "|---|---|---|---|",
                      *map(line, _cells(indicators))]) + "\n"


def as_text_dump(tables: list[tuple[str, list[dict]]]) -> str:
    forms = []
    for name, indicators in tables:
        lines = ["项目支出绩效目标表", "(2023年度)", f"项目名称\t\t{name}\t\t",
                 "\t" + "\t".join(HEADER)]
        lines += ["\t" + "\t".join(row) for row in _cells(indicators)]
        forms.append("\n".join(lines))
    return "\n".join(forms) + "\n"


@pytest.mark.parametrize(("name", "indicators"), TABLES, ids=[name for name, _ in TABLES])
@pytest.mark.parametrize("kind", ["html", "md"])
def test_real_table_as_text_keeps_its_indicators(tmp_path, name, indicators, kind):
    path = tmp_path / f"{name}.{kind}"
    write = as_html_with_merges_lost if kind == "html" else as_markdown
    path.write_text(write(indicators), encoding="utf-8")
    result = extract_file(path)
    assert [got(t) for t in result.tables] == [expected(indicators)]


def test_real_tables_in_one_text_dump_are_read_table_by_table(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text(as_text_dump(TABLES), encoding="utf-8")
    result = extract_file(path)
    assert [(t.project_name, got(t)) for t in result.tables] == [
        (name, expected(indicators)) for name, indicators in TABLES
    ]


def test_there_are_enough_real_tables_to_mean_something():
    assert len(TABLES) >= 20
