"""Engine columns -> pandas columns. Numeric columns stay views of the engine's buffers."""
from __future__ import annotations

import numpy as np
import pandas as pd

MISSING_INT = np.iinfo(np.int32).min
_TIME_LABELS = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]


def _categorical(codes: np.ndarray, labels: list[tuple[int, str]]) -> pd.Categorical:
    """DfT codes -> a Categorical labelled from the code list. Codes the list lacks stay visible."""
    known = dict(labels)
    present = np.unique(codes[codes != MISSING_INT])
    extra = [int(c) for c in present if int(c) not in known]
    all_codes = sorted(known) + sorted(extra)
    names = [known[c] if c in known else f"code {c} (not in the data guide)" for c in all_codes]
    positions = np.full(codes.shape, -1, dtype=np.int32)
    if len(all_codes):
        table = np.asarray(all_codes, dtype=np.int64)
        idx = np.searchsorted(table, codes.astype(np.int64))
        idx = np.clip(idx, 0, len(table) - 1)
        valid = (codes != MISSING_INT) & (table[idx] == codes)
        positions[valid] = idx[valid]
    return pd.Categorical.from_codes(positions, categories=pd.Index(names, dtype=object))


def to_pandas_column(kind: str, values: np.ndarray, labels) -> object:
    if kind == "float":
        return values  # NaN is missing; a view of the engine buffer
    if kind == "text":
        return values
    if kind == "int":
        return pd.arrays.IntegerArray(values, values == MISSING_INT)  # values: a view, mask: computed
    if kind == "category":
        return _categorical(values, labels or [])
    if kind == "date":
        out = values.astype("int64") * np.int64(86_400_000_000_000)
        out[values == MISSING_INT] = np.iinfo(np.int64).min  # NaT
        return out.view("datetime64[ns]")
    if kind == "time":
        codes = np.where(values == MISSING_INT, -1, values).astype(np.int16)
        return pd.Categorical.from_codes(codes, categories=_TIME_LABELS, ordered=True)
    raise ValueError(f"unknown column type {kind!r}")


def to_dataframe(columns: list) -> pd.DataFrame:
    data = {name: to_pandas_column(kind, values, labels) for name, kind, values, labels in columns}
    return pd.DataFrame(data, copy=False)
