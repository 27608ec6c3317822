"""The text of a .txt/.tsv, Markdown or HTML file, whatever encoding it was saved in.

In order: a byte order mark (UTF-8, UTF-16, UTF-32); UTF-16 without one (Excel's "Unicode
text" export: its tabs and line ends are NUL bytes in one column of every other byte, which no
8-bit encoding has); UTF-8; the charset an HTML page declares; UTF-8 with a few damaged bytes,
each read as U+FFFD and the rows holding one warned about; and else a Chinese encoding as
charset-normalizer judges it from the text. GB18030 accepts almost any bytes, so a guess is
taken only when one Chinese encoding family fits: a file that reads as GB18030 and as Big5
alike is refused with a message rather than read as garbage.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from .errors import UnreadableDocument
from .grid import Grid

REPLACED = "\ufffd"
# A text whose valid non-ASCII characters outnumber its damaged bytes this many times over is
# UTF-8 with damage; text in another encoding read as UTF-8 has more damaged bytes than valid
# characters (a GBK table: about six damaged bytes to one chance character).
UTF8_VALID_PER_DAMAGED = 10
NUL_SHARE_ONE_COLUMN = 0.9  # UTF-16: nearly every NUL byte in the same column (odd or even)
SAMPLE_BYTES = 64 * 1024
# charset-normalizer's names, by the family whose text they read
FAMILIES = {
    "gb18030": "GB18030", "gbk": "GB18030", "gb2312": "GB18030", "hz": "GB18030",
    "big5": "Big5", "big5hkscs": "Big5", "cp950": "Big5",
}  # fmt: skip
FAMILY_CODECS = {"GB18030": "gb18030", "Big5": "big5hkscs"}  # each family's widest codec
DECODING_HINT = "save it as UTF-8 (in Excel: Save As, CSV UTF-8 or Unicode Text) and retry"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    damaged: int = 0  # bytes that were not valid in it, each read as U+FFFD


def decode_file(path: Path, declared: str = "") -> Decoded:
    return decode_bytes(path, path.read_bytes(), declared)


def decode_bytes(source: Path | str, data: bytes, declared: str = "") -> Decoded:
    """`data` as text; `declared` is the encoding the file names for itself (HTML's charset)."""
    encoding = bom_encoding(data) if data.startswith(BOMS) else utf16_without_bom(data)
    declared = "gb18030" if FAMILIES.get(declared.lower()) == "GB18030" else declared
    for candidate in filter(None, [encoding, "utf-8", declared]):
        try:
            return Decoded(data.decode(codecs.lookup(candidate).name), candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return _damaged_utf8(data) or _guessed(source, data)


BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE,
        codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # fmt: skip


def bom_encoding(data: bytes) -> str:
    """The UTF-16 or UTF-32 of a text starting with its byte order mark (Excel's and Notepad's
    "Unicode text" is UTF-16 with one), else UTF-8 (its BOM, if any, dropped)."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be for a text whose NUL bytes stand nearly all in one column: the
    ASCII of a UTF-16 text (tabs, line ends, digits) has a NUL beside every byte."""
    sample = data[: SAMPLE_BYTES - SAMPLE_BYTES % 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if even + odd == 0:
        return None
    if odd >= NUL_SHARE_ONE_COLUMN * (even + odd):
        return "utf-16-le"
    if even >= NUL_SHARE_ONE_COLUMN * (even + odd):
        return "utf-16-be"
    return None


def as_utf8_head(head: bytes) -> bytes:
    """The first bytes of a text file as UTF-8 without a BOM, for telling its kind by them."""
    encoding = bom_encoding(head) if head.startswith(BOMS) else utf16_without_bom(head)
    if encoding and encoding != "utf-8-sig":
        head = head.decode(encoding, "ignore").encode("utf-8")
    return head.removeprefix(codecs.BOM_UTF8)


def _damaged_utf8(data: bytes) -> Decoded | None:
    text = data.decode("utf-8", "replace")
    damaged = text.count(REPLACED) - data.count(REPLACED.encode("utf-8"))
    valid = sum(1 for c in text if ord(c) > 0x7F) - text.count(REPLACED)
    if valid < UTF8_VALID_PER_DAMAGED * damaged:
        return None
    return Decoded(text.removeprefix("\ufeff"), "utf-8", damaged)


def _guessed(source: Path | str, data: bytes) -> Decoded:
    """A Chinese encoding: the one family that reads the bytes at all, or, when both do
    (GB18030 reads almost any bytes), the family charset-normalizer judges best; a judgement
    of anything else is too weak to read the file by."""
    reading = {family: text for family, name in FAMILY_CODECS.items()
               if (text := _strictly(data, name)) is not None}  # fmt: skip
    if not reading:
        raise UnreadableDocument(
            source, "text in an unknown encoding (not UTF-8, UTF-16, GB18030 or Big5)",
            hint=DECODING_HINT,
        )
    if len(reading) == 1:
        ((family, text),) = reading.items()
        return Decoded(text, FAMILY_CODECS[family])
    best = _judged_best(data)
    if best in FAMILIES:
        return Decoded(reading[FAMILIES[best]], best)
    raise UnreadableDocument(
        source, "text in an uncertain encoding: it reads as " + " and as ".join(reading)
        + " alike", hint=DECODING_HINT,
    )


def _strictly(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _judged_best(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return best.encoding if best else None


def mark_damaged(grids: list[Grid], decoded: Decoded) -> None:
    """A warning on each row holding a byte that was not valid in the text's encoding (on the
    first row when it is in the lines before the table), so that no such row passes unseen."""
    if not decoded.damaged:
        return
    note = f"a byte not valid in {decoded.encoding} read as {REPLACED}: check this row"
    for grid in grids:
        rows = [r for r in range(len(grid.rows)) if REPLACED in "".join(grid.row_texts(r))]
        if any(REPLACED in line.text for line in grid.context) and 0 not in rows:
            grid.warnings.setdefault(0, []).append(
                f"a byte not valid in {decoded.encoding} read as {REPLACED} in the lines "
                "before the table"
            )
        for r in rows:
            grid.warnings.setdefault(r, []).append(note)
