"""A text layer's characters (pdfplumber's char dicts, PDFium's alike) as a cell's text."""

from __future__ import annotations

import pdfplumber

from .grid import BBox, cell_lines_text

TOLERANCE = 3  # points: pdfplumber's x and y tolerance between characters of a word, a line
# pdfplumber's word extractor writes these ligatures out
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def chars_to_text(chars: list[dict]) -> str:
    if not chars:
        return ""
    if all(ch["upright"] for ch in chars):
        text = upright_text(chars)
    else:  # turned text: pdfplumber's own reading directions
        text = pdfplumber.utils.extract_text(chars, x_tolerance=TOLERANCE, y_tolerance=TOLERANCE)
    return cell_lines_text(text.split("\n"))


def upright_text(chars: list[dict]) -> str:
    """What pdfplumber's `extract_text(chars, x_tolerance=3, y_tolerance=3)` gives for upright
    characters, step for step without its generality (it was most of a page's time): lines
    clustered by top, each sorted left to right and cut into words at a space or a gap, the
    words clustered into lines again by their tops."""
    words: list[tuple[float, str]] = []
    for line in _cluster(chars, lambda ch: ch["top"]):
        line.sort(key=lambda ch: ch["x0"])
        word: list[dict] = []
        for ch in line:
            if ch["text"].isspace():
                _end_word(word, words)
                word = []
            elif word and _begins_word(word[-1], ch):
                _end_word(word, words)
                word = [ch]
            else:
                word.append(ch)
        _end_word(word, words)
    lines = _cluster(words, lambda w: w[0])
    return "\n".join(" ".join(w[1] for w in line) for line in lines)


def _begins_word(prev: dict, ch: dict) -> bool:
    x0 = ch["x0"]
    across = x0 < prev["x0"] or x0 > prev["x1"] + TOLERANCE
    return across or abs(ch["top"] - prev["top"]) > TOLERANCE


def _end_word(word: list[dict], words: list[tuple[float, str]]) -> None:
    if word:
        text = "".join(LIGATURES.get(ch["text"], ch["text"] or "") for ch in word)
        words.append((min(ch["top"] for ch in word), text))


def _cluster(items: list, key) -> list[list]:
    """pdfplumber's `cluster_objects`: the distinct keys sorted and chained while each is
    within the tolerance of the one before; the items in cluster order, stable within one."""
    values = sorted({key(item) for item in items})
    index: dict[float, int] = {}
    cluster, last = 0, None
    for v in values:
        if last is not None and v > last + TOLERANCE:
            cluster += 1
        index[v] = cluster
        last = v
    out: list[list] = [[] for _ in range(cluster + 1)] if values else []
    for item in items:
        out[index[key(item)]].append(item)
    return out


def text_indent(box: BBox, chars: list[dict]) -> float | None:
    """How far the first line's text starts from the cell's left edge: tree tables tell a row's
    depth by it."""
    printed = [ch for ch in chars if ch["text"].strip()]
    if not printed:
        return None
    first_top = min(ch["top"] for ch in printed)
    height = max(ch["bottom"] - ch["top"] for ch in printed)
    first_line = [ch for ch in printed if ch["top"] < first_top + height / 2]
    return round(min(ch["x0"] for ch in first_line) - box[0], 1)
