"""A reclassification step as the counts use it: serious records before the switch, on the injury-based basis."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Step:
    """An estimated reclassification step: serious records before ``switch`` are multiplied by
    ``rate_ratio`` to put them on the injury-based basis; ``log_variance`` is Var(log rate_ratio)."""

    switch: pd.Timestamp
    rate_ratio: float
    log_variance: float
    label: str
