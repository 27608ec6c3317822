"""The diff as a page an auditor opens in a browser: OUT/diff.html, one self-contained file (CSS
and script inline, no request leaves the page) built from the rows perftab.diff writes.

    diff rows --project_groups--> a project row with its indicator rows
        --render_report--> HTML (summary, filters, one section per project)
        --write_report--> OUT/diff.html, atomically

Every piece of text from the data goes through html.escape. docs/diff.md describes the page.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, NamedTuple

from .writers import replace_atomic

if TYPE_CHECKING:
    from .diff import DiffRow

__all__ = ["KINDS", "indicator_kind", "render_report", "source_href", "write_report"]

# What an indicator row shows as its change: its direction when changed, else its change. Each
# has a colour (the template's .k-<kind>) and a symbol and words, so it is not told by colour only.
KINDS = {
    "tightened": ("▲", "收紧"),
    "loosened": ("▼", "放宽"),
    "changed": ("≠", "变更"),
    "incomparable": ("?", "不可比"),
    "added": ("+", "新增"),
    "removed": ("−", "删除"),
    "unchanged": ("=", "未变"),
}
_PROJECT_KINDS = {"project_matched": "matched", "project_added": "added",
                  "project_removed": "removed"}
_BADGES = {**KINDS, "matched": ("↔", "对应")}
_ABSENT = '<span class="absent">—</span>'


class ProjectGroup(NamedTuple):
    project: DiffRow
    indicators: list[DiffRow]


class Years(NamedTuple):
    old: str   # "2023", or "OLD" when no table has a year
    new: str


def write_report(
    rows: list[DiffRow], path: Path, old: Path | str, new: Path | str,
    warnings: list[str] = (), lang: str = "zh",
) -> Path:
    """The report of `rows` (OLD and NEW named in its heading) to `path`, atomically."""
    text = render_report(rows, old, new)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path


def render_report(rows: list[DiffRow], old: Path | str, new: Path | str) -> str:
    groups = project_groups(rows)
    years = diff_years(groups)
    return _template().substitute(
        title=escape(f"perftab diff {years.old} → {years.new}"),
        heading=escape(f"Performance targets {years.old} → {years.new}"),
        sources=render_sources(old, new, years),
        summary=render_summary(groups),
        similar=render_similar(groups, years),
        filters=render_filters(groups),
        toc=render_toc(groups),
        projects="\n".join(render_project(n, g, years) for n, g in enumerate(groups, 1)),
        footer=escape(
            "Made by perftab diff (docs/diff.md). Each target links to its source file "
            "(with #page=N for a PDF); a relative source path is read from the folder the diff "
            "was run in."
        ),
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


def source_href(path: str | None, page: int | None) -> str | None:
    """A file:// link to a source document, at its page when it is a PDF. A relative path (as
    given to perftab extract) is taken from the current folder."""
    if not path:
        return None
    uri = Path(path).absolute().as_uri()
    if page is not None and path.lower().endswith(".pdf"):
        uri += f"#page={page}"
    return uri


def _is_similar(project: DiffRow) -> bool:
    return project.match_score is not None and project.match_score < 100


# --------------------------------------------------------------------------- small pieces


def badge(kind: str, count: int | None = None) -> str:
    symbol, chinese = _BADGES[kind]
    number = f"{count} " if count is not None else ""
    return (
        f'<span class="badge k-{kind}" data-label="{kind}"><span aria-hidden="true">{symbol}'
        f'</span> {number}{kind} <span class="zh">{chinese}</span></span>'
    )


def _number(value: float, signed: bool = False) -> str:
    text = f"{value:{'+' if signed else ''},.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("+0", "-0") else text


def _delta_text(delta: float | None, delta_pct: float | None, unit: str | None) -> str:
    if delta is None:
        return ""
    text = _number(delta, signed=True) + (f" {unit}" if unit else "")
    if delta_pct is not None and delta:
        text += f" ({_number(round(delta_pct, 1), signed=True)}%)"
    return text


def _source_link(text: str, path: str | None, page: int | None) -> str:
    """`text` linked to the file it was printed in, at its page; the path shows on hover."""
    href = source_href(path, page)
    shown = escape(text) if text else "(blank)"
    if not href:
        return shown
    where = path + (f", page {page}" if page is not None else "")
    return f'<a href="{escape(href)}" title="{escape(where)}">{shown}</a>'


# --------------------------------------------------------------------------- the page's parts


def render_sources(old: Path | str, new: Path | str, years: Years) -> str:
    return (
        f"OLD ({escape(years.old)}): <code>{escape(str(old))}</code> · "
        f"NEW ({escape(years.new)}): <code>{escape(str(new))}</code>"
    )


def render_summary(groups: list[ProjectGroup]) -> str:
    projects = Counter(g.project.change for g in groups)
    similar = sum(1 for g in groups if _is_similar(g.project))
    indicators = [r for g in groups for r in g.indicators]
    changes = Counter(r.change for r in indicators)
    directions = Counter(r.direction for r in indicators)
    cards = {
        "Projects": escape(
            f"{projects['project_matched']} matched ({similar} by a similar name), "
            f"{projects['project_added']} added, {projects['project_removed']} removed"
        ),
        "Indicators": escape(", ".join(
            f"{changes[c]} {c}" for c in ("unchanged", "changed", "added", "removed")
        )),
        "Changed indicators": " ".join(
            badge(d, directions[d]) for d in ("tightened", "loosened", "changed", "incomparable")
        ),
    }
    return '<section class="summary">' + "".join(
        f'<div class="card"><h3>{escape(title)}</h3><div class="figure">{body}</div></div>'
        for title, body in cards.items()
    ) + "</section>"


def render_similar(groups: list[ProjectGroup], years: Years) -> str:
    """Projects paired by a similar name, for the auditor to confirm."""
    similar = [g.project for g in groups if _is_similar(g.project)]
    if not similar:
        return ""
    items = "".join(
        f"<li>{escape(years.old)} {escape(p.project_name_old or '')} → {escape(years.new)} "
        f"{escape(p.project_name or '')} (score {p.match_score:g})</li>"
        for p in similar
    )
    return (
        '<section class="similar"><strong>Matched by a similar name — please check:</strong>'
        f"<ul>{items}</ul></section>"
    )


def render_filters(groups: list[ProjectGroup]) -> str:
    kinds = Counter(indicator_kind(r) for g in groups for r in g.indicators)
    boxes = "".join(
        f'<label><input type="checkbox" name="direction" value="{kind}" checked> '
        f"{badge(kind, kinds[kind])}</label>"
        for kind in KINDS
    )
    return (
        '<nav class="filters" aria-label="filter by direction">'
        f"<strong>Show:</strong>{boxes}"
        '<button type="button" id="show-all">all</button>'
        '<button type="button" id="show-changes">changes only</button>'
        f'<span class="count">showing <span id="shown">{sum(kinds.values())}</span> of '
        f"{sum(kinds.values())} indicators</span></nav>"
    )


def render_toc(groups: list[ProjectGroup]) -> str:
    rows = "".join(
        f'<tr><td><a href="#p{n}">{escape(g.project.project_name or "")}</a></td>'
        f"<td>{badge(_PROJECT_KINDS[g.project.change])}</td><td>{_kind_counts(g)}</td></tr>"
        for n, g in enumerate(groups, 1)
    )
    return (
        '<nav class="toc" aria-label="projects"><table><thead><tr><th>Project 项目</th>'
        "<th>Across the years</th><th>Indicators not unchanged</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></nav>"
    )


def _kind_counts(group: ProjectGroup) -> str:
    counts = Counter(indicator_kind(r) for r in group.indicators)
    shown = [badge(kind, counts[kind]) for kind in KINDS if kind != "unchanged" and counts[kind]]
    return " ".join(shown) or '<span class="absent">none</span>'


def render_project(number: int, group: ProjectGroup, years: Years) -> str:
    project = group.project
    rows = "\n".join(render_indicator(r, years) for r in group.indicators)
    return (
        f'<section class="project" id="p{number}" data-change="{escape(project.change)}">'
        f"<h2>{badge(_PROJECT_KINDS[project.change])} "
        f'<span class="name">{escape(project.project_name or "")}</span></h2>'
        f'<p class="meta">{_project_meta(project, years)}</p>'
        '<table class="indicators"><colgroup><col class="c-level"><col class="c-target">'
        '<col class="c-target"><col class="c-kind"><col class="c-delta"></colgroup>'
        "<thead><tr><th>Indicator 一级 › 二级 › 三级</th>"
        f"<th>{escape(years.old)} target</th><th>{escape(years.new)} target</th>"
        f"<th>Change</th><th>Δ</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _project_meta(project: DiffRow, years: Years) -> str:
    parts = []
    if project.project_name_old and project.project_name_old != project.project_name:
        parts.append(
            f"{escape(years.old)}: {escape(project.project_name_old)} "
            f"(name score {project.match_score:g})"
        )
    if project.department:
        parts.append(f"主管部门 {escape(project.department)}")
    parts.append(_funds(project, years))
    for side, year in (("old", years.old), ("new", years.new)):
        path = getattr(project, f"{side}_source_path")
        if path:
            link = _source_link(Path(path).name, path, getattr(project, f"{side}_page"))
            locator = getattr(project, f"{side}_locator")
            parts.append(f"{escape(year)}: {link}" + (f" ({escape(locator)})" if locator else ""))
    return "".join(f"<span>{part}</span>" for part in parts)


def _funds(project: DiffRow, years: Years) -> str:
    old, new = project.old_funds_total_wan, project.new_funds_total_wan
    shown = [
        f"{escape(year)} {_number(value)}"
        for year, value in ((years.old, old), (years.new, new)) if value is not None
    ]
    change = _delta_text(project.delta, project.delta_pct, None)
    text = "年度资金总额 " + (" → ".join(shown) or "—") + " 万元"
    return escape(text + (f", {change}" if change and project.delta else ""))


def render_indicator(row: DiffRow, years: Years) -> str:
    kind = indicator_kind(row)
    delta = _delta_text(row.delta, row.delta_pct, row.new_unit) if row.change == "changed" else ""
    return (
        f'<tr class="k-{kind}" data-kind="{kind}">'
        f'<td class="level">{_level_path(row, years)}</td>'
        f'<td class="target old">{_target(row, "old")}</td>'
        f'<td class="target new">{_target(row, "new")}</td>'
        f'<td class="kind">{badge(kind)}</td>'
        f'<td class="delta">{escape(delta)}</td></tr>'
    )


def _level_path(row: DiffRow, years: Years) -> str:
    path = " › ".join(escape(level) for level in (row.level1_std, row.level2_std) if level)
    html = (f'<span class="path">{path} ›</span> ' if path else "") + (
        f'<b class="level3">{escape(row.level3 or "")}</b>'
    )
    if row.level3_old and row.level3_old != row.level3:
        html += (
            f'<span class="was">{escape(years.old)}: {escape(row.level3_old)} '
            f"(name score {row.level3_score:g})</span>"
        )
    return html


def _target(row: DiffRow, side: str) -> str:
    """The target as printed, linked to its source, with its locator below."""
    raw = getattr(row, f"{side}_target_raw")
    if raw is None:
        return _ABSENT
    link = _source_link(raw, getattr(row, f"{side}_source_path"), getattr(row, f"{side}_page"))
    locator = getattr(row, f"{side}_locator")
    return link + (f'<span class="loc">{escape(locator)}</span>' if locator else "")
