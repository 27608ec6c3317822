"""Text folding shared by the normalize stages."""

from __future__ import annotations

import opencc

_T2S = opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified so keys match across regions (raw columns keep the print)."""
    return _T2S.convert(text) if text else text
