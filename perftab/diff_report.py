"""The diff as a page an auditor opens in a browser: OUT/diff.html, one self-contained file (CSS
and script inline, no request leaves the page, it works from a disk) built from the rows
perftab.diff writes.

    diff rows --project_groups--> a project row with its indicator rows
        --render_report--> HTML: warnings, summary, a table of projects, a table of indicators,
                           changes first, in Chinese (or English)
        --write_report--> OUT/diff.html, atomically

Every piece of text from the data goes through html.escape, and the page's script only ever
sets textContent. docs/diff.md describes the page.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import NamedTuple
from urllib.parse import quote

from .records import DiffRow
from .writers import replace_atomic

__all__ = [
    "KINDS", "MAGNITUDES", "delta_text", "indicator_kind", "render_report", "source_href",
    "write_report",
]

# What an indicator row shows as its change: its direction when changed, else its change. Each
# has a colour (the template's .k-<kind>) and a symbol and a word, so it is not told by colour.
KINDS = {
    "tightened": ("▲", "收紧", "tightened"),
    "loosened": ("▼", "放宽", "loosened"),
    "changed": ("≠", "变更", "changed"),
    "incomparable": ("?", "不可比", "incomparable"),
    "added": ("+", "新增", "added"),
    "removed": ("−", "删除", "removed"),
    "unchanged": ("=", "未变", "unchanged"),
}
_PROJECT_KINDS = {"project_matched": "matched", "project_added": "added",
                  "project_removed": "removed"}
_BADGES = {**KINDS, "matched": ("↔", "对应", "matched")}
_HOW = {  # how two projects or departments were paired
    "mapping": ("映射文件", "mapping file"),
    "code": ("编码相同", "same code"),
    "name": ("名称相同", "same name"),
    "similar": ("名称相近", "similar name"),
}

# The magnitudes normalize.targets folds into the unit after them (2亿条 -> 200000000 条): a
# change is shown back in the magnitude it was printed in (−0.5亿条, not −50,000,000 条).
MAGNITUDES = (("万亿", 10**12), ("千万", 10**7), ("百万", 10**6), ("亿", 10**8), ("万", 10**4))
MINUS = "−"  # U+2212, as a change is printed

# The page's words: key -> (Chinese, English)
WORDS = {
    "title": ("绩效目标对比 {old} → {new}", "Performance targets {old} → {new}"),
    "old": ("旧", "OLD"),
    "new": ("新", "NEW"),
    "warnings": ("请注意", "Please note"),
    "projects": ("项目", "Projects"),
    "indicators": ("指标", "Indicators"),
    "directions": ("有变化的指标", "Changed indicators"),
    "project_counts": ("{matched} 个对应（{similar} 个按相近名称），"
                       "{added} 个新增，{removed} 个删除",
                       "{matched} matched ({similar} by a similar name), {added} added, "
                       "{removed} removed"),
    "indicator_counts": ("{unchanged} 个未变，{changed} 个变更，{added} 个新增，{removed} 个删除",
                         "{unchanged} unchanged, {changed} changed, {added} added, "
                         "{removed} removed"),
    "check": ("以下项目按相近名称或映射文件对应，请核对：",
              "Paired by a similar name or the mapping file — please check:"),
    "search": ("搜索", "Search"),
    "search_hint": ("部门、项目、指标、目标值…", "department, project, indicator, target…"),
    "show": ("显示：", "Show:"),
    "show_unchanged": ("显示未变的行", "show unchanged rows"),
    "export": ("导出显示的行（CSV）", "Export the rows shown (CSV)"),
    "shown": ("显示 {shown} / {total} 个指标", "showing {shown} of {total} indicators"),
    "project_table": ("项目一览", "Projects"),
    "indicator_table": ("指标对比", "Indicators"),
    "department": ("主管部门", "Department"),
    "project": ("项目名称", "Project"),
    "pairing": ("对应", "Across the years"),
    "funds": ("{year}年度资金总额（万元）", "{year} funds (10k yuan)"),
    "funds_delta": ("资金变化", "Funds Δ"),
    "changes": ("有变化的指标", "Indicators changed"),
    "level1": ("一级指标", "Level 1"),
    "level2": ("二级指标", "Level 2"),
    "level3": ("三级指标", "Level 3"),
    "target": ("{year}年指标值", "{year} target"),
    "change": ("变化", "Change"),
    "delta": ("变化量 Δ", "Δ"),
    "source": ("来源（页码）", "Source (page)"),
    "page": ("第{page}页", "p. {page}"),
    "was": ("{year}年名称：{name}", "{year}: {name}"),
    "score": ("相似度 {score}", "score {score}"),
    "none": ("无", "none"),
    "sort": ("按此列排序", "sort by this column"),
    "footer": ("由 perftab diff 生成（说明见 docs/diff.md）。来源链接相对于本报告所在文件夹，"
               "报告与原文件一起转发时链接仍然有效。",
               "Made by perftab diff (docs/diff.md). Source links are relative to this "
               "report's folder, so they keep working when the report is sent on with its "
               "files."),
}


class ProjectGroup(NamedTuple):
    project: DiffRow
    indicators: list[DiffRow]


class Years(NamedTuple):
    old: str   # "2023", or "OLD" when no table has a year
    new: str


class Page(NamedTuple):
    """What the page is rendered with: its language, years and the report's folder."""

    lang: str
    years: Years
    base: Path   # links to the sources are relative to it

    def word(self, key: str, **values) -> str:
        zh, en = WORDS[key]
        return (zh if self.lang == "zh" else en).format(**values)


