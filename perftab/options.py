"""Run options, validated once where they are made."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FORMATS = ("parquet", "csv")


class OptionError(ValueError):
    """A bad option value; the message names the option."""


@dataclass(frozen=True)
class ExtractOptions:
    inputs: list[Path]
    outdir: Path = Path("output")
    format: str = "parquet"
    cross_check: bool = False

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise OptionError(f"format: {self.format!r} is not one of {', '.join(FORMATS)}")
        if not self.inputs:
            raise OptionError("inputs: give at least one file or folder")
        missing = [str(p) for p in self.inputs if not p.exists()]
        if missing:
            raise OptionError(f"inputs: no such file or folder: {', '.join(missing)}")
