"""The HTML report of `perftab diff` (perftab/diff_report.py). The planted next year of
tests/diff_fixtures.py is diffed and its OUT/diff.html opened in headless Chromium: every planted
change must show with its direction, the direction filter must work, and a screenshot is saved to
output/diff-report.png for a human to look at.

Chromium is Debian's `chromium` package, driven from its command line (--dump-dom gives the DOM
after the page's script ran); no browser-automation package is needed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT
from diff_fixtures import ADDED_PROJECT, CHANGES, DROPPED_PROJECT, RENAMED, make_years

from perftab import diff_report
from perftab.cli import main
from perftab.diff import DiffRow
from perftab.diff_report import render_report, source_href, write_report

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "output" / "diff-report.png"
HEADLESS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars",
)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("report")
    old, new = make_years(base)
    assert main(["diff", str(old), str(new), "-o", str(base / "out")]) == 0
    return base / "out" / "diff.html"


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """Runs headless Chromium with the given arguments and returns what it printed."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing; .ci/run installs it (apt chromium)")
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium to open the report")
    profile = tmp_path_factory.mktemp("chromium-profile")

    def run(*args: str) -> str:
        command = [str(CHROMIUM), *HEADLESS, f"--user-data-dir={profile}", *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    return run


def dom(chromium, url: str):
    return lxml.html.fromstring(chromium("--dump-dom", url))


@pytest.fixture(scope="module")
def page(report, chromium):
    return dom(chromium, report.as_uri())


def sections(tree) -> dict[str, lxml.html.HtmlElement]:
    return {s.findtext(".//h2/span[@class='name']"): s
            for s in tree.xpath("//section[@class='project']")}


def indicator_row(section, level3: str):
    rows = section.xpath(".//tr[@data-kind][.//b[@class='level3'] = $name]", name=level3)
    assert len(rows) == 1, level3
    return rows[0]


def cell_text(row, css_class: str) -> str:
    return row.xpath(f"string(.//td[contains(concat(' ', @class, ' '), ' {css_class} ')])")


# --------------------------------------------------------------------------- in the browser


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: f"{c[0]}/{c[1]}")
def test_every_planted_change_shows_with_its_direction(page, change):
    project, level3, level3_old, score, kind, direction, old_raw, new_raw, _, _ = change
    row = indicator_row(sections(page)[project], level3)
    shown = direction or kind
    assert row.get("data-kind") == shown
    assert row.get("hidden") is None
    badge = row.xpath(".//td[@class='kind']/span[contains(@class, 'badge')]")[0]
    assert f"k-{shown}" in badge.get("class")
    assert shown in badge.text_content().split()  # a word beside the colour
    assert cell_text(row, "old").startswith(old_raw or "—")
    assert cell_text(row, "new").startswith(new_raw or "—")
    if level3_old and level3_old != level3:
        assert f"2023: {level3_old} (name score {score:g})" in cell_text(row, "level")


def test_planted_projects_show_added_removed_and_renamed(page):
    found = sections(page)
    assert list(found) == [
        "2024年度业务费", "大厅工作人员考勤考核奖励", "新办企业服务费", "安康码建设",
        ADDED_PROJECT[0], DROPPED_PROJECT,
    ]
    kinds = {name: s.xpath("string(.//h2/span[contains(@class, 'badge')]/@data-label)")
             for name, s in found.items()}
    assert kinds[ADDED_PROJECT[0]] == "added"
    assert kinds[DROPPED_PROJECT] == "removed"
    renamed = found[RENAMED["大厅工作人员考勤考核奖"]]
    meta = renamed.xpath("string(.//p[@class='meta'])")
    assert "2023: 大厅工作人员考勤考核奖 (name score 95.7)" in meta
    assert "年度资金总额 2023 74.4 → 2024 80 万元, +5.6 (+7.5%)" in meta
    removed_rows = found[DROPPED_PROJECT].xpath(".//tr[@data-kind]")
    assert {r.get("data-kind") for r in removed_rows} == {"removed"} and len(removed_rows) == 12


def test_summary_at_the_top_counts_what_the_cli_prints(page):
    summary = page.xpath("string(//section[@class='summary'])")
    assert "4 matched (1 by a similar name), 1 added, 1 removed" in summary
    assert "66 unchanged, 7 changed, 3 added, 13 removed" in summary
    for words in ("1 tightened", "1 loosened", "3 changed", "2 incomparable"):
        assert words in " ".join(summary.split())
    similar = page.xpath("string(//section[@class='similar'])")
    assert "2023 大厅工作人员考勤考核奖 → 2024 大厅工作人员考勤考核奖励 (score 95.7)" in similar
    assert page.findtext(".//span[@id='shown']") == "89"


