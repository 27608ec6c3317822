"""The indicator block: grid rows -> one entry per 三级指标 with its repaired 一级/二级.

Stages, in order: find_indicator_layout -> block_rows -> join_rows_split_by_break ->
resolve_levels. Columns are recognised by their header words, not by position; a block that
prints 中期 and 年度 indicators side by side is read as two column groups (horizons).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from extract.grid import Cell, Grid

from .loose import is_fragment_of_next, realign_row
from .text import to_simplified
from .vocabulary import (
    FUZZY_MIN,
    INDICATOR_HEADER_WORDS,
    LEVEL1,
    LEVEL2_ALIASES,
    LEVEL2_PARENT,
    TOTAL_ROW_WORDS,
    clean_label,
    closest,
    is_level_name,
    level1_std,
    level2_std,
    one_slip,
)

ROLES = tuple(INDICATOR_HEADER_WORDS)
LEVEL_ROLES = ("level1", "level2", "level3")
EXTRA_ROLES = tuple(r for r in ROLES if r not in (*LEVEL_ROLES, "target"))


@dataclass
class BlockRow:
    """One grid row of the indicator block, by column role."""

    index: int
    cells: dict[str, list[Cell]]
    texts: dict[str, str]
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def has(self, role: str) -> bool:
        return bool(self.texts[role])

    @property
    def is_indicator(self) -> bool:
        return self.has("level3") or self.has("target")


@dataclass
class Entry:
    """A resolved indicator: levels as printed (repaired) and the cells it came from."""

    level1: str
    level2: str
    level3: str
    target_raw: str
    target_cell: Cell | None
    row: int
    repairs: list[str]
    warnings: list[str]
    extra: dict[str, str] = field(default_factory=dict)  # nature, unit, actual … as printed
    cells: list[Cell] = field(default_factory=list)  # every cell the entry was read from


@dataclass
class IndicatorLayout:
    header_row: int
    groups: list[tuple[str, dict[int, str]]]  # (horizon, column -> role) per column group


def find_indicator_layout(grid: Grid) -> IndicatorLayout | None:
    """The header row of the indicator block and the role of each column under it."""
    for r in range(len(grid.rows)):
        roles = {}
        row = grid.rows[r]
        for c, text in enumerate(grid.row_texts(r)):
            role = header_role(text)
            if role and not (c and row[c] is row[c - 1]):  # a header merged over two columns
                roles[c] = role
        if {"level3", "target"} <= set(roles.values()):
            return IndicatorLayout(r, _horizon_groups(grid, r, roles))
    return None


def unknown_layout(grid: Grid) -> str | None:
    """A block headed by 三级指标 whose target column no header word names: reported, not
    guessed."""
    for r in range(len(grid.rows)):
        texts = [t for t in grid.row_texts(r) if t]
        words = [header_key(t) for t in texts]
        if "三级指标" in words or {"一级指标", "二级指标"} <= set(words):
            unknown = [t for t in dict.fromkeys(texts) if header_role(t) is None]
            return f"unknown layout: no target column among the header words {' | '.join(unknown)}"
    return None


def header_key(text: str) -> str:
    return unicodedata.normalize("NFKC", to_simplified(clean_label(text)))


def header_role(text: str) -> str | None:
    key = header_key(text)
    for role, words in INDICATOR_HEADER_WORDS.items():
        if key in words:
            return role
    return None


def _horizon_groups(grid: Grid, header: int, roles: dict[int, str]) -> list[tuple[str, dict]]:
    """Columns split where a role repeats; each group's horizon from the label above it."""
    groups: list[dict[int, str]] = [{}]
    for c in sorted(roles):
        if roles[c] in groups[-1].values():
            groups.append({})
        groups[-1][c] = roles[c]
    if len(groups) == 1:
        return [("annual", roles)]
    return [(_horizon_above(grid, header, min(g)), g) for g in groups]


