"""perftab: budget performance target tables (绩效目标表) to canonical Parquet/CSV.

    extract(paths, **options)  files and folders -> pandas DataFrames (tables, indicators,
                               fields, checks, files), as `perftab extract` would write them
    read(outdir, name)         an output back as a pandas DataFrame, typed as documented
    read_output(outdir, name)  an output dataset back as an Arrow table, typed as documented
    extract_file(path)         one document -> a FileResult with its tables and indicators
    parse_target(text)         a target such as ≥350人次 -> operator, value, unit

Each is imported on first use: `import perftab` stays cheap (pandas, pyarrow, pdfplumber and
the OCR models load only with the function that needs them).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__all__ = [
    "Extraction", "__version__", "extract", "extract_file", "parse_target", "read", "read_output",
]

_LAZY = {
    "read": "perftab.api",
    "Extraction": "perftab.api",
    "read_output": "perftab.writers",
    "extract_file": "perftab.pipeline",
    "parse_target": "perftab.normalize.targets",
}

if TYPE_CHECKING:
    from perftab.api import Extraction, extract, read  # extract: the package, called
    from perftab.normalize.targets import parse_target
    from perftab.pipeline import extract_file
    from perftab.writers import read_output

    __version__: str


def __getattr__(name: str):
    if name == "__version__":
        globals()[name] = _installed_version()
        return globals()[name]
    if name == "extract":
        return import_module("perftab.extract")  # importing it binds it here
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'perftab' has no attribute {name!r}")


def _installed_version() -> str:
    """The installed distribution's version (pyproject.toml is its one source)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("perftab")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
