"""The board's performance block: where the counts stand now against the obvious comparisons.

    rs.performance_summary(ds)                                   # as of the end of the data
    rs.performance_summary(ds, as_of="2017-09-30", baseline=["2012-13", "2013-14", "2014-15"])

Rows, for each measure (fatal, serious, slight, ksi; with ``adjusted=True`` also serious_adjusted and
ksi_adjusted):

- rolling 12 months vs the previous 12 months: (as_of - 12 months, as_of] against the 12 months before;
- financial year to date vs the same period last year: 1 April .. as_of against the same dates a year
  earlier;
- current year vs the previous year, and vs the average of the 3 years before it: the current year is
  the last complete year (financial by default, ``year="calendar_year"`` for calendar years) ending on
  or before as_of;
- current year vs a baseline of the user's choice (``baseline=``): a year label ("2012-13" or "2013"),
  a list of year labels (their average), or a (first day, last day) pair of dates (its total scaled to
  the current year's length).

The tests (methods.md section 4.3). Every row reports z = (x - S/k) / sqrt(V_x + V_S / k^2), with x the
current count, S the reference total over k periods and V their variances, and the rate ratio x/(S/k)
with its interval. The p-value (column ``test`` names it):
- collision counts are Poisson: the exact conditional test, x | x + S ~ Binomial(x + S, 1/(1 + k))
  (twice the smaller tail), which stays honest for the small counts of fatal or group tables;
- casualty counts account for multi-casualty collisions: the z test with V = sum over collisions of
  n_j^2 (compound Poisson), i.e. the over-dispersion phi = sum n_j^2 / sum n_j of methods.md section
  4.2 times the count; adjusted counts add the reclassification variance sum a(1-a).
The verdict is "higher" or "lower" when the two-sided p-value is below 1 - confidence, else
"comparable"; a comparison whose periods the records do not fully cover (``ds.coverage``) says "not
covered" instead, and gives no numbers (NaN): a count over days with no data is not a count.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ..io.coverage import coverage_of, covered_fraction
from .groups import select_groups
from ..severity.published import has_adjusted
from ..severity.reclassification import reclassification_effect
from ..severity.step import Step
from .periods import ADJUSTED_MEASURES, MEASURES, Unit, _Prepared, _trends_engine, financial_year_label

Baseline = Union[None, str, int, Sequence[Union[str, int]], tuple]


@dataclass(frozen=True)
class Window:
    """An inclusive range of days [start, end], ``periods`` = how many reporting periods it spans."""
    start: pd.Timestamp
    end: pd.Timestamp
    label: str
    periods: float = 1.0


def default_as_of(ds) -> pd.Timestamp:
    """The last day of the last month the data cover to its end."""
    last = ds.collisions["date"].dropna().max().normalize()
    month_end = last + pd.offsets.MonthEnd(0)
    return last if last == month_end else last - pd.offsets.MonthEnd(1)


def _year_window(start_year: int, year: str) -> Window:
    if year == "financial_year":
        return Window(pd.Timestamp(start_year, 4, 1), pd.Timestamp(start_year + 1, 3, 31),
                      financial_year_label(start_year))
    return Window(pd.Timestamp(start_year, 1, 1), pd.Timestamp(start_year, 12, 31), str(start_year))


def _current_year_start(as_of: pd.Timestamp, year: str) -> int:
    """Start year of the last complete year ending on or before as_of."""
    if year == "financial_year":
        y = as_of.year if as_of >= pd.Timestamp(as_of.year, 3, 31) else as_of.year - 1  # FY ending 31 March y
        return y - 1
    return as_of.year if as_of >= pd.Timestamp(as_of.year, 12, 31) else as_of.year - 1


def _parse_year_label(label: Union[str, int]) -> tuple[int, str]:
    text = str(label).strip()
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        start = int(text[:4])
        if (start + 1) % 100 != int(text[5:]):
            raise ValueError(f"financial year labels look like '2012-13'; got {label!r}")
        return start, "financial_year"
    if text.isdigit() and len(text) == 4:
        return int(text), "calendar_year"
    raise ValueError(f"a baseline year is a financial year like '2012-13' or a calendar year like '2013'; got {label!r}")


def _is_date_pair(baseline: Baseline) -> bool:
    if not isinstance(baseline, tuple) or len(baseline) != 2:
        return False
    try:
        [_parse_year_label(b) for b in baseline]
        return False
    except ValueError:
        return True


def baseline_window(baseline: Baseline, current: Window) -> tuple[list[Window], float, str]:
    """The windows of a baseline, how many current-year lengths they span, and a label."""
    if _is_date_pair(baseline):
        start, end = (pd.Timestamp(b).normalize() for b in baseline)  # type: ignore[union-attr]
        if end < start:
            raise ValueError(f"the baseline ends before it starts: {baseline!r}")
        days = (end - start).days + 1
        k = days / ((current.end - current.start).days + 1)
        return [Window(start, end, f"{start:%Y-%m-%d} to {end:%Y-%m-%d}")], k, f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
    if baseline is None:
        raise ValueError("no baseline given")
    labels = [baseline] if isinstance(baseline, (str, int)) else list(baseline)
    if not labels:
        raise ValueError("the baseline is empty")
    windows = [_year_window(*_parse_year_label(x)) for x in labels]
    label = windows[0].label if len(windows) == 1 else f"{windows[0].label} to {windows[-1].label} (average)"
    return windows, float(len(windows)), label


def _window_sums(events: pd.DataFrame, windows: Sequence[Window], measure: str,
                 step: Optional[Step] = None) -> tuple[float, float]:
    dates = events["date"].to_numpy(dtype="datetime64[ns]")
    inside = np.zeros(len(events), dtype=bool)
    for w in windows:
        inside |= (dates >= w.start.to_datetime64()) & (dates <= w.end.to_datetime64())
    values = events[measure].to_numpy(dtype=float)[inside]
    variance = float(np.sum(values ** 2))
    if measure.endswith("_adjusted"):
        variance += float(events["adjusted_variance"].to_numpy(dtype=float)[inside].sum())
    if step is not None and measure in ("serious_adjusted", "ksi_adjusted"):
        # The step is one estimate for every record before the switch: its variance enters as
        # (records before the switch)^2 * Var(rate ratio), Var(rr) = rr^2 Var(log rr) (delta method).
        moved = float(events["step_share"].to_numpy(dtype=float)[inside].sum())
        variance += moved ** 2 * step.rate_ratio ** 2 * step.log_variance
    return float(values.sum()), variance


def _verdict(p_value: float, z: float, alpha: float) -> str:
    if p_value < alpha:
        return "higher" if z > 0 else "lower"
    return "comparable"


def performance_summary(ds, as_of=None, baseline: Baseline = None, unit: Unit = "collision",
                        adjusted: bool = False, groups: Union[None, str, Sequence[str]] = None,
                        measures: Optional[Sequence[str]] = None,
                        year: Literal["financial_year", "calendar_year"] = "financial_year",
                        confidence: float = 0.95, step: Optional[Step] = None,
                        switch_date: Any = None) -> pd.DataFrame:
    """The performance block (see the module notes): one row per measure and comparison.

    Columns: [group, group_basis,] measure, comparison, current_period, reference_period, current,
    reference (the reference level per period: an average over several years), change,
    change_percent, rate_ratio, ratio_lower, ratio_upper, z, p_value, test, verdict. ``attrs`` holds as_of,
    unit, adjusted and confidence.

    ``adjusted=True`` compares on the injury-based basis: with DfT's probabilities where the data carry
    them, else with a reclassification step -- ``step`` if given, else estimated here
    (``rs.reclassification_effect(ds, switch_date)``; ``switch_date`` None estimates the switch too):
    serious records before the switch times the step's rate ratio, the ratio's uncertainty inside every
    test. The adjusted measures are then serious_adjusted and ksi_adjusted; ``attrs["adjusted_basis"]``
    says which basis was used.
    """
    if year not in ("financial_year", "calendar_year"):
        raise ValueError(f"year must be 'financial_year' or 'calendar_year'; got {year!r}")
    as_of = default_as_of(ds) if as_of is None else pd.Timestamp(as_of).normalize()
    if adjusted and step is None and not has_adjusted(ds):
        step = reclassification_effect(ds, switch_date=switch_date, unit=unit).step()
    adjusted_measures = ADJUSTED_MEASURES if step is None else ("serious_adjusted", "ksi_adjusted")
    if measures is None:
        measures = MEASURES + (adjusted_measures if adjusted else ())
    else:
        measures = tuple(measures)
        allowed = MEASURES + (adjusted_measures if adjusted else ())
        bad = [m for m in measures if m not in allowed]
        if bad:
            raise ValueError(f"unknown measure(s) {bad}; choose from {', '.join(allowed)}")
    spans = coverage_of(ds)

    one_year = pd.DateOffset(years=1)
    rolling = Window(as_of - one_year + pd.Timedelta(days=1), as_of, "")
    rolling = Window(rolling.start, rolling.end, f"{rolling.start:%Y-%m-%d} to {rolling.end:%Y-%m-%d}")
    previous = Window(rolling.start - one_year, rolling.start - pd.Timedelta(days=1), "")
    previous = Window(previous.start, previous.end, f"{previous.start:%Y-%m-%d} to {previous.end:%Y-%m-%d}")
    fy_start_year = as_of.year if as_of.month >= 4 else as_of.year - 1
    fytd = Window(pd.Timestamp(fy_start_year, 4, 1), as_of, "")
    fytd = Window(fytd.start, fytd.end, f"{fytd.start:%Y-%m-%d} to {fytd.end:%Y-%m-%d}")
    last_fytd = Window(fytd.start - one_year, fytd.end - one_year, "")
    last_fytd = Window(last_fytd.start, last_fytd.end, f"{last_fytd.start:%Y-%m-%d} to {last_fytd.end:%Y-%m-%d}")
    cy = _current_year_start(as_of, year)
    current_year = _year_window(cy, year)
    prev_years = [_year_window(cy - i, year) for i in (3, 2, 1)]

    comparisons: list[tuple[str, list[Window], list[Window], float, str, str]] = [
        ("rolling 12 months vs previous 12 months", [rolling], [previous], 1.0, rolling.label, previous.label),
        ("financial year to date vs same period last year", [fytd], [last_fytd], 1.0, fytd.label, last_fytd.label),
        ("current year vs previous year", [current_year], [prev_years[-1]], 1.0, current_year.label,
         prev_years[-1].label),
        ("current year vs 3-year average", [current_year], prev_years, 3.0, current_year.label,
         f"{prev_years[0].label} to {prev_years[-1].label} (average)"),
    ]
    if baseline is not None:
        windows, k, label = baseline_window(baseline, current_year)
        comparisons.append(("current year vs baseline", [current_year], windows, k, current_year.label, label))

    engine = _trends_engine()
    alpha = 1.0 - confidence
    selections = select_groups(ds, groups) if groups is not None else [None]
    prepared = _Prepared(ds, unit, adjusted, step if adjusted else None)
    rows = []
    for sel in selections:
        events = prepared.events(sel)
        for measure in measures:
            for name, cur_w, ref_w, k, cur_label, ref_label in comparisons:
                x, vx = _window_sums(events, cur_w, measure, step)
                s, vs = _window_sums(events, ref_w, measure, step)
                c = engine.compare_counts(x, vx, s, vs, k, confidence)
                exact = unit == "collision" and not measure.endswith("_adjusted")
                if exact:  # Poisson counts: N_current | total ~ Bin(total, 1/(1+k))
                    p_value = engine.exact_conditional_test(int(round(s)), int(round(x)), k, 1.0)
                else:
                    p_value = c["p_value"]
                covered = all(covered_fraction(spans, [w.start], [w.end])[0] == 1.0 for w in (*cur_w, *ref_w))
                row: dict[str, object] = {}
                if sel is not None:
                    row["group"] = sel.name
                    row["group_basis"] = sel.basis
                reference = c["reference"]
                if not covered:  # no numbers against a period the records do not fully cover
                    x, reference, p_value = np.nan, np.nan, np.nan
                    c = {k: np.nan for k in ("difference", "rate_ratio", "ratio_lower", "ratio_upper", "z")}
                row.update({
                    "measure": measure, "comparison": name, "current_period": cur_label,
                    "reference_period": ref_label, "current": x, "reference": reference,
                    "change": c["difference"],
                    "change_percent": 100.0 * c["difference"] / reference if reference > 0 else np.nan,
                    "rate_ratio": c["rate_ratio"], "ratio_lower": c["ratio_lower"], "ratio_upper": c["ratio_upper"],
                    "z": c["z"], "p_value": p_value,
                    "test": "exact conditional (binomial)" if exact else "z, compound Poisson variance",
                    "verdict": _verdict(p_value, c["z"], alpha) if covered else "not covered",
                })
                rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs.update({"as_of": as_of, "unit": unit, "adjusted": adjusted, "confidence": confidence, "year": year,
                      "adjusted_basis": (step.label if step is not None else "DfT adjusted-severity probabilities")
                      if adjusted else None})
    return out
