"""Weighting collisions: by a column, an array, or cost (DfT's average value of prevention by severity)."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd

from ..io.data_files import data_path
from ..io.fields import severity_names


def collision_weights(df: pd.DataFrame, weight: Any) -> Optional[np.ndarray]:
    """One weight per collision from an array, a column name or "cost" (value of prevention by severity);
    None for no weights. Missing weights count 0."""
    if weight is None:
        return None
    if isinstance(weight, str):
        if weight == "cost":
            costs = value_of_prevention()
            sev = severity_names(df)
            return np.array([costs.get(s, 0.0) for s in sev], dtype=float)
        weight = df[weight]
    w = np.asarray(pd.to_numeric(pd.Series(np.asarray(weight)), errors="coerce"), dtype=float)
    if w.shape != (len(df),):
        raise ValueError(f"weight must have one value per collision ({len(df)}), got shape {w.shape}")
    return np.where(np.isfinite(w), w, 0.0)


def value_of_prevention() -> dict[str, float]:
    """DfT's average value of prevention per reported road collision by severity (GBP, the shipped
    table's price year; see ``datasets/costs/README.md``)."""
    table = pd.read_csv(data_path("costs", "dft_value_of_prevention.csv"))
    return {str(s).lower(): float(v) for s, v in zip(table["severity"], table["value_gbp"])}


def price_year() -> int:
    """The price year of the shipped value-of-prevention table."""
    return int(pd.read_csv(data_path("costs", "dft_value_of_prevention.csv"))["price_year"].iloc[0])
