"""Reporting periods and KSI counts per period, with exact Poisson intervals.

    rs.ksi_table(ds, by="financial_year")                       # collisions by severity per year
    rs.ksi_table(ds, by="month", unit="casualty", adjusted=True)   # casualties, with adjusted serious
    rs.ksi_table(ds, groups=["pedestrians", "children"])        # one block per target group

How the intervals are made (the engine's ``roadsafe::trends``):

- A count is a sum of weighted *events*; the events are collisions. For ``unit="collision"`` every
  collision weighs 1 and the interval is the exact (Garwood) Poisson interval.
- For ``unit="casualty"`` a collision weighs its number of casualties (of that severity, in the group),
  so the variance is the compound-Poisson sum of n_j^2 (methods.md section 4.2: multi-casualty
  collisions make casualty counts over-dispersed), and the interval is Fay & Feuer's (1997) gamma
  interval for weighted Poisson sums, which equals the Garwood interval when every weight is 1.
- Adjusted (fractional) counts use the same gamma interval, with variance = process (sum over
  collisions of the squared per-collision weight) + reclassification (sum of a(1-a) over the
  adjusted probabilities a), methods.md section 4.2. For collision counts this makes the variance
  equal to the count (a thinned Poisson count is Poisson).

Adjusted severity (``adjusted=True``) needs the DfT's per-casualty probabilities
``casualty_adjusted_serious`` (loaded from either spelling of the column):

- casualty counts: serious_adjusted = sum of a_i over non-fatal casualties, slight_adjusted = sum of
  (1 - a_i), ksi_adjusted = fatal + serious_adjusted (methods.md section 1.7). A non-fatal casualty
  without a probability counts as recorded (a = 1 if serious, else 0).
- collision counts: the file's ``collision_adjusted_serious`` (DfT's own collision value) where present;
  otherwise derived from the casualties -- a non-fatal collision is serious when at least one casualty
  is, so p = 1 - prod_i (1 - a_i) over its non-fatal casualties (methods.md section 1.7, our
  derivation, reclassifications taken as independent); a collision with neither keeps its recorded
  severity. Fatal collisions stay fatal. This is the rule of ``rs.adjusted_serious(ds, "collision")``.
"""
from __future__ import annotations

from typing import Literal, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ..io.coverage import coverage_of, covered_fraction
from ..io.fields import SEVERITIES, collision_rows, require_columns, severity_numbers
from ..severity.published import has_adjusted
from ..severity.step import Step
from .groups import GroupSelection, has_casualties, select_groups

Period = Literal["month", "quarter", "calendar_year", "financial_year"]
Unit = Literal["collision", "casualty"]
PERIODS = ("month", "quarter", "calendar_year", "financial_year")
MEASURES = ("fatal", "serious", "slight", "ksi")
ADJUSTED_MEASURES = ("serious_adjusted", "slight_adjusted", "ksi_adjusted")


def _trends_engine():
    from .. import _engine

    return _engine.trends