def _horizon_above(grid: Grid, header: int, col: int) -> str:
    for r in range(header - 1, max(header - 3, -1), -1):
        text = to_simplified(grid.text(r, col))
        if "中期" in text:
            return "midterm"
        if "年度" in text:
            return "annual"
    return "annual"


def block_rows(grid: Grid, header: int, roles: dict[int, str]) -> list[BlockRow]:
    out = []
    for r in range(header + 1, len(grid.rows)):
        repairs = list(grid.repairs.get(r, []))
        cells = _role_cells(grid.rows[r], roles)
        if grid.loose:
            moved, note = realign_row(grid.rows[r], roles, cells)
            cells = {role: moved.get(role, []) for role in ROLES}
            repairs += [note] if note else []
        texts = {role: "".join(c.text for c in cells[role]).strip() for role in ROLES}
        if not any(texts.values()) or _is_total_row(texts):
            continue
        if all(header_role(t) == role for role, t in texts.items() if t):
            continue  # a heading row repeated inside the block
        out.append(BlockRow(r, cells, texts, repairs, list(grid.warnings.get(r, []))))
    return out


def _is_total_row(texts: dict[str, str]) -> bool:
    """The 总分 / 合计 line under a self-evaluation's indicators."""
    first = next((texts[r] for r in LEVEL_ROLES if texts[r]), "")
    return header_key(first) in TOTAL_ROW_WORDS


def _role_cells(row: list[Cell | None], roles: dict[int, str]) -> dict[str, list[Cell]]:
    cells: dict[str, list[Cell]] = {role: [] for role in ROLES}
    for c, role in roles.items():
        cell = row[c] if c < len(row) else None
        if cell is not None and cell not in cells[role]:
            cells[role].append(cell)
    return cells


def join_split_names(rows: list[BlockRow]) -> list[BlockRow]:
    """Loose grids: a 三级 printed over two rows, the first without a target ("考勤考核奖" then
    "月均发放标准 | ≤400元/人"), becomes one row."""
    out: list[BlockRow] = []
    for k, row in enumerate(rows):
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        if nxt is not None and is_fragment_of_next(row.texts, nxt.texts):
            nxt.texts["level3"] = row.texts["level3"] + nxt.texts["level3"]
            nxt.cells["level3"] = row.cells["level3"] + nxt.cells["level3"]
            for role in ("level1", "level2"):
                nxt.texts[role], nxt.cells[role] = row.texts[role], row.cells[role]
            note = f"level3 joined with the next row: {row.texts['level3']}"
            nxt.repairs += [*row.repairs, note]
            nxt.warnings += row.warnings
            continue
        out.append(row)
    return out


def join_labels_split_by_break(rows: list[BlockRow], seams: list[int]) -> None:
    """A merged 一级/二级 label too long for the space left on a page prints its first characters
    before the break and the rest after it ("产" | "出指标"): when the two halves make a
    vocabulary name, every row of the block gets the whole name."""
    for k, row in enumerate(rows):
        if k == 0 or row.index not in seams:
            continue
        for role in ("level1", "level2"):
            head, tail = rows[k - 1].texts[role], row.texts[role]
            if head and tail and not is_level_name(head) and is_level_name(head + tail):
                _rename_block(rows, k - 1, role, head, -1, head + tail)
                _rename_block(rows, k, role, tail, +1, head + tail)


def _rename_block(rows: list[BlockRow], k: int, role: str, old: str, step: int, new: str) -> None:
    while 0 <= k < len(rows) and rows[k].texts[role] == old:
        rows[k].texts[role] = new
        rows[k].repairs.append(f"{role} joined across page break: {old}")
        k += step


def join_rows_split_by_break(rows: list[BlockRow], seams: list[int]) -> list[BlockRow]:
    """A row whose wrapped text a page break split arrives as two rows: the part after the break
    lacks its 三级 or its target, and its level cells hold nothing or word fragments."""
    out: list[BlockRow] = []
    for row in rows:
        prev = out[-1] if out else None
        if prev is not None and row.index in seams and _continues_split_row(prev, row):
            _append_text(prev, row)
            prev.repairs.append(f"row joined across page break: grid rows {prev.index}+{row.index}")
            prev.repairs.extend(row.repairs)
            prev.warnings.extend(row.warnings)
        else:
            out.append(row)
    return out