def visible(tree) -> tuple[list[str], list[str]]:
    """(kinds of the rows shown, names of the projects shown) after the page's script ran."""
    kinds = [r.get("data-kind") for r in tree.xpath("//tr[@data-kind][not(@hidden)]")]
    return kinds, [n for n, s in sections(tree).items() if s.get("hidden") is None]


def test_direction_in_the_address_shows_only_those_rows(report, chromium):
    tree = dom(chromium, report.as_uri() + "?direction=tightened")
    kinds, projects = visible(tree)
    assert kinds == ["tightened"]
    assert projects == ["2024年度业务费"]
    assert tree.findtext(".//span[@id='shown']") == "1"

    kinds, projects = visible(dom(chromium, report.as_uri() + "?direction=added,removed"))
    assert sorted(set(kinds)) == ["added", "removed"] and len(kinds) == 3 + 13
    assert projects == ["安康码建设", ADDED_PROJECT[0], DROPPED_PROJECT]


def test_no_filter_hides_nothing(page):
    assert page.xpath("//*[@hidden]") == []


def test_screenshot_for_a_human(report, chromium, tmp_path):
    # every change kind but unchanged, so each colour is in the picture
    changes = ",".join(k for k in diff_report.KINDS if k != "unchanged")
    png = tmp_path / "diff-report.png"
    chromium(f"--screenshot={png}", "--window-size=1400,2000",
             f"{report.as_uri()}?direction={changes}")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000  # a blank page is a few kB
    SCREENSHOT.parent.mkdir(exist_ok=True)
    shutil.copyfile(png, SCREENSHOT)


# --------------------------------------------------------------------------- the file


def test_report_is_self_contained(report):
    text = report.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(text)
    assert tree.xpath("//*[@src] | //link") == []
    links = tree.xpath("//a/@href")
    assert links and all(h.startswith(("#", "file:///")) for h in links)
    assert "http://" not in text and "https://" not in text


def _project(name: str, **fields) -> DiffRow:
    return DiffRow("project", "project_matched", None, "部门", name, name, 100.0,
                   old_year=2023, new_year=2024, **fields)


def test_text_is_escaped_and_a_pdf_target_links_to_its_page():
    name = "<script>alert(1)</script> & 费"
    rows = [
        _project(name, old_source_path="/data/a&b.pdf", old_page=2, old_locator="p2 (title)"),
        DiffRow("indicator", "changed", "tightened", "部门", name, name, 100.0,
                level1_std="产出指标", level2_std="数量指标", level3="<i>x</i>",
                old_target_raw="≥1<b>", new_target_raw="≥2<b>", old_source_path="/data/a&b.pdf",
                old_page=3, old_locator="p3 (1,2,3,4)", new_source_path="/data/c.docx",
                new_locator="docx table 1 row 2 cell 5"),
    ]
    html = render_report(rows, "<old>", "new")
    assert "<script>alert" not in html and "<i>x</i>" not in html and "≥1<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 费" in html
    tree = lxml.html.fromstring(html)
    row = tree.xpath("//tr[@data-kind]")[0]
    old_link, new_link = row.xpath(".//td[contains(@class, 'target')]/a")
    assert (old_link.get("href"), old_link.text) == ("file:///data/a%26b.pdf#page=3", "≥1<b>")
    assert (new_link.get("href"), new_link.text) == ("file:///data/c.docx", "≥2<b>")
    assert old_link.get("title") == "/data/a&b.pdf, page 3"
    assert cell_text(row, "old") == "≥1<b>p3 (1,2,3,4)"  # the locator below the target
    assert tree.xpath("string(//p[@class='sources'])").startswith("OLD (2023): <old>")


@pytest.mark.parametrize(
    ("path", "page", "href"),
    [
        ("/x/a.pdf", 3, "file:///x/a.pdf#page=3"),
        ("/x/a.PDF", 3, "file:///x/a.PDF#page=3"),
        ("/x/a.pdf", None, "file:///x/a.pdf"),
        ("/x/a.docx", None, "file:///x/a.docx"),
        ("/x/业务 费.pdf", 1, "file:///x/%E4%B8%9A%E5%8A%A1%20%E8%B4%B9.pdf#page=1"),
        ("samples/a.pdf", 2, (Path.cwd() / "samples/a.pdf").as_uri() + "#page=2"),
        (None, 1, None),
    ],
)
def test_source_href(path, page, href):
    assert source_href(path, page) == href


def test_report_is_written_atomically(tmp_path, monkeypatch):
    target = tmp_path / "diff.html"
    write_report([_project("业务费")], target, Path("a"), Path("b"))
    before = target.read_text(encoding="utf-8")
    assert before.startswith("<!DOCTYPE html>") and "业务费" in before

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_report([_project("安康码建设")], target, Path("a"), Path("b"))
    assert target.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["diff.html"]  # no temporary file left