def financial_year_label(start_year: int) -> str:
    """April-March years are labelled "2012-13"."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def period_index(dates: pd.Series, by: Period) -> pd.PeriodIndex:
    """Each date's reporting period. Financial years run April to March (pandas' Y-MAR years)."""
    freq = {"month": "M", "quarter": "Q", "calendar_year": "Y", "financial_year": "Y-MAR"}[by]
    return pd.PeriodIndex(dates, freq=freq)


def period_label(p: pd.Period, by: Period) -> str:
    if by == "financial_year":
        return financial_year_label(p.year - 1)  # the Y-MAR period "2013" runs April 2012 to March 2013
    if by == "calendar_year":
        return str(p.year)
    return str(p)


def _key_label(key: int, by: Period) -> str:
    if by == "month":
        return f"{key // 12}-{key % 12 + 1:02d}"
    if by == "quarter":
        return f"{key // 4}Q{key % 4 + 1}"
    if by == "financial_year":
        return financial_year_label(key)
    return str(key)


def _key_bounds(key: int, by: Period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the period with this key."""
    if by == "month":
        start = pd.Timestamp(key // 12, key % 12 + 1, 1)
        return start, start + pd.DateOffset(months=1) - pd.Timedelta(days=1)
    if by == "quarter":
        start = pd.Timestamp(key // 4, 3 * (key % 4) + 1, 1)
        return start, start + pd.DateOffset(months=3) - pd.Timedelta(days=1)
    if by == "financial_year":
        return pd.Timestamp(key, 4, 1), pd.Timestamp(key + 1, 3, 31)
    return pd.Timestamp(key, 1, 1), pd.Timestamp(key, 12, 31)


def _days(dates: pd.Series) -> np.ndarray:
    return (dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype("int64")).astype("int32")


def _check_by(by: str) -> None:
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}; got {by!r}")


def _check_unit(ds, unit: str) -> None:
    if unit not in ("collision", "casualty"):
        raise ValueError(f"unit must be 'collision' or 'casualty'; got {unit!r}")
    if unit == "casualty" and not has_casualties(ds):
        name = f" ({ds.name})" if getattr(ds, "name", "") else ""
        raise ValueError(f"unit='casualty' needs a casualty table, and this dataset{name} has none; "
                         "use unit='collision'")


def _severity_codes(series: pd.Series) -> np.ndarray:
    """0 fatal, 1 serious, 2 slight, -1 anything else: the index into the fatal / serious / slight counts."""
    numbers = severity_numbers(series)
    return np.where(np.isnan(numbers), -1, numbers - 1).astype(np.int8)


def _casualty_probabilities(cas: pd.DataFrame, sev: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per casualty: fatal 0/1, adjusted serious probability a (0 for fatal casualties; the recorded
    severity where the file gives none), and whether the file gave one."""
    fatal = (sev == 0).astype(float)
    recorded = (sev == 1).astype(float)
    given = np.zeros(len(cas), dtype=bool)
    a = recorded
    if "casualty_adjusted_serious" in cas.columns:
        raw = pd.to_numeric(cas["casualty_adjusted_serious"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        given = ~np.isnan(raw)
        a = np.where(given, raw, recorded)
    a = np.where(fatal > 0, 0.0, np.clip(a, 0.0, 1.0))
    return fatal, a, given


class _Prepared:
    """Everything about a dataset's counts that does not depend on the group: per-collision weights
    (unit collision) or per-casualty weights (unit casualty), computed once per call."""

    def __init__(self, ds, unit: Unit, adjusted: bool, step: Optional[Step] = None) -> None:
        _check_unit(ds, unit)
        if adjusted and step is None and not has_adjusted(ds):
            raise ValueError("adjusted=True needs the DfT adjusted-severity probabilities (casualty_adjusted_serious, "
                             "or collision_adjusted_serious for collision counts), which this dataset does not "
                             "have; for a series without them see rs.reclassification_effect")
        self.unit, self.adjusted = unit, adjusted
        col = ds.collisions
        self.n = n = len(col)
        self.dates = col["date"].to_numpy(dtype="datetime64[ns]")
        self.dated = ~np.isnat(self.dates)
        cas = ds.casualties if has_casualties(ds) else None
        self.n_casualties = len(cas) if cas is not None else 0
        self.cas_rows = collision_rows(ds, cas) if cas is not None else np.zeros(0, dtype=np.int64)
        weights: dict[str, np.ndarray] = {}
        require_columns(col, ["date", "collision_severity"], "collisions", "counting by severity")
        if unit == "collision":
            sev = _severity_codes(col["collision_severity"])
            for code, name in enumerate(SEVERITIES):
                weights[name] = (sev == code).astype(float)
            if adjusted:
                p = (sev == 1).astype(float)
                published = np.full(n, np.nan)
                if "collision_adjusted_serious" in col.columns:
                    published = pd.to_numeric(col["collision_adjusted_serious"], errors="coerce").to_numpy(
                        dtype=float, na_value=np.nan)
                if cas is not None and "casualty_adjusted_serious" in cas.columns:
                    fatal_c, a, given = _casualty_probabilities(cas, _severity_codes(cas["casualty_severity"]))
                    ok = (self.cas_rows >= 0) & (fatal_c == 0)
                    # p = 1 - prod (1 - a_i) through a sum of logs; a_i = 1 gives log 0 = -inf, so p = 1.
                    # A casualty without a probability enters as recorded (a = 1 serious, 0 slight).
                    with np.errstate(divide="ignore"):
                        log_keep = np.bincount(self.cas_rows[ok], weights=np.log1p(-a[ok]), minlength=n)
                    have = np.bincount(self.cas_rows[ok & given], minlength=n) > 0
                    p = np.where(have, 1.0 - np.exp(log_keep), p)
                p = np.where(np.isnan(published), p, published)  # DfT's own collision value comes first
                p = np.where(sev == 0, 0.0, np.clip(p, 0.0, 1.0))
                weights["serious_adjusted"] = p
                weights["slight_adjusted"] = np.where((sev == 1) | (sev == 2), 1.0 - p, 0.0)
                weights["ksi_adjusted"] = weights["fatal"] + p
                weights["adjusted_variance"] = p * (1.0 - p)
        else:
            assert cas is not None  # _check_unit: unit="casualty" needs a casualty table
            sev = _severity_codes(cas["casualty_severity"])
            for code, name in enumerate(SEVERITIES):
                weights[name] = (sev == code).astype(float)
            if adjusted:
                fatal_c, a, _ = _casualty_probabilities(cas, sev)
                weights["serious_adjusted"] = a
                weights["slight_adjusted"] = (1.0 - fatal_c) * (1.0 - a) * (sev >= 1)
                weights["ksi_adjusted"] = fatal_c + a
                weights["adjusted_variance"] = a * (1.0 - a)
        if adjusted and step is not None:  # the serious records before the switch, on the injury-based basis
            before = (self.dates < np.datetime64(step.switch, "ns")).astype(float)
            weights["serious_adjusted"] = weights["serious"] * np.where(before > 0, step.rate_ratio, 1.0)
            weights["ksi_adjusted"] = weights["fatal"] + weights["serious_adjusted"]
            weights["step_share"] = weights["serious"] * before  # carries the step's own uncertainty
            weights["adjusted_variance"] = np.zeros(len(before))
        weights["ksi"] = weights["fatal"] + weights["serious"]
        self.weights = weights

    def events(self, selection: Optional[GroupSelection] = None) -> pd.DataFrame:
        n = self.n
        in_group = np.ones(n, dtype=bool)
        cas_in_group = np.ones(self.n_casualties, dtype=bool)
        if selection is not None:
            if selection.collisions is not None:
                in_group = np.asarray(selection.collisions, dtype=bool)
                cas_in_group = np.zeros(self.n_casualties, dtype=bool)
                ok = self.cas_rows >= 0
                cas_in_group[ok] = in_group[self.cas_rows[ok]]
            else:
                cas_in_group = np.asarray(selection.casualties, dtype=bool)
                in_group = np.zeros(n, dtype=bool)
                in_group[self.cas_rows[cas_in_group & (self.cas_rows >= 0)]] = True
        keep = in_group & self.dated
        data: dict[str, np.ndarray] = {"date": self.dates[keep]}
        if self.unit == "collision":
            for m, w in self.weights.items():
                data[m] = w[keep]
        else:
            ok = cas_in_group & (self.cas_rows >= 0)
            rows = self.cas_rows[ok]
            for m, w in self.weights.items():
                data[m] = np.bincount(rows, weights=w[ok], minlength=n)[keep]
        out = pd.DataFrame(data, index=pd.Index(np.flatnonzero(keep), name="collision_row"))
        for m in MEASURES:
            out[m] = np.rint(out[m].to_numpy()).astype("int64")
        return out


def event_weights(ds, unit: Unit = "collision", adjusted: bool = False,
                  selection: Optional[GroupSelection] = None) -> pd.DataFrame:
    """One row per collision (the Poisson events) with its date and its weight in each measure.

    Columns: date, fatal, serious, slight, ksi and, with ``adjusted``, serious_adjusted,
    slight_adjusted, ksi_adjusted and ``adjusted_variance`` (the reclassification variance
    sum a(1-a) this collision adds to each adjusted count). For ``unit="casualty"`` a collision's
    weights are its casualties' (in the group). The index is the row in ``ds.collisions``.
    Collisions without a date are left out (they belong to no period), and so are collisions outside
    the group.
    """
    return _Prepared(ds, unit, adjusted).events(selection)


def _measure_columns(adjusted: bool) -> tuple[str, ...]:
    return MEASURES + (ADJUSTED_MEASURES if adjusted else ())


def _count_table(events: pd.DataFrame, by: Period, first_key: int, n_periods: int, adjusted: bool,
                 confidence: float) -> pd.DataFrame:
    engine = _trends_engine()
    keys = np.asarray(engine.period_key(_days(events["date"]), by), dtype=np.int32)
    table: dict[str, np.ndarray] = {}
    intervals: dict[str, np.ndarray] = {}
    extra = None
    if adjusted:
        extra = engine.count_by_period(keys, first_key, n_periods, events["adjusted_variance"].to_numpy(float))["total"]
    for m in _measure_columns(adjusted):
        c = engine.count_by_period(keys, first_key, n_periods, events[m].to_numpy(float))
        sum_squares = c["sum_squares"] + (extra if m.endswith("_adjusted") else 0.0)
        lower, upper = engine.weighted_count_interval(c["total"], sum_squares, c["max_weight"], confidence)
        table[m] = c["total"] if m.endswith("_adjusted") else np.rint(c["total"]).astype("int64")
        intervals[f"{m}_lower"] = lower
        intervals[f"{m}_upper"] = upper
    frame = pd.DataFrame({**table, **intervals})
    order = [m for m in MEASURES] + [f"{m}_{b}" for m in MEASURES for b in ("lower", "upper")]
    if adjusted:
        order += list(ADJUSTED_MEASURES) + [f"{m}_{b}" for m in ADJUSTED_MEASURES for b in ("lower", "upper")]
    return frame[order]


def period_range(ds, by: Period) -> tuple[int, int]:
    """(first key, number of periods) covering every dated collision of the dataset."""
    require_columns(ds.collisions, ["date"], "collisions", "counting by period")
    dates = ds.collisions["date"].dropna()
    if dates.empty:
        raise ValueError("the dataset has no dated collisions")
    engine = _trends_engine()
    keys = np.asarray(engine.period_key(_days(dates), by))
    return int(keys.min()), int(keys.max() - keys.min() + 1)


def ksi_table(ds, by: Period = "financial_year", unit: Unit = "collision", adjusted: bool = False,
              groups: Union[None, str, Sequence[str]] = None, confidence: float = 0.95) -> pd.DataFrame:
    """Fatal, serious, slight and KSI (killed or seriously injured) counts per period.

    ``by``: month, quarter, calendar_year or financial_year (April to March, "2012-13").
    ``unit``: count collisions (by collision severity) or casualties (by casualty severity).
    ``adjusted``: add serious_adjusted, slight_adjusted and ksi_adjusted from the DfT's adjusted-severity
    probabilities (see the module notes for the collision-level derivation).
    ``groups``: a target group or a list of them (see ``roadsafe.groups``); with a list the index has
    a first level ``group``. A ``group_basis`` column says whether casualty or collision fields chose
    the group.

    Each count has ``<count>_lower`` and ``<count>_upper``: the exact Poisson interval (collision
    counts), or the Fay-Feuer gamma interval for casualty and adjusted counts, at ``confidence``.
    Every period between the data's first and last date appears. ``coverage`` is the share of its days
    the records cover (``ds.coverage``: each file's span): a covered day with nothing recorded is a true
    zero, a period the records do not cover at all has no counts (NaN: no data, never a zero), and
    ``partial`` marks every period covered only in part. ``attrs["undated"]`` counts the collisions that
    could not be put in a period (no date), ``attrs["unknown_severity"]`` the records (collisions or
    casualties, by ``unit``) with no known severity: neither is in any count.
    """
    _check_by(by)
    _check_unit(ds, unit)
    first_key, n_periods = period_range(ds, by)
    keys = range(first_key, first_key + n_periods)
    bounds = [_key_bounds(k, by) for k in keys]
    coverage = covered_fraction(coverage_of(ds), [s for s, _ in bounds], [e for _, e in bounds])
    partial = coverage < 1.0
    labels = pd.Index([_key_label(k, by) for k in keys], name=by)

    selections = select_groups(ds, groups) if groups is not None else [None]
    prepared = _Prepared(ds, unit, adjusted)
    blocks = []
    for sel in selections:
        events = prepared.events(sel)
        table = _count_table(events, by, first_key, n_periods, adjusted, confidence)
        table.index = labels
        _no_data(table, coverage == 0.0)
        table["partial"] = partial
        table["coverage"] = coverage
        if sel is not None:
            table["group_basis"] = sel.basis
        blocks.append((sel.name if sel is not None else None, table))

    if groups is None or isinstance(groups, str) and len(blocks) == 1:
        result = blocks[0][1]
        if groups is not None:
            result.attrs["group"] = blocks[0][0]
            result.attrs["group_basis"] = blocks[0][1]["group_basis"].iloc[0]
    else:
        result = pd.concat([t for _, t in blocks], keys=[name for name, _ in blocks], names=["group", by])
        result.attrs["group_basis"] = {name: t["group_basis"].iloc[0] for name, t in blocks}
    records = ds.casualties["casualty_severity"] if unit == "casualty" else ds.collisions["collision_severity"]
    result.attrs.update({"unit": unit, "by": by, "adjusted": adjusted, "confidence": confidence,
                         "undated": int(ds.collisions["date"].isna().sum()),
                         "unknown_severity": int((_severity_codes(records) < 0).sum())})
    return result


def _no_data(table: pd.DataFrame, uncovered: np.ndarray) -> None:
    """Blank the counts and intervals of periods the records do not cover: no data is not a zero."""
    if not uncovered.any():
        return
    for column in table.columns:
        if pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].astype(float).where(~uncovered, np.nan)


def rolling_12_months(ds, unit: Unit = "collision", adjusted: bool = False,
                      groups: Union[None, str, Sequence[str]] = None, confidence: float = 0.95) -> pd.DataFrame:
    """Rolling 12-month totals ("year ending <month>", methods.md section 4.1), one row per month.

    For each measure of ``ksi_table`` the total of the 12 months ending with that month, with its
    interval (the same method as ``ksi_table``: rolling sums of the weights, their squares and the
    largest weight). Months before the twelfth complete month, and windows that include a partial
    month (one the records do not fully cover, see ``ds.coverage``), are NaN; ``partial`` is the monthly
    table's flag. One group at a time.
    """
    _check_unit(ds, unit)
    first_key, n_periods = period_range(ds, "month")
    keys = range(first_key, first_key + n_periods)
    bounds = [_key_bounds(k, "month") for k in keys]
    partial = covered_fraction(coverage_of(ds), [s for s, _ in bounds], [e for _, e in bounds]) < 1.0
    selections = select_groups(ds, groups) if groups is not None else [None]
    if len(selections) != 1:
        raise ValueError("rolling_12_months takes one group at a time")
    sel = selections[0]
    events = event_weights(ds, unit, adjusted, sel)
    engine = _trends_engine()
    month_keys = np.asarray(engine.period_key(_days(events["date"]), "month"), dtype=np.int32)
    extra = None
    if adjusted:
        extra = engine.count_by_period(month_keys, first_key, n_periods,
                                       events["adjusted_variance"].to_numpy(float))["total"]
    out = pd.DataFrame(index=pd.Index([_key_label(k, "month") for k in keys], name="year_ending"))
    ok = ~pd.Series(partial).rolling(12, min_periods=12).max().fillna(1).astype(bool).to_numpy()
    for m in _measure_columns(adjusted):
        c = engine.count_by_period(month_keys, first_key, n_periods, events[m].to_numpy(float))
        sq = c["sum_squares"] + (extra if m.endswith("_adjusted") else 0.0)
        total = pd.Series(c["total"]).rolling(12, min_periods=12).sum().to_numpy()
        sum_squares = pd.Series(sq).rolling(12, min_periods=12).sum().to_numpy()
        max_weight = pd.Series(c["max_weight"]).rolling(12, min_periods=12).max().to_numpy()
        lower = np.full(n_periods, np.nan)
        upper = np.full(n_periods, np.nan)
        if ok.any():
            lo, up = engine.weighted_count_interval(total[ok], sum_squares[ok], max_weight[ok], confidence)
            lower[ok], upper[ok] = lo, up
        out[m] = np.where(ok, total, np.nan)
        out[f"{m}_lower"] = lower
        out[f"{m}_upper"] = upper
    out["partial"] = partial
    if sel is not None:
        out["group_basis"] = sel.basis
        out.attrs["group"] = sel.name
        out.attrs["group_basis"] = sel.basis
    out.attrs.update({"unit": unit, "adjusted": adjusted, "confidence": confidence})
    return out
