"""The DfT data guide's code list (2024 edition, shipped): code -> label for every coded STATS19 field."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .data_files import data_path


@lru_cache(maxsize=None)
def _code_list() -> pd.DataFrame:
    return pd.read_csv(data_path("stats19", "dft_code_list_2024.csv"), dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def code_labels(table: str, field_name: str) -> dict[str, str]:
    """Code (as written in the guide, e.g. "35" or "E10000003") -> label, for one field."""
    codes = _code_list()
    rows = codes[(codes["table"] == table) & (codes["field name"] == field_name) & (codes["code/format"] != "")]
    return dict(zip(rows["code/format"], rows["label"]))
