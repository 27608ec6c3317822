"""The indicator block: grid rows -> one entry per 三级指标 with its repaired 一级/二级.

Stages, in order (the columns come from columns.find_indicator_layout): block_rows ->
join_labels_split_by_break -> join_rows_split_by_break -> (loose grids) join_split_names ->
resolve_levels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perftab.extract.grid import Cell, Grid

from .columns import header_key, header_role
from .loose import is_fragment_of_next, realign_row
from .text import to_simplified
from .vocabulary import (
    FUZZY_MIN,
    LEVEL1,
    LEVEL2_ALIASES,
    LEVEL2_PARENT,
    TOTAL_ROW_WORDS,
    clean_label,
    clean_name,
    closest,
    is_level_name,
    level1_std,
    level2_std,
    one_slip,
    unwrap,
)

ROLES = (
    "level1", "level2", "level3", "target", "nature", "direction", "unit", "weight", "actual",
    "score", "deviation", "note",
)
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
    realigned: bool = False  # loose grids: its cells stood outside the header's columns

    def has(self, role: str) -> bool:
        return bool(self.texts[role])

    @property
    def is_indicator(self) -> bool:
        return self.has("level3") or self.has("target")


@dataclass
class Entry:
    """A resolved indicator: levels as printed, their vocabulary names, and its cells."""

    level1: str
    level2: str
    level3: str
    level1_std: str | None
    level2_std: str | None
    level3_clean: str
    target_raw: str
    target_cell: Cell | None
    row: int
    repairs: list[str]
    warnings: list[str]
    extra: dict[str, str] = field(default_factory=dict)  # nature, unit, actual … as printed
    cells: list[Cell] = field(default_factory=list)  # every cell the entry was read from


def block_rows(grid: Grid, header: int, roles: dict[int, str]) -> list[BlockRow]:
    out = []
    for r in range(header + 1, len(grid.rows)):
        repairs = list(grid.repairs.get(r, []))
        cells = _role_cells(grid.rows[r], roles)
        note = None
        if grid.loose:
            moved, note = realign_row(grid.rows[r], roles, cells)
            cells = {role: moved.get(role, []) for role in ROLES}
            repairs += [note] if note else []
        texts = {role: "".join(c.text for c in cells[role]).strip() for role in ROLES}
        if not any(texts.values()) or _is_total_row(texts):
            continue
        if all(header_role(t) == role for role, t in texts.items() if t):
            continue  # a heading row repeated inside the block
        warnings = list(grid.warnings.get(r, []))
        out.append(BlockRow(r, cells, texts, repairs, warnings, realigned=note is not None))
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
    "人均发放标准 | ≤800元/人"), becomes one row."""
    out: list[BlockRow] = []
    for k, row in enumerate(rows):
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        # a row read in its own columns is what was printed there, target or not
        if nxt is not None and row.realigned and is_fragment_of_next(row.texts, nxt.texts):
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


def resolve_levels(
    rows: list[BlockRow], loose: bool = False, ocr: bool = False, seams: tuple[int, ...] = ()
) -> list[Entry]:
    """Levels as printed, with their vocabulary names beside them. A merged cell fills every row
    it covers; a blank level cell is a level not printed, except under a category row (a 二级
    printed with no 三级 and no target) and in loose grids, whose merges were lost: there the
    level above is carried down; so is a level cell left blank at the top of a page, a merged
    cell the page break cut (its text printed before the break). Only what cannot be a printed
    name is replaced: an OCR misreading one character from the vocabulary, or garbage in a loose
    grid."""
    entries: list[Entry] = []
    context = {"level1": "", "level2": ""}
    above = {"level1": "", "level2": ""}
    for row in rows:
        repairs, warnings = list(row.repairs), list(row.warnings)
        if row.index in seams:
            context = _cut_by_break(row, above, context)
        level2 = _printed(row, "level2", context, repairs)
        if loose or ocr:
            level2 = _repair_level2(level2, context["level2"] if loose else "", repairs, warnings)
        level1 = _printed(row, "level1", context, repairs)
        if loose or ocr:
            level1 = _repair_level1(level1, level2, loose, repairs)
        _remember(context, row, loose, level1=level1, level2=level2)
        above = {"level1": level1, "level2": level2}
        if not row.is_indicator:
            continue
        entries.append(_entry(row, level1, level2, repairs, warnings))
    return entries


