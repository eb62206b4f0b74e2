"""DfT codes of the coded fields the driver analyses read, whatever form the Dataset holds them in.

The reader gives labelled categoricals ("Turning right"); the rules compare DfT codes (9), so each
category is looked up once in the shipped code list and every row takes its category's code with
numpy. A column of plain numbers is taken as codes already. Missing, unknown and absent columns are -1.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import pandas as pd

from ..io.code_list import code_labels

#: Manoeuvre codes after folding both generations together: 16-18 (going ahead on a bend or other,
#: before 2021) and 19 (going ahead, from 2021) are all GOING_AHEAD.
GOING_AHEAD = 19


def column_of(table: pd.DataFrame, names: Sequence[str]) -> Optional[str]:
    """The first of ``names`` the table has (the current field name first, then its ``_historic`` one)."""
    return next((n for n in names if n in table.columns), None)


def dft_codes(table: pd.DataFrame, kind: str, names: Sequence[str]) -> np.ndarray:
    """The DfT code of each row of the first of ``names`` present in ``table`` (``kind``: "vehicle",
    "collision", "casualty", the code list's table), as int64; -1 where missing, unknown ("unknown (self
    reported)" is kept as its code, 9 or 99) or where the table has none of the columns."""
    name = column_of(table, names)
    if name is None:
        return np.full(len(table), -1, dtype=np.int64)
    s = table[name]
    if not isinstance(s.dtype, pd.CategoricalDtype) and not pd.api.types.is_numeric_dtype(s.dtype):
        s = s.astype("category")  # labels as text (a frame built by hand): look each distinct one up once
    if isinstance(s.dtype, pd.CategoricalDtype):
        by_label = {label.lower(): int(code) for code, label in code_labels(kind, name).items()
                    if code.lstrip("-").isdigit()}
        cats = s.cat.categories
        if pd.api.types.is_numeric_dtype(cats.dtype):
            per_category = np.asarray(cats, dtype=np.int64)
        else:
            per_category = np.array([by_label.get(str(c).lower(), _as_int(c)) for c in cats], dtype=np.int64)
        codes = s.cat.codes.to_numpy()
        return np.where(codes >= 0, per_category[np.maximum(codes, 0)] if len(cats) else -1, -1).astype(np.int64)
    values = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.nan_to_num(values, nan=-1).astype(np.int64)


def _as_int(label: object) -> int:
    try:
        return int(str(label))
    except ValueError:
        return -1


def manoeuvre_codes(vehicles: pd.DataFrame) -> np.ndarray:
    """Vehicle manoeuvre codes with both generations folded (16-19 -> GOING_AHEAD), -1 when missing or unknown."""
    m = dft_codes(vehicles, "vehicle", ("vehicle_manoeuvre", "vehicle_manoeuvre_historic"))
    m = np.where((m >= 16) & (m <= 19), GOING_AHEAD, m)
    return np.where(m == 99, -1, m)


def impact_codes(vehicles: pd.DataFrame) -> np.ndarray:
    """First point of impact: 0 did not impact, 1 front, 2 back, 3 offside, 4 nearside; -1 missing or unknown."""
    p = dft_codes(vehicles, "vehicle", ("first_point_of_impact",))
    return np.where((p >= 0) & (p <= 4), p, -1)
