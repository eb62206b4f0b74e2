"""Which days the records cover. Within a collision file's span (its first to its last collision date) a
day without collisions is a true zero; outside every file's span there is no data, and a count there
would be a false zero. The user can state coverage where a file cannot show it (``ds.coverage = ...``).

    coverage_of(ds)                      # [(2015-01-01, 2015-12-31), (2017-01-01, 2017-12-31)]
    covered_fraction(spans, start, end)  # the share of the days start..end the records cover
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

import numpy as np
import pandas as pd

#: Day spans, both ends included, sorted and not overlapping.
Spans = list[tuple[pd.Timestamp, pd.Timestamp]]


def merge_spans(spans: Iterable[tuple[Any, Any]]) -> Spans:
    """Spans as whole days, sorted, with overlapping or touching ones joined."""
    days = sorted((pd.Timestamp(a).normalize(), pd.Timestamp(b).normalize()) for a, b in spans)
    out: Spans = []
    for start, end in days:
        if end < start:
            raise ValueError(f"a coverage span ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
        if out and start <= out[-1][1] + pd.Timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def file_spans(collisions: pd.DataFrame) -> Spans:
    """The span of each collision file (first to last collision date), joined: what the records cover."""
    if "date" not in collisions.columns:
        return []
    dates = pd.to_datetime(collisions["date"])
    ok = dates.notna().to_numpy()
    if not ok.any():
        return []
    if "source_file" in collisions.columns:
        by_file = pd.DataFrame({"file": collisions["source_file"].astype(object).to_numpy()[ok], "date": dates[ok]})
        ranges = by_file.groupby("file", sort=False)["date"].agg(["min", "max"])
        return merge_spans(zip(ranges["min"], ranges["max"]))
    return merge_spans([(dates[ok].min(), dates[ok].max())])


def cut_spans(spans: Spans, start: Optional[pd.Timestamp], end: Optional[pd.Timestamp]) -> Spans:
    """The part of ``spans`` between ``start`` and ``end`` (either open when None)."""
    out: Spans = []
    for a, b in spans:
        a2 = max(a, start.normalize()) if start is not None else a
        b2 = min(b, end.normalize()) if end is not None else b
        if a2 <= b2:
            out.append((a2, b2))
    return out


def covered_days(spans: Spans, start: pd.Timestamp, end: pd.Timestamp) -> int:
    """How many of the days ``start``..``end`` (both included) the spans cover."""
    return sum((b - a).days + 1 for a, b in cut_spans(spans, start, end))


def covered_fraction(spans: Spans, starts: Iterable[pd.Timestamp], ends: Iterable[pd.Timestamp]) -> np.ndarray:
    """For each period ``starts[i]``..``ends[i]`` (days, both included), the share of its days covered."""
    out = []
    for start, end in zip(starts, ends):
        total = (pd.Timestamp(end).normalize() - pd.Timestamp(start).normalize()).days + 1
        out.append(covered_days(spans, pd.Timestamp(start), pd.Timestamp(end)) / total if total > 0 else 0.0)
    return np.asarray(out, dtype=float)


def coverage_of(ds: Any) -> Spans:
    """A Dataset's coverage (its own, or the files' spans), or the spans of a collisions DataFrame."""
    if isinstance(ds, pd.DataFrame):
        return file_spans(ds)
    stated = getattr(ds, "coverage", None)  # anything with a collisions table will do
    return list(stated) if stated is not None else file_spans(ds.collisions)


def describe_spans(spans: Spans) -> str:
    """"1 January 2015 to 31 December 2015; 1 January 2017 to 31 December 2017"."""
    return "; ".join(f"{a:%-d %B %Y} to {b:%-d %B %Y}" for a, b in spans) or "no dated records"