def _entry(row: BlockRow, level1: str, level2: str, repairs: list[str], warnings: list[str]):
    std2 = level2_std(level2)
    target_cells = row.cells["target"]
    return Entry(
        level1=level1,
        level2=level2,
        level3=unwrap(row.texts["level3"]),
        level1_std=_level1_std(level1, level2, std2, repairs, warnings),
        level2_std=std2,
        level3_clean=to_simplified(clean_name(row.texts["level3"])),
        target_raw=row.texts["target"],
        target_cell=target_cells[0] if target_cells else None,
        row=row.index,
        repairs=repairs,
        warnings=warnings,
        extra={role: row.texts[role] for role in EXTRA_ROLES if row.texts[role]},
        cells=[c for role in ROLES for c in row.cells[role]],
    )


def _cut_by_break(row: BlockRow, above: dict[str, str], context: dict[str, str]) -> dict:
    """Levels a row opening a page takes from the row before the break where its cells are
    blank: the rest of a merged cell whose text was printed on the previous page."""
    return {role: context[role] or (above[role] if not row.has(role) else "") for role in above}


def _remember(context: dict[str, str], row: BlockRow, loose: bool, **levels: str) -> None:
    """What later blank level cells take: the levels of the row above in a loose grid; else only
    a category row's, until a row prints its own."""
    if loose or not row.is_indicator:
        context.update(levels)
        return
    for role in levels:
        if row.texts[role].strip():
            context[role] = ""


def _printed(row: BlockRow, role: str, context: dict[str, str], repairs: list[str]) -> str:
    text = unwrap(row.texts[role])
    if text:
        return text
    if context[role]:
        repairs.append(f"{role} carried from the row above: {context[role]}")
    return context[role]


def _repair_level2(level2: str, above: str, repairs: list[str], warnings: list[str]) -> str:
    """A 二级 close to a vocabulary name is that name misread; in a loose grid, one that cannot
    be a level name at all (no 指标, no word of the vocabulary) is garbage standing in the
    merged block `above`. A printed name the vocabulary does not know ("项目管理指标", "质量值")
    is kept, and so is a 一级 name printed in the 二级 column."""
    if not level2 or level2_std(level2) or level1_std(level2):
        return level2
    names = [*LEVEL2_PARENT, *LEVEL2_ALIASES]
    name, score = closest(level2, names)
    name = name if score >= FUZZY_MIN else one_slip(clean_label(level2), names)
    if name:
        repairs.append(f"level2 snapped to vocabulary: {level2}")
        return name
    if above and not _looks_like_level_name(level2) and not _shares_a_word(level2):
        repairs.append(f"level2 replaced: {level2}")
        warnings.append(f"level2 {level2!r} read as {above!r}: check against the page")
        return above
    return level2


def _repair_level1(level1: str, level2: str, loose: bool, repairs: list[str]) -> str:
    """An OCR'd or loose 一级 one misreading from the vocabulary snaps to it; in a loose grid a
    blank or garbage 一级 becomes the parent of its 二级."""
    if level1_std(level1) or (level1 and _looks_like_level_name(level1)):
        return level1
    parent = LEVEL2_PARENT.get(level2_std(level2) or "")
    name, score = closest(level1, LEVEL1)
    if level1 and score >= FUZZY_MIN and (parent is None or parent == name):
        repairs.append(f"level1 snapped to vocabulary: {level1}")
        return name or level1
    if loose and parent:
        repairs.append(f"level1 inferred from level2 {level2}: {level1 or '(blank)'}")
        return parent
    return level1


def _looks_like_level_name(text: str) -> bool:
    return clean_label(text).endswith("指标")


_NAME_WORDS = {
    name[k : k + 2]
    for name in (*LEVEL1, *LEVEL2_PARENT, *LEVEL2_ALIASES)
    for k in range(len(name.removesuffix("指标")) - 1)
}


def _shares_a_word(text: str) -> bool:
    """Whether a name holds a two-character word of the vocabulary's names (质量值, 产出类):
    a regional name for a level, not a fragment of another cell."""
    cleaned = to_simplified(clean_label(text))
    return any(cleaned[k : k + 2] in _NAME_WORDS for k in range(len(cleaned) - 1))


def _level1_std(level1: str, level2: str, std2: str | None, repairs, warnings) -> str | None:
    """The vocabulary's 一级: the printed name's, else the parent of the 二级. A printed 一级 that
    is not that parent keeps its text and gets a warning."""
    printed = level1_std(level1)
    if printed is None and level1:
        name, score = closest(level1, LEVEL1)
        printed = name if score >= FUZZY_MIN else None
    parent = LEVEL2_PARENT.get(std2 or "")
    cost_block = printed == "成本指标" and std2 == "成本指标"
    if level1 and parent and printed != parent and not cost_block:
        warnings.append(f"level1 {level1} is printed over level2 {level2}, a {parent} name")
    if printed or not parent:
        return printed
    if not level1:
        repairs.append(f"level1_std inferred from level2 {level2}")
    return parent
