"""Stage 5, BlockRows -> Rows: the indicator rows. Lines that hold no indicator are dropped (an
empty line, the 总分 / 合计 line, the headings repeated inside the block, a line printed across
the block); a merged 一级/二级 label and a row that a page break split in two are joined back;
in loose grids a 三级 printed over two rows is joined."""

from __future__ import annotations

from dataclasses import replace

from .stage_records import EXTRA_ROLES, LEVEL_ROLES, ROLES, BlockRow, BlockRows, Rows
from .vocabulary import TOTAL_ROW_WORDS, header_key, header_role, is_level_name


def block_rows_to_rows(rows: BlockRows) -> Rows:
    grid = rows.grid
    blocks = []
    for block in rows.blocks:
        found = [row.copy() for row in block.rows if _holds_an_indicator(row)]
        cut = join_labels_split_by_break(found, grid.seams)
        found = join_rows_split_by_break(found, grid.seams, cut)
        if grid.loose:
            found = join_split_names(found)
        blocks.append(replace(block, rows=found))
    return Rows(grid, blocks)


def _holds_an_indicator(row: BlockRow) -> bool:
    texts = row.texts
    if not any(texts.values()) or _is_total_row(texts) or _is_printed_across(row):
        return False
    return not all(header_role(t) == role for role, t in texts.items() if t)  # headings again


def _is_printed_across(row: BlockRow) -> bool:
    """A line printed in one cell across the 三级 and its target (a note under the table, a
    section's title): no indicator has its target in its name's cell."""
    name, target = row.cells["level3"], row.cells["target"]
    return any(cell is other for cell in name for other in target)


def _is_total_row(texts: dict[str, str]) -> bool:
    """The 总分 / 合计 line under a self-evaluation's indicators."""
    first = next((texts[r] for r in LEVEL_ROLES if texts[r]), "")
    return header_key(first) in TOTAL_ROW_WORDS


def join_labels_split_by_break(rows: list[BlockRow], seams: list[int]) -> set[int]:
    """A merged 一级/二级 label too long for the space left on a page prints its first characters
    before the break and the rest after it ("产" | "出指标", "社会效益" | "指标"): when the
    two halves make a vocabulary name, every row of the block gets the whole name. The grid
    rows after a break whose label's halves stand beside that row and the row before only."""
    beside_two = set()
    for k, row in enumerate(rows):
        if k == 0 or row.index not in seams:
            continue
        for role in ("level1", "level2"):
            head, tail = rows[k - 1].texts[role], row.texts[role]
            if head and tail and _cut_name(head, tail):
                if _label_of_two_rows(rows, k, role, head, tail):
                    beside_two.add(row.index)
                _rename_block(rows, k - 1, role, head, -1, head + tail)
                _rename_block(rows, k, role, tail, +1, head + tail)
    return beside_two


def _cut_name(head: str, tail: str) -> bool:
    """The two halves make a level's name, and one of them is none (a name whose first half is
    one too, 社会效益 | 指标, is cut when the rest is no name of its own)."""
    return is_level_name(head + tail) and not (is_level_name(head) and is_level_name(tail))


def _label_of_two_rows(rows: list[BlockRow], k: int, role: str, head: str, tail: str) -> bool:
    alone_before = k < 2 or rows[k - 2].texts[role] != head
    alone_after = k + 1 >= len(rows) or rows[k + 1].texts[role] != tail
    return alone_before and alone_after


def _rename_block(rows: list[BlockRow], k: int, role: str, old: str, step: int, new: str) -> None:
    while 0 <= k < len(rows) and rows[k].texts[role] == old:
        rows[k].texts[role] = new
        rows[k].repairs.append(f"{role} joined across page break: {old}")
        k += step


def join_rows_split_by_break(
    rows: list[BlockRow], seams: list[int], label_cut: frozenset[int] | set[int] = frozenset()
) -> list[BlockRow]:
    """A row whose wrapped text a page break split arrives as two rows: the part after the break
    lacks its 三级 or its target, and its level cells hold nothing or word fragments; or (rows
    in `label_cut`: a label the break cut stands beside it and the row before only) it holds
    the rest of the 三级 and the target, but none of the one-line cells the row before fills
    (its 性质, its 分值), which the break did not cut."""
    out: list[BlockRow] = []
    for row in rows:
        prev = out[-1] if out else None
        if prev is not None and row.index in seams and (
            _continues_split_row(prev, row)
            or (row.index in label_cut and _lacks_cells_of(prev, row))
        ):
            _append_text(prev, row)
            prev.repairs.append(f"row joined across page break: grid rows {prev.index}+{row.index}")
            prev.repairs.extend(row.repairs)
            prev.warnings.extend(row.warnings)
        else:
            if prev is not None and row.index in seams and _blank_under_level(prev, row):
                row.warnings.append(_CUT_ROW_DOUBT)
            out.append(row)
    return out


_CUT_ROW_DOUBT = ("the first row after a page break leaves blank a level the row before prints in "
                  "a cell of its own: it may be the rest of that row, cut by the break; check "
                  "against the page")


def _blank_under_level(prev: BlockRow, row: BlockRow) -> bool:
    """`row` leaves a level blank that `prev` prints, no merged cell carrying it over the break."""
    return any(prev.texts[role] and not row.texts[role] for role in ("level1", "level2"))


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


def _lacks_cells_of(prev: BlockRow, row: BlockRow) -> bool:
    """`row` fills fewer of the columns beyond the 三级 and the target than `prev`, and none
    `prev` leaves empty."""
    before = {r for r in EXTRA_ROLES if prev.has(r)}
    after = {r for r in EXTRA_ROLES if row.has(r)}
    return after < before


def _append_text(prev: BlockRow, row: BlockRow) -> None:
    for role in ROLES:
        new = [c for c in row.cells[role] if c not in prev.cells[role]]
        if new and row.texts[role] != prev.texts[role]:
            prev.texts[role] += "".join(c.text for c in new)
            prev.cells[role].extend(new)


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


def is_fragment_of_next(row_texts: dict, next_texts: dict) -> bool:
    """A 三级 printed over two rows of an OCR'd grid: the first row carries the block's level
    label and no target, the next the rest of the name and the target and no level. A row with
    no level and no target is an indicator with no target printed, not a fragment: words alone
    never join two rows."""
    return (
        bool(row_texts["level3"])
        and not row_texts["target"]
        and bool(row_texts["level1"] or row_texts["level2"])
        and bool(next_texts["level3"])
        and bool(next_texts["target"])
        and not next_texts["level1"]
        and not next_texts["level2"]
    )
