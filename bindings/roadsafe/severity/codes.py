"""DfT codes from a column of labels or codes: severities, injury-based flags, any coded field."""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from ..io.code_list import code_labels

#: What a count counts: casualties, or collisions (by their worst casualty).
Unit = Literal["casualty", "collision"]


@lru_cache(maxsize=None)
def label_codes(table: str, field_name: str) -> dict[str, int]:
    """Label -> integer code for one field of the data guide (labels of non-integer codes left out)."""
    out: dict[str, int] = {}
    for code, label in code_labels(table, field_name).items():
        try:
            out[label] = int(code)
        except ValueError:
            continue
    return out


_NOT_IN_GUIDE = re.compile(r"^code (-?\d+) \(not in the data guide\)$")


def field_codes(values: pd.Series, table: str, field_name: str) -> np.ndarray:
    """DfT codes (float, NaN = missing) of a labelled categorical or a numeric column."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        lookup = label_codes(table, field_name)
        cats = values.cat.categories
        mapped = []
        for c in cats:
            if c in lookup:
                mapped.append(float(lookup[c]))
            else:
                m = _NOT_IN_GUIDE.match(str(c))
                mapped.append(float(m.group(1)) if m else math.nan)
        table_of_codes = np.asarray(mapped + [math.nan])
        pos = values.cat.codes.to_numpy()
        return table_of_codes[np.where(pos < 0, len(mapped), pos)]
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def injury_based(values: pd.Series, table: str) -> np.ndarray:
    codes = field_codes(values, table, f"{table}_injury_based")
    return codes == 1.0
