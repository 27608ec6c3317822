"""Text folding and number reading shared by the normalize stages (leaves: they call nothing
else of normalize/)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?")


@lru_cache(maxsize=8192)  # the same headings and labels come back on every page
def to_simplified(text: str) -> str:
    """Traditional -> Simplified so keys match across regions (raw columns keep the print)."""
    return to_simplified_uncached(text)


def to_simplified_uncached(text: str) -> str:
    """to_simplified for texts seldom seen twice (targets: filling a cache with them costs more
    than it saves)."""
    return _T2S.convert(text) if text else text


def parse_number(text: str | None) -> float | None:
    """The first number printed in a cell ("86.00", "1,200", "10分", "98%"), else None."""
    if not text:
        return None
    match = _NUMBER.search(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    try:
        return float(Decimal(match.group(0).replace(",", "")))
    except InvalidOperation:
        return None
