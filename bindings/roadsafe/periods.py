"""Reporting periods and counts by severity per period (the start of the KSI tables)."""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Period = Literal["month", "quarter", "calendar_year", "financial_year"]
_SEVERITIES = ("fatal", "serious", "slight")


def financial_year_label(start_year: int) -> str:
    """April-March years are labelled "2012-13"."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def period_index(dates: pd.Series, by: Period) -> pd.PeriodIndex:
    """Each date's reporting period. Financial years run April to March (pandas' Q-MAR years)."""
    freq = {"month": "M", "quarter": "Q", "calendar_year": "Y", "financial_year": "Y-MAR"}[by]
    return pd.PeriodIndex(dates, freq=freq)


def period_label(p: pd.Period, by: Period) -> str:
    if by == "financial_year":
        return financial_year_label(p.year - 1)  # the Y-MAR period "2013" runs April 2012 to March 2013
    if by == "calendar_year":
        return str(p.year)
    return str(p)


def ksi_table(ds, by: Period = "financial_year", unit: Literal["collision"] = "collision") -> pd.DataFrame:
    """Collisions by severity per period: fatal, serious, slight and ksi (killed or seriously injured).

    Every period between the first and last date appears, with zeros where nothing happened.
    ``partial`` marks periods that the data covers only in part (at the edges of the data).
    """
    if unit != "collision":
        raise ValueError("only unit='collision' is available so far")
    df = ds.collisions
    dates = df["date"]
    known = dates.notna()
    periods = period_index(dates[known], by)
    severity = df.loc[known, "collision_severity"].astype(object).str.lower()
    counts = pd.crosstab(periods, severity).reindex(columns=list(_SEVERITIES), fill_value=0)
    full = pd.period_range(periods.min(), periods.max(), freq=periods.freq)
    counts = counts.reindex(full, fill_value=0)
    counts.columns.name = None
    counts["ksi"] = counts["fatal"] + counts["serious"]
    first, last = dates.min(), dates.max()
    starts = full.start_time
    ends = full.end_time.normalize()
    counts["partial"] = np.asarray((starts < first.normalize()) | (ends > last.normalize()))
    counts.index = pd.Index([period_label(p, by) for p in full], name=by)
    return counts.astype({s: "int64" for s in (*_SEVERITIES, "ksi")})