def write_report(
    rows: list[DiffRow], path: Path, old: Path | str, new: Path | str,
    warnings: Sequence[str] = (), lang: str = "zh",
) -> Path:
    """The report of `rows` (OLD and NEW named in its heading) to `path`, atomically."""
    text = render_report(rows, old, new, warnings, lang, base=path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path


def render_report(
    rows: list[DiffRow], old: Path | str, new: Path | str, warnings: Sequence[str] = (),
    lang: str = "zh", base: Path = Path(),
) -> str:
    groups = project_groups(rows)
    page = Page(lang, diff_years(groups), base)
    title = page.word("title", old=page.years.old, new=page.years.new)
    return _template().substitute(
        lang="zh-CN" if lang == "zh" else "en",
        title=escape(title),
        heading=escape(title),
        sources=render_sources(old, new, page),
        warnings=render_warnings(warnings, page),
        summary=render_summary(groups, page),
        similar=render_similar(groups, page),
        toolbar=render_toolbar(groups, page),
        projects=render_projects(groups, page),
        indicators=render_indicators(groups, page),
        footer=escape(page.word("footer")),
    )


@cache
def _template() -> Template:
    text = files("perftab").joinpath("templates", "diff_report.html").read_text(encoding="utf-8")
    return Template(text)


# --------------------------------------------------------------------------- the data


def project_groups(rows: list[DiffRow]) -> list[ProjectGroup]:
    """The diff's rows as written: each project row followed by its indicator rows."""
    groups: list[ProjectGroup] = []
    for row in rows:
        if row.row_kind == "project":
            groups.append(ProjectGroup(row, []))
        else:
            groups[-1].indicators.append(row)
    return groups


def diff_years(groups: list[ProjectGroup]) -> Years:
    old = next((g.project.old_year for g in groups if g.project.old_year), None)
    new = next((g.project.new_year for g in groups if g.project.new_year), None)
    return Years(str(old) if old else "OLD", str(new) if new else "NEW")


def indicator_kind(row: DiffRow) -> str:
    """tightened, loosened, changed, incomparable (a changed indicator's direction), added,
    removed or unchanged."""
    return row.direction or row.change


def project_kind(group: ProjectGroup) -> str:
    """added, removed, changed (a paired project with a changed indicator or funds) or
    unchanged."""
    project = group.project
    if project.change != "project_matched":
        return _PROJECT_KINDS[project.change]
    moved = project.delta or any(r.change != "unchanged" for r in group.indicators)
    return "changed" if moved else "unchanged"


def source_href(path: str | None, page: int | None, base: Path = Path()) -> str | None:
    """A link to a source document relative to the folder `base` (the report's), at its page
    when it is a PDF, so the report can be sent on with its files. A relative source path (as
    given to perftab extract) is taken from the current folder."""
    if not path:
        return None
    target = Path(path).absolute()
    try:
        href = quote(Path(os.path.relpath(target, base.absolute())).as_posix())
    except ValueError:  # another drive (Windows): no relative path
        href = target.as_uri()
    if page is not None and path.lower().endswith(".pdf"):
        href += f"#page={page}"
    return href


# --------------------------------------------------------------------------- numbers


def _number(value: Decimal | float, signed: bool = False) -> str:
    text = f"{Decimal(repr(value)) if isinstance(value, float) else value:,.4f}"
    text = text.rstrip("0").rstrip(".")
    if text in ("0", "-0"):
        return "0"
    if text.startswith("-"):
        return MINUS + text[1:]
    return ("+" if signed else "") + text


def printed_magnitude(raws: tuple[str | None, ...], unit: str | None) -> tuple[str, int]:
    """(magnitude, factor) the first of `raws` printed before `unit` (亿 in ≥3亿条), else
    ("", 1)."""
    if unit:
        for raw in raws:
            text = unicodedata.normalize("NFKC", raw or "")
            for word, factor in MAGNITUDES:
                if word + unit in text:
                    return word, factor
    return "", 1


def delta_text(row: DiffRow) -> str:
    """Δ of a changed indicator in the magnitude and unit NEW (else OLD) printed, with the
    relative change: −0.5亿条 (−25%)."""
    if row.delta is None or row.change != "changed":
        return ""
    unit = row.new_unit or ""
    word, factor = printed_magnitude((row.new_target_raw, row.old_target_raw), unit)
    text = _number(Decimal(repr(row.delta)) / factor, signed=True) + word + unit
    if row.delta_pct is not None and row.delta and unit != "%":
        text += f" ({_number(round(row.delta_pct, 1), signed=True)}%)"
    return text


def _funds_delta(project: DiffRow) -> str:
    if not project.delta:
        return ""
    text = _number(project.delta, signed=True) + "万元"
    if project.delta_pct is not None:
        text += f" ({_number(round(project.delta_pct, 1), signed=True)}%)"
    return text


# --------------------------------------------------------------------------- small pieces


def badge(kind: str, page: Page, count: int | None = None) -> str:
    symbol, chinese, english = _BADGES[kind]
    number = f"{count} " if count is not None else ""
    word = chinese if page.lang == "zh" else english
    return (
        f'<span class="badge k-{kind}" data-label="{kind}"><span aria-hidden="true">{symbol}'
        f"</span> {number}{word}</span>"
    )


def _cell(html: str, css: str = "", value: float | None = None, csv: str | None = None) -> str:
    """A table cell; `value` is what it sorts by when not its text, `csv` what it exports."""
    attributes = f' class="{css}"' if css else ""
    if value is not None:
        attributes += f' data-v="{value!r}"'
    if csv is not None:
        attributes += f' data-csv="{escape(csv)}"'
    return f"<td{attributes}>{html}</td>"


def _page_link(path: str | None, page: int | None, locator: str | None, year: str,
               where: Page) -> str:
    """'2023: 第3页' linked to the file at that page; the file and the cell's box on hover."""
    href = source_href(path, page, where.base)
    if not href or path is None:  # no path, no link
        return ""
    shown = where.word("page", page=page) if page is not None else Path(path).name
    tip = ", ".join(part for part in (path, locator) if part)
    return (f'<a href="{escape(href)}" title="{escape(tip)}">{escape(year)}: '
            f"{escape(shown)}</a>")


def _sources(row: DiffRow, page: Page) -> str:
    links = [
        _page_link(getattr(row, f"{side}_source_path"), getattr(row, f"{side}_page"),
                   getattr(row, f"{side}_locator"), year, page)
        for side, year in (("old", page.years.old), ("new", page.years.new))
    ]
    return " ".join(link for link in links if link)


def _department(row: DiffRow, page: Page) -> str:
    """主管部门 with its code ([010] 某局), and OLD's when it differs."""
    def named(name: str | None, code: str | None) -> str:
        return (f"[{code}] " if code else "") + (name or "")

    text = escape(named(row.department, row.department_code))
    old = named(row.department_old, row.department_code_old)
    if row.department_old is not None and old != named(row.department, row.department_code):
        text += f'<span class="was">{escape(page.word("was", year=page.years.old, name=old))}'
        text += "</span>"
    return text


def _project_name(row: DiffRow, page: Page) -> str:
    text = escape(row.project_name or "")
    if row.project_name_old and row.project_name_old != row.project_name:
        was = page.word("was", year=page.years.old, name=row.project_name_old)
        text += f'<span class="was">{escape(was)}</span>'
    return text


def _sortable_head(columns: list[str], page: Page) -> str:
    heads = "".join(
        f'<th scope="col"><button type="button" class="sort" title="{escape(page.word("sort"))}"'
        f">{escape(title)}</button></th>"
        for title in columns
    )
    return f"<thead><tr>{heads}</tr></thead>"


# --------------------------------------------------------------------------- the page's parts


def render_sources(old: Path | str, new: Path | str, page: Page) -> str:
    return (
        f"{escape(page.word('old'))} ({escape(page.years.old)}): <code>{escape(str(old))}</code>"
        f" · {escape(page.word('new'))} ({escape(page.years.new)}): "
        f"<code>{escape(str(new))}</code>"
    )


def render_warnings(warnings: Sequence[str], page: Page) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    return (f'<section class="warnings" role="alert"><strong>{escape(page.word("warnings"))}'
            f"</strong><ul>{items}</ul></section>")


def render_summary(groups: list[ProjectGroup], page: Page) -> str:
    projects = Counter(g.project.change for g in groups)
    similar = sum(1 for g in groups if g.project.match_by == "similar")
    indicators = [r for g in groups for r in g.indicators]
    changes = Counter(r.change for r in indicators)
    directions = Counter(r.direction for r in indicators)
    cards = {
        page.word("projects"): escape(page.word(
            "project_counts", matched=projects["project_matched"], similar=similar,
            added=projects["project_added"], removed=projects["project_removed"])),
        page.word("indicators"): escape(page.word("indicator_counts", **{
            c: changes[c] for c in ("unchanged", "changed", "added", "removed")})),
        page.word("directions"): " ".join(
            badge(d, page, directions[d])
            for d in ("tightened", "loosened", "changed", "incomparable")
        ),
    }
    return '<section class="summary">' + "".join(
        f'<div class="card"><h2>{escape(title)}</h2><div class="figure">{body}</div></div>'
        for title, body in cards.items()
    ) + "</section>"


def render_similar(groups: list[ProjectGroup], page: Page) -> str:
    """Projects paired by a similar name or by the mapping file, for the auditor to confirm."""
    shown = [g.project for g in groups if g.project.match_by in ("similar", "mapping")]
    if not shown:
        return ""
    items = "".join(
        f"<li>{escape(page.years.old)} {escape(p.project_name_old or '')} → "
        f"{escape(page.years.new)} {escape(p.project_name or '')} "
        f"({escape(_how(p.match_by, p.match_score, page))})</li>"
        for p in shown
    )
    return (f'<section class="similar"><strong>{escape(page.word("check"))}</strong>'
            f"<ul>{items}</ul></section>")


def _how(how: str | None, score: float | None, page: Page) -> str:
    if how is None:
        return ""
    text = _HOW[how][0 if page.lang == "zh" else 1]
    if how == "similar" and score is not None:
        text += ", " + page.word("score", score=f"{score:g}")
    return text


def render_toolbar(groups: list[ProjectGroup], page: Page) -> str:
    kinds = Counter(indicator_kind(r) for g in groups for r in g.indicators)
    boxes = "".join(
        f'<label><input type="checkbox" name="direction" value="{kind}"'
        f'{"" if kind == "unchanged" else " checked"}> {badge(kind, page, kinds[kind])}</label>'
        for kind in KINDS
    )
    total = sum(kinds.values())
    shown = total - kinds["unchanged"]
    count = escape(page.word("shown", shown="\0", total=total)).replace(
        "\0", f'<span id="shown">{shown}</span>')
    return (
        '<nav class="toolbar" aria-label="filters">'
        f'<label class="search">{escape(page.word("search"))} <input type="search" id="search" '
        f'placeholder="{escape(page.word("search_hint"))}"></label>'
        f'<span class="kinds"><strong>{escape(page.word("show"))}</strong>{boxes}</span>'
        f'<label class="toggle"><input type="checkbox" id="show-unchanged"> '
        f'{escape(page.word("show_unchanged"))}</label>'
        f'<a id="export" download="diff-rows.csv" href="#">{escape(page.word("export"))}</a>'
        f'<span class="count">{count}</span></nav>'
    )


def _changes_first(items: list, kind) -> list:
    """Changed, added and removed first, unchanged after, each in the diff's order."""
    return sorted(items, key=lambda item: kind(item) == "unchanged")


def render_projects(groups: list[ProjectGroup], page: Page) -> str:
    columns = [page.word("department"), page.word("project"), page.word("pairing"),
               page.word("funds", year=page.years.old), page.word("funds", year=page.years.new),
               page.word("funds_delta"), page.word("changes"), page.word("source")]
    rows = "".join(_project_row(g, page) for g in _changes_first(groups, project_kind))
    return _sortable_table("projects", page.word("project_table"), columns, rows, page)


def _sortable_table(table_id: str, title: str, columns: list[str], rows: str, page: Page) -> str:
    """A titled section holding one sortable table of these rows."""
    return (
        f'<section class="table"><h2>{escape(title)}</h2>'
        f'<table id="{table_id}" class="sortable">{_sortable_head(columns, page)}'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _project_row(group: ProjectGroup, page: Page) -> str:
    project, kind = group.project, project_kind(group)
    pairing = badge(_PROJECT_KINDS[project.change], page)
    how = _how(project.match_by, project.match_score, page)
    if how:
        pairing += f'<span class="how">{escape(how)}</span>'
    funds = [project.old_funds_total_wan, project.new_funds_total_wan]
    hidden = " hidden" if kind == "unchanged" else ""
    return (
        f'<tr class="k-{kind}" data-kind="{kind}"{hidden}>'
        + _cell(_department(project, page))
        + _cell(_project_name(project, page))
        + _cell(pairing, "kind")
        + "".join(_cell("" if v is None else escape(_number(v)), "number", v) for v in funds)
        + _cell(escape(_funds_delta(project)), "number", project.delta)
        + _cell(_kind_counts(group, page))
        + _cell(_sources(project, page), "source")
        + "</tr>"
    )


def _kind_counts(group: ProjectGroup, page: Page) -> str:
    counts = Counter(indicator_kind(r) for r in group.indicators)
    shown = [badge(k, page, counts[k]) for k in KINDS if k != "unchanged" and counts[k]]
    return " ".join(shown) or f'<span class="absent">{escape(page.word("none"))}</span>'


def render_indicators(groups: list[ProjectGroup], page: Page) -> str:
    columns = [page.word("department"), page.word("project"), page.word("level1"),
               page.word("level2"), page.word("level3"),
               page.word("target", year=page.years.old), page.word("target", year=page.years.new),
               page.word("change"), page.word("delta"), page.word("source")]
    indicators = [r for g in groups for r in g.indicators]
    rows = "".join(render_indicator(r, page) for r in _changes_first(indicators, indicator_kind))
    return _sortable_table("indicators", page.word("indicator_table"), columns, rows, page)


def render_indicator(row: DiffRow, page: Page) -> str:
    kind = indicator_kind(row)
    level3 = escape(row.level3 or "")
    if row.level3_old and row.level3_old != row.level3:
        was = page.word("was", year=page.years.old, name=row.level3_old)
        level3 += f'<span class="was">{escape(was)}</span>'
    hidden = " hidden" if kind == "unchanged" else ""  # changes first: the toggle shows them
    delta = delta_text(row)
    return (
        f'<tr class="k-{kind}" data-kind="{kind}"{hidden}>'
        + _cell(_department(row, page))
        + _cell(_project_name(row, page))
        + _cell(escape(row.level1_std or ""))
        + _cell(escape(row.level2_std or ""))
        + _cell(level3, "level3")
        + _cell(_target(row.old_target_raw), "target old")
        + _cell(_target(row.new_target_raw), "target new")
        + _cell(badge(kind, page), "kind")
        + _cell(escape(delta), "delta number", row.delta if delta else None)
        + _cell(_sources(row, page), "source")
        + "</tr>"
    )


def _target(raw: str | None) -> str:
    return '<span class="absent">—</span>' if raw is None else escape(raw)