def _continues_split_row(prev: BlockRow, row: BlockRow) -> bool:
    if not (prev.has("level3") and prev.has("target")):
        return False
    if row.has("level3") and row.has("target"):
        return False
    for role in ("level1", "level2"):
        text = row.texts[role]
        if text and text != prev.texts[role] and is_level_name(text):
            return False
    return row.is_indicator or any(row.texts.values())


def _append_text(prev: BlockRow, row: BlockRow) -> None:
    for role in ROLES:
        new = [c for c in row.cells[role] if c not in prev.cells[role]]
        if new and row.texts[role] != prev.texts[role]:
            prev.texts[role] += "".join(c.text for c in new)
            prev.cells[role].extend(new)


def resolve_levels(rows: list[BlockRow], loose: bool = False, ocr: bool = False) -> list[Entry]:
    """Carry merged/blank levels down, repair garbled ones from the vocabulary, drop category rows
    (a 二级 printed with no 三级 and no target). OCR'd 二级 names close to the vocabulary snap to
    it; loose grids also replace a garbage 二级 from the block above."""
    entries: list[Entry] = []
    context = {"level1": "", "level2": ""}
    for row in rows:
        repairs = list(row.repairs)
        level2 = _carry(row, "level2", context, repairs)
        if loose or ocr:
            level2 = _repair_level2(level2, context["level2"] if loose else "", repairs)
        level1 = _resolve_level1(_carry(row, "level1", context, repairs), level2, repairs)
        context.update(level1=level1, level2=level2)
        if not row.is_indicator:
            continue
        target_cells = row.cells["target"]
        entries.append(
            Entry(
                level1=level1,
                level2=level2,
                level3=to_simplified(clean_label(row.texts["level3"], keep_spaces=True)),
                target_raw=row.texts["target"],
                target_cell=target_cells[0] if target_cells else None,
                row=row.index,
                repairs=repairs,
                warnings=row.warnings,
                extra={role: row.texts[role] for role in EXTRA_ROLES if row.texts[role]},
                cells=[c for role in ROLES for c in row.cells[role]],
            )
        )
    return entries


def _carry(row: BlockRow, role: str, context: dict[str, str], repairs: list[str]) -> str:
    text = to_simplified(clean_label(row.texts[role]))
    if text:
        return text
    if context[role]:
        repairs.append(f"{role} carried from the row above: {context[role]}")
    return context[role]


def _repair_level2(level2: str, above: str, repairs: list[str]) -> str:
    """A 二级 close to a vocabulary name is that name misread; one neither in the vocabulary nor
    close to it is garbage in a loose grid, where the merged block it stood in is `above`."""
    if not level2 or level2_std(level2):
        return level2
    names = [*LEVEL2_PARENT, *LEVEL2_ALIASES]
    name, score = closest(level2, names)
    name = name if score >= FUZZY_MIN else one_slip(level2, names)
    if name:
        repairs.append(f"level2 snapped to vocabulary: {level2}")
        return name
    if above:
        repairs.append(f"level2 replaced: {level2}")
        return above
    return level2


def _resolve_level1(level1: str, level2: str, repairs: list[str]) -> str:
    if level1_std(level1):
        return level1
    parent = LEVEL2_PARENT.get(level2_std(level2) or "")
    name, score = closest(level1, LEVEL1)
    if level1 and score >= FUZZY_MIN and (parent is None or parent == name):
        repairs.append(f"level1 snapped to vocabulary: {level1}")
        return name or level1
    if parent:
        repairs.append(f"level1 inferred from level2 {level2}: {level1 or '(blank)'}")
        return parent
    return level1
