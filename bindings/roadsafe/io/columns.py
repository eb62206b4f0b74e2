"""Engine columns -> pandas columns. Numeric columns stay views of the engine's buffers."""
from __future__ import annotations

import numpy as np
import pandas as pd

MISSING_INT = np.iinfo(np.int32).min
_TIME_LABELS = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]


def _text(offsets: np.ndarray, chars: np.ndarray, empty_is_missing: bool = True) -> pd.api.extensions.ExtensionArray:
    """UTF-8 text as an Arrow string array over the engine's buffers; empty = missing (or "")."""
    import pyarrow as pa

    n = len(offsets) - 1
    validity, null_count = None, 0
    if empty_is_missing:
        ends = offsets.view(np.int64)
        valid = ends[1:] != ends[:-1]  # compared in place: no array of lengths
        validity, null_count = pa.py_buffer(np.packbits(valid, bitorder="little")), n - int(np.count_nonzero(valid))
    array = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets.view(np.int64)), pa.py_buffer(chars),
                                             validity, null_count=null_count)
    return pd.array(array, dtype=_string_dtype())


def _string_dtype() -> pd.StringDtype:
    """Arrow-backed text with NaN for missing: pandas 3's default ``str`` dtype, on every supported pandas."""
    try:
        return pd.StringDtype("pyarrow", na_value=np.nan)
    except TypeError:  # pandas 2.2 has no na_value yet and calls the same dtype "pyarrow_numpy"
        return pd.StringDtype("pyarrow_numpy")


def to_pandas_column(kind: str, values) -> object:
    if kind == "float":
        return values  # NaN is missing; a view of the engine buffer
    if kind == "text":
        return _text(*values)
    if kind == "int":
        return pd.arrays.IntegerArray(values, values == MISSING_INT)  # values: a view, mask: computed
    if kind == "category":
        positions, labels = values
        return pd.Categorical.from_codes(positions, categories=pd.Index(labels, dtype=object), validate=False)
    if kind == "date":
        out = values.astype("int64") * np.int64(86_400_000_000_000)
        out[values == MISSING_INT] = np.iinfo(np.int64).min  # NaT
        return out.view("datetime64[ns]")
    if kind == "time":
        codes = np.where(values == MISSING_INT, -1, values).astype(np.int16)
        return pd.Categorical.from_codes(codes, categories=_TIME_LABELS, ordered=True)
    raise ValueError(f"unknown column type {kind!r}")


def to_dataframe(columns: list) -> pd.DataFrame:
    data = {name: to_pandas_column(kind, values) for name, kind, values in columns}
    return pd.DataFrame(data, copy=False)
