"""Stage 6, Rows -> Levels: each indicator row's 一级/二级 as printed, with the vocabulary's names
beside them; a merged cell fills every row it covers, a level carried down where the row above
lends it, a misread name snapped to the vocabulary."""

from __future__ import annotations

from itertools import groupby

from .stage_records import EXTRA_ROLES, ROLES, BlockRow, Entry, Levels, Rows
from .text import to_simplified
from .vocabulary import (
    FUZZY_MIN,
    LEVEL1,
    LEVEL2_ALIASES,
    LEVEL2_PARENT,
    clean_label,
    clean_name,
    closest,
    level1_std,
    level2_std,
    one_slip,
    unwrap,
)


def rows_to_levels(rows: Rows) -> Levels:
    """The entries of every block in table order: a group's blocks (one per place) read row by
    row across the places."""
    grid = rows.grid
    ocr, seams = "ocr" in grid.extractor, tuple(grid.seams)
    entries: list[tuple[str, str | None, Entry]] = []
    for _, group in groupby(rows.blocks, key=lambda block: block.group):
        found = [
            (block.horizon, block.place, entry)
            for block in group
            for entry in resolve_levels(block.rows, grid.loose, ocr=ocr, seams=seams)
        ]
        per_place = any(place is not None for _, place, _ in found)
        entries += sorted(found, key=lambda e: e[2].row) if per_place else found
    return Levels(entries)


def resolve_levels(
    rows: list[BlockRow], loose: bool = False, ocr: bool = False, seams: tuple[int, ...] = ()
) -> list[Entry]:
    """Levels as printed, with their vocabulary names beside them. A merged cell fills every row
    it covers; a blank level cell takes the level of the row above (a level printed once over
    blank cells below it: a merge a loose grid lost or a sheet undid, a category row's 二级, a
    merged cell the page break cut), with a repair saying so, but not a 二级 across a new 一级;
    a blank cell before any level is printed is a level not printed. Only what cannot be a
    printed name is replaced: an OCR misreading one character from the vocabulary, or garbage
    in a loose grid."""
    entries: list[Entry] = []
    context = {"level1": "", "level2": ""}
    above = {"level1": "", "level2": ""}
    for row in rows:
        repairs, warnings = list(row.repairs), list(row.warnings)
        if row.index in seams:
            context = _cut_by_break(row, above, context)
        if not loose and unwrap(row.texts["level1"]) not in ("", context["level1"]):
            context["level2"] = ""  # a new 一级: the 二级 above is not its (a loose grid's
            # 一级 may be a fragment of the merged name, not a new one)
        level2 = _printed(row, "level2", context, repairs)
        if loose or ocr:
            level2 = _repair_level2(level2, context["level2"] if loose else "", repairs, warnings)
        level1 = _printed(row, "level1", context, repairs)
        if loose or ocr:
            level1 = _repair_level1(level1, level2, loose, repairs)
        context.update(level1=level1, level2=level2)  # what blank cells below take
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
