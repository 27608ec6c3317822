"""The HTML report of `perftab diff` (perftab/diff_report.py). The planted next year of
tests/diff_fixtures.py is diffed and its OUT/diff.html opened in headless Chromium: every planted
change must show with its direction, changes first, search, sort, export and the address must
work, and a screenshot is saved to output/diff-report.png for a human to look at.

Chromium is Debian's `chromium` package, driven from its command line (--dump-dom gives the DOM
after the page's script ran); no browser-automation package is needed. A click or a search typed
is a copy of the report with a script at its end doing it (`acted`)."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from conftest import ROOT
from diff_fixtures import ADDED_PROJECT, CHANGES, DOCX, DROPPED_PROJECT, make_years, retarget

from perftab import diff_report
from perftab.cli import main
from perftab.diff import DiffRow, comparable, indicator_row
from perftab.diff_report import delta_text, render_report, source_href, write_report
from perftab.normalize.records import IndicatorRecord

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


def acted(chromium, report: Path, action: str, query: str = ""):
    """The DOM after `action` (JavaScript) ran on the loaded page: clicks and typing done by a
    script added at the end of a copy of the report, beside it (its links stay right)."""
    copy = report.with_name("acted.html")
    text = report.read_text(encoding="utf-8")
    copy.write_text(text.replace("</body>", f"<script>{action}</script></body>"),
                    encoding="utf-8")
    return dom(chromium, copy.as_uri() + query)


@pytest.fixture(scope="module")
def page(report, chromium):
    return dom(chromium, report.as_uri())


def rows_of(tree, table: str = "indicators", shown: bool = True) -> list:
    hidden = "[not(@hidden)]" if shown else ""
    return tree.xpath(f"//table[@id='{table}']/tbody/tr{hidden}")


def texts(row) -> list[str]:
    return [" ".join(td.text_content().split()) for td in row.xpath("td")]


def find_row(tree, project: str, level3: str):
    found = [r for r in rows_of(tree, shown=False)
             if texts(r)[1].startswith(project) and texts(r)[4].startswith(level3)]
    assert len(found) == 1, (project, level3)
    return found[0]


COLUMNS_ZH = ["主管部门", "项目名称", "一级指标", "二级指标", "三级指标", "2023年指标值",
              "2024年指标值", "变化", "变化量 Δ", "来源（页码）"]
WORDS_ZH = {"tightened": "收紧", "loosened": "放宽", "changed": "变更", "incomparable": "不可比",
            "added": "新增", "removed": "删除", "unchanged": "未变"}


# --------------------------------------------------------------------------- in the browser


def test_headings_are_chinese(page):
    assert page.findtext(".//h1") == "绩效目标对比 2023 → 2024"
    assert page.get("lang") == "zh-CN"
    heads = [th.text_content() for th in page.xpath("//table[@id='indicators']//th")]
    assert heads == COLUMNS_ZH
    assert [h.text_content() for h in page.xpath("//section[@class='table']/h2")] == [
        "项目一览", "指标对比"]


def test_english_on_lang_en(report, chromium, tmp_path):
    old, new = report.parent.parent / "2023", report.parent.parent / "2024"
    assert main(["diff", str(old), str(new), "-o", str(tmp_path), "--lang", "en"]) == 0
    tree = dom(chromium, (tmp_path / "diff.html").as_uri())
    assert tree.findtext(".//h1") == "Performance targets 2023 → 2024"
    assert [th.text_content() for th in tree.xpath("//table[@id='indicators']//th")] == [
        "Department", "Project", "Level 1", "Level 2", "Level 3", "2023 target", "2024 target",
        "Change", "Δ", "Source (page)"]
    row = find_row(tree, "2024年度业务费", "云中心各类视频共享路数")
    assert texts(row)[7] == "▲ tightened"


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: f"{c[0]}/{c[1]}")
def test_every_planted_change_shows_with_its_direction(page, change):
    project, level3, level3_old, _, kind, direction, old_raw, new_raw, _, _ = change
    row = find_row(page, project, level3)
    shown = direction or kind
    assert row.get("data-kind") == shown
    cells = texts(row)
    assert cells[7] == f"{diff_report.KINDS[shown][0]} {WORDS_ZH[shown]}"  # a word beside colour
    assert cells[5] == (old_raw or "—") and cells[6] == (new_raw or "—")
    if level3_old and level3_old != level3:
        assert cells[4] == f"{level3}2023年名称：{level3_old}"
    # changes first: every change is shown without asking
    assert (row.get("hidden") is None) == (shown != "unchanged")


def test_changes_first_and_unchanged_rows_hidden(page):
    kinds = [r.get("data-kind") for r in rows_of(page, shown=False)]
    first_unchanged = kinds.index("unchanged")
    assert "unchanged" not in kinds[:first_unchanged]
    assert set(kinds[first_unchanged:]) == {"unchanged"}
    assert len(kinds) == 89 and first_unchanged == 7 + 3 + 13
    assert [r.get("data-kind") for r in rows_of(page)] == kinds[:first_unchanged]
    assert page.findtext(".//span[@id='shown']") == "23"
    # projects: the four with a change (and the added and removed) are shown, none unchanged
    assert [texts(r)[1] for r in rows_of(page, "projects")] == [
        "2024年度业务费2023年名称：业务费",
        "大厅工作人员考勤考核奖励2023年名称：大厅工作人员考勤考核奖",
        "新办企业服务费", "安康码建设", ADDED_PROJECT[0], DROPPED_PROJECT]


def test_the_toggle_shows_unchanged_rows(report, chromium):
    tree = acted(chromium, report, "document.getElementById('show-unchanged').click();")
    assert len(rows_of(tree)) == 89
    assert tree.findtext(".//span[@id='shown']") == "89"
    again = acted(chromium, report, "var t = document.getElementById('show-unchanged');"
                                    "t.click(); t.click();")
    assert len(rows_of(again)) == 23


def test_search_keeps_the_rows_that_contain_every_word(report, chromium):
    typed = ("var s = document.getElementById('search'); s.value = '安康码 ≥2';"
             "s.dispatchEvent(new Event('input'));")
    tree = acted(chromium, report, typed)
    assert [texts(r)[4] for r in rows_of(tree)] == ["搭建应用场景数"]
    by_address = dom(chromium, report.as_uri() + "?q=%E5%AE%89%E5%BA%B7%E7%A0%81")  # 安康码
    shown = rows_of(by_address)
    assert {texts(r)[1] for r in shown} == {"安康码建设"} and len(shown) == 4
    assert [texts(r)[1] for r in rows_of(by_address, "projects")] == ["安康码建设"]


def _deltas(tree) -> list[str]:
    return [texts(r)[8] for r in rows_of(tree)]


def test_a_click_on_a_heading_sorts_by_that_column(report, chromium):
    click = "document.querySelectorAll('#indicators th button')[8].click();"
    tree = acted(chromium, report, click)
    numbers = [r for r in _deltas(tree) if r]
    # by the value, not the text (−5 < 0 < 500 < 90000); blanks last
    assert numbers == ["−5%", "0小时", "+500件 (+16.7%)", "+9万元 (+14.8%)"]
    assert _deltas(tree)[len(numbers):] == [""] * (23 - len(numbers))
    assert tree.xpath("//table[@id='indicators']//th[9]/@aria-sort") == ["ascending"]
    tree = acted(chromium, report, click * 2)
    assert [r for r in _deltas(tree) if r] == numbers[::-1]
    assert tree.xpath("//table[@id='indicators']//th[9]/@aria-sort") == ["descending"]


def test_sort_from_the_address(report, chromium):
    tree = dom(chromium, report.as_uri() + "?sort=9&order=desc")
    assert [r for r in _deltas(tree) if r] == [
        "+9万元 (+14.8%)", "+500件 (+16.7%)", "0小时", "−5%"]


def test_export_holds_the_rows_shown(report, chromium):
    tree = dom(chromium, report.as_uri() + "?direction=tightened,loosened")
    href = tree.xpath("string(//a[@id='export']/@href)")
    prefix = "data:text/csv;charset=utf-8,"
    assert href.startswith(prefix)
    text = unquote(href[len(prefix):])
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text[1:])))
    assert table[0] == COLUMNS_ZH
    assert [row[4:9] for row in table[1:]] == [
        ["云中心各类视频共享路数", "≥3000件", "≥3500件", "▲ 收紧", "'+500件 (+16.7%)"],
        ["公章刻制及邮件费", "≤61万元", "≤70万元", "▼ 放宽", "'+9万元 (+14.8%)"],
    ]


def test_direction_in_the_address_shows_only_those_rows(report, chromium):
    tree = dom(chromium, report.as_uri() + "?direction=tightened")
    assert [r.get("data-kind") for r in rows_of(tree)] == ["tightened"]
    assert tree.findtext(".//span[@id='shown']") == "1"
    kinds = [r.get("data-kind") for r in rows_of(dom(chromium, report.as_uri()
                                                     + "?direction=added,removed"))]
    assert sorted(set(kinds)) == ["added", "removed"] and len(kinds) == 3 + 13


def test_summary_at_the_top_counts_what_the_cli_prints(page):
    summary = " ".join(page.xpath("string(//section[@class='summary'])").split())
    assert "4 个对应（1 个按相近名称），1 个新增，1 个删除" in summary
    assert "66 个未变，7 个变更，3 个新增，13 个删除" in summary
    for words in ("1 收紧", "1 放宽", "3 变更", "2 不可比"):
        assert words in summary
    similar = page.xpath("string(//section[@class='similar'])")
    assert ("2023 大厅工作人员考勤考核奖 → 2024 大厅工作人员考勤考核奖励 (名称相近, 相似度 95.7)"
            in similar)


def test_links_are_relative_to_the_report(report, page):
    links = page.xpath("//table[@id='indicators']//td[@class='source']/a")
    assert links
    for link in links:
        href = link.get("href")
        assert not href.startswith(("/", "file:")), href
        assert (report.parent / unquote(href)).resolve() == DOCX.resolve()
    assert links[0].text_content() == "2023: huoshan-2023.docx"


def test_the_report_still_links_when_moved_with_its_files(report, tmp_path):
    # the report and the source sent on together, in the same places relative to each other
    moved = tmp_path / "sent"
    relative = Path(os.path.relpath(DOCX.resolve(), report.parent.resolve()))
    (moved / "a" / "b").mkdir(parents=True)
    shutil.copy(report, moved / "a" / "b" / "diff.html")
    source = (moved / "a" / "b" / relative).resolve()
    source.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(DOCX, source)
    tree = lxml.html.fromstring((moved / "a" / "b" / "diff.html").read_text(encoding="utf-8"))
    hrefs = tree.xpath("//td[@class='source']/a/@href")
    assert {(moved / "a" / "b" / unquote(h)).resolve() for h in hrefs} == {source}


def test_warnings_show_in_the_report(report, chromium, tmp_path):
    old, new = report.parent.parent / "2023", report.parent.parent / "2024"
    assert main(["diff", str(new), str(old), "-o", str(tmp_path)]) == 0
    tree = dom(chromium, (tmp_path / "diff.html").as_uri())
    assert [li.text_content() for li in tree.xpath("//section[@class='warnings']//li")] == [
        "OLD (2024) is not earlier than NEW (2023): tightened and loosened are read from OLD to "
        "NEW; if the sides are swapped, swap them back (OLD is the earlier year)"]
    assert report.read_text(encoding="utf-8").count('class="warnings"') == 0


def test_print_leaves_out_the_controls(report, chromium, tmp_path):
    import pdfplumber

    pdf = tmp_path / "printed.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    with pdfplumber.open(pdf) as printed:
        text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in printed.pages))
        assert printed.pages[0].width > printed.pages[0].height  # landscape
    assert "绩效目标对比" in text and "指标对比" in text and "≥3500件" in text
    assert "搜索" not in text and "导出" not in text


def test_screenshot_for_a_human(report, chromium, tmp_path):
    png = tmp_path / "diff-report.png"
    chromium(f"--screenshot={png}", "--window-size=1400,2000", report.as_uri())
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000  # a blank page is a few kB
    SCREENSHOT.parent.mkdir(exist_ok=True)
    shutil.copyfile(png, SCREENSHOT)


# --------------------------------------------------------------------------- the file


def test_report_is_self_contained(report):
    text = report.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(text)
    assert tree.xpath("//*[@src] | //link") == []
    assert "http://" not in text and "https://" not in text


def _project(name: str, **fields) -> DiffRow:
    return DiffRow("project", "project_matched", None, "部门", name, name, 100.0,
                   match_by="name", old_year=2023, new_year=2024, **fields)


def test_text_is_escaped_and_a_pdf_target_links_to_its_page(tmp_path):
    name = "<script>alert(1)</script> & 费"
    rows = [
        _project(name, old_source_path="/data/a&b.pdf", old_page=2, old_locator="p2 (title)"),
        DiffRow("indicator", "changed", "tightened", "<b>部门</b>", name, name, 100.0,
                level1_std="产出指标", level2_std="数量指标", level3="<i>x</i>",
                old_target_raw="≥1<b>", new_target_raw="≥2<b>", old_source_path="/data/a&b.pdf",
                old_page=3, old_locator="p3 (10.5,20,30,40.5)", new_source_path="/data/c.docx",
                new_locator="docx table 1 row 2 cell 5"),
    ]
    html = render_report(rows, "<old>", "new", ["<warn>"], base=Path("/data/out"))
    assert "<script>alert" not in html and "<i>x</i>" not in html and "≥1<b>" not in html
    assert "<warn>" not in html and "<b>部门" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 费" in html
    tree = lxml.html.fromstring(html)
    row = rows_of(tree, shown=False)[0]
    assert texts(row)[:7] == ["<b>部门</b>", name, "产出指标", "数量指标", "<i>x</i>", "≥1<b>",
                              "≥2<b>"]
    old_link, new_link = row.xpath(".//td[@class='source']/a")
    assert (old_link.get("href"), old_link.text) == ("../a%26b.pdf#page=3", "2023: 第3页")
    assert old_link.get("title") == "/data/a&b.pdf, p3 (10.5,20,30,40.5)"  # the box on hover
    assert (new_link.get("href"), new_link.text) == ("../c.docx", "2024: c.docx")
    assert tree.xpath("string(//p[@class='sources'])").startswith("旧 (2023): <old>")


@pytest.mark.parametrize(
    ("path", "page", "base", "href"),
    [
        ("/x/a.pdf", 3, "/x/out", "../a.pdf#page=3"),
        ("/x/a.PDF", 3, "/x", "a.PDF#page=3"),
        ("/x/a.pdf", None, "/y", "../x/a.pdf"),
        ("/x/a.docx", None, "/x/out", "../a.docx"),
        ("/x/业务 费#1.pdf", 1, "/x", "%E4%B8%9A%E5%8A%A1%20%E8%B4%B9%231.pdf#page=1"),
        ("samples/a.pdf", 2, ".", "samples/a.pdf#page=2"),
        (None, 1, ".", None),
    ],
)
def test_source_href(path, page, base, href):
    assert source_href(path, page, Path(base)) == href


def _changed(old_raw: str, new_raw: str) -> DiffRow:
    empty = {f.name: None for f in dataclasses.fields(IndicatorRecord)
             if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    old, new = (IndicatorRecord(**{**empty, "table_id": "t", "seq": 1, **retarget({}, raw)})
                for raw in (old_raw, new_raw))
    assert comparable(old, new)
    return indicator_row(old, new, 100.0, {"department": None, "project_name": "p",
                                           "project_name_old": "p", "match_score": 100.0})


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        ("≥2亿条", "≥1.5亿条", "−0.5亿条 (−25%)"),
        ("≤61万元", "≤70万元", "+9万元 (+14.8%)"),
        ("≥50万人次", "≥1亿人次", "+0.995亿人次 (+19,900%)"),  # NEW's magnitude
        ("≥3000件", "≥3500件", "+500件 (+16.7%)"),
        ("100%", "95%", "−5%"),
        ("≤1.22天", "≤1天", "−0.22天 (−18%)"),
    ],
)
def test_delta_in_the_printed_magnitude(old, new, shown):
    assert delta_text(_changed(old, new)) == shown


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
