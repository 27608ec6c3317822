"""Python values -> Arrow arrays, laid out in their buffers here.

pyarrow's own conversion (`pa.array`, `Table.from_pylist`) imports pandas the first time it
runs, to ask whether the values are a pandas object: a third of a second of a run that reads
one PDF, for a library perftab does not use there. The record columns are of five kinds (text,
whole numbers, numbers, yes/no, lists of text: rows.py `_ARROW_TYPES`), each simple to lay out
by hand. A value of any other Python type, or a column too large for 32-bit offsets, is left to
`pa.array`, which converts it or says why not, as it always did.
"""

from __future__ import annotations

from array import array
from itertools import accumulate

import numpy as np
import pyarrow as pa

_OFFSET_LIMIT = 2**31 - 1  # pa.string() and pa.list_() count their bytes and items in int32
_STRING = pa.string()
_FIXED = {pa.int64(): (int, "q"), pa.float64(): (float, "d")}  # type -> (Python type, typecode)


def to_array(values: list, arrow_type: pa.DataType) -> pa.Array:
    """`pa.array(values, arrow_type)`, the same array, without pyarrow's conversion when the
    values are of the column's own Python type."""
    built = _laid_out(values, arrow_type)
    return built if built is not None else pa.array(values, arrow_type)


def _laid_out(values: list, arrow_type: pa.DataType) -> pa.Array | None:
    if arrow_type == _STRING:
        return _strings(values)
    if arrow_type in _FIXED:
        return _fixed(values, arrow_type)
    if arrow_type == pa.bool_():
        return _bools(values)
    if pa.types.is_list(arrow_type) and arrow_type.value_type == _STRING:
        return _string_lists(values)
    return None


def _validity(values: list) -> tuple[pa.Buffer | None, int]:
    """The validity bitmap (None when no value is missing) and the count of missing values."""
    present = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    missing = len(values) - int(present.sum())
    if not missing:
        return None, 0
    return pa.py_buffer(np.packbits(present, bitorder="little")), missing


def _strings(values: list) -> pa.Array | None:
    if not all(v is None or isinstance(v, str) for v in values):
        return None
    try:
        encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    except UnicodeEncodeError:  # a lone surrogate: pyarrow says what is wrong with it
        return None
    offsets = array("i", [0])
    total = sum(len(b) for b in encoded)
    if total > _OFFSET_LIMIT:
        return None
    offsets.extend(accumulate(len(b) for b in encoded))
    validity, missing = _validity(values)
    buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(_STRING, len(values), buffers, missing)


def _fixed(values: list, arrow_type: pa.DataType) -> pa.Array | None:
    kind, typecode = _FIXED[arrow_type]
    if not all(v is None or type(v) is kind for v in values):
        return None
    try:
        data = array(typecode, [kind() if v is None else v for v in values])
    except OverflowError:  # a whole number past int64: pyarrow says so
        return None
    validity, missing = _validity(values)
    return pa.Array.from_buffers(arrow_type, len(values), [validity, pa.py_buffer(data)], missing)


def _bools(values: list) -> pa.Array | None:
    if not all(v is None or type(v) is bool for v in values):
        return None
    bits = np.fromiter((v is True for v in values), dtype=bool, count=len(values))
    validity, missing = _validity(values)
    data = pa.py_buffer(np.packbits(bits, bitorder="little"))
    return pa.Array.from_buffers(pa.bool_(), len(values), [validity, data], missing)


def _string_lists(values: list) -> pa.Array | None:
    if not all(v is None or isinstance(v, list) for v in values):
        return None
    items = [item for v in values if v is not None for item in v]
    if len(items) > _OFFSET_LIMIT or (child := _strings(items)) is None:
        return None
    offsets = array("i", [0])
    offsets.extend(accumulate(0 if v is None else len(v) for v in values))
    validity, missing = _validity(values)
    return pa.Array.from_buffers(pa.list_(_STRING), len(values), [validity, pa.py_buffer(offsets)],
                                 missing, children=[child])
