"""The reclassification step: an interrupted time series of serious counts around the switch to injury-based
reporting, for data without probabilities or flags."""
from __future__ import annotations

import math
from statistics import NormalDist
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _engine
from ..figures import new_figure
from ..io.coverage import coverage_of, covered_fraction
from ..io.fields import severity_numbers
from .codes import Unit
from .step import Step

if TYPE_CHECKING:
    from ..io.dataset import Dataset

Control = Optional[Literal["nonfatal", "slight", "all"]]


def _monthly_counts(ds: "Dataset", unit: Unit) -> pd.DataFrame:
    if unit == "collision":
        table = ds.collisions
        dates = table["date"]
        sev = severity_numbers(table["collision_severity"])
    else:
        if len(ds.casualties) == 0:
            raise ValueError("unit='casualty' needs a casualty table; this dataset has only collisions")
        table = ds.casualties
        rows = table["collision_row"].to_numpy(dtype="float64", na_value=np.nan)
        ok = ~np.isnan(rows)
        d = np.full(len(table), np.datetime64("NaT"), dtype="datetime64[ns]")
        d[ok] = ds.collisions["date"].to_numpy()[rows[ok].astype(np.int64)]
        dates = pd.Series(d, index=table.index)
        sev = severity_numbers(table["casualty_severity"])
    known = dates.notna().to_numpy() & ~np.isnan(sev)
    if not known.any():
        raise ValueError("no dated records with a severity")
    months = pd.PeriodIndex(dates[known], freq="M")
    s = sev[known]
    frame = pd.DataFrame({"month": months, "fatal": s == 1, "serious": s == 2, "slight": s == 3})
    counts = frame.groupby("month").sum()
    full = pd.period_range(months.min(), months.max(), freq="M")
    counts = counts.reindex(full, fill_value=0).astype("int64")
    counts.index.name = "month"
    return counts


def _month_runs(months: Sequence[pd.Period]) -> list[list[pd.Period]]:
    runs: list[list[pd.Period]] = []
    for m in sorted(months):
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _month_ranges(months: Sequence[pd.Period]) -> str:
    """2014-08 to 2014-12, 2016-07 to 2016-09 (runs of consecutive months)."""
    runs = _month_runs(months)
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs)


@dataclass
class ReclassificationEffect:
    """The estimated step in serious counts at the switch to injury-based reporting.

    ``rate_ratio`` (with ``lower``, ``upper`` at ``confidence``): serious counts after the switch relative
    to what the old reporting would have given, other things (trend, season, control) equal.
    ``switch_month``: given, or the profile-likelihood estimate; ``plausible_months``: the months whose
    likelihood-ratio statistic against the best is below the chi-square(1) quantile at ``confidence``
    (an approximate set: change-point likelihoods are not regular). ``series``: per month fatal, serious,
    slight, ksi, fitted, counterfactual (model mean without the step: the old basis throughout),
    serious_corrected and ksi_corrected (pre-switch months scaled by the rate ratio, i.e. expressed on the
    injury-based basis as DfT adjusts towards IBRS; post-switch as recorded) with _lower/_upper from the
    interval. The interval on the step is conditional on the switch month.
    """

    rate_ratio: float
    lower: float
    upper: float
    confidence: float
    switch_month: pd.Period
    switch_estimated: bool
    plausible_months: list
    series: pd.DataFrame
    profile: Optional[pd.DataFrame]
    family: str
    theta: float
    trend_per_year: float
    control: Control
    unit: str
    dropped_months: list = field(default_factory=list)
    coefficients: Optional[pd.DataFrame] = None

    @property
    def step_percent(self) -> float:
        return 100.0 * (self.rate_ratio - 1.0)

    def summary(self) -> str:
        how = "estimated by profile likelihood" if self.switch_estimated else "given"
        lines = [
            f"Reclassification effect ({self.unit}s, {self.family.replace('_', ' ')}"
            f"{', control: ' + self.control if self.control else ''})",
            f"  switch month: {self.switch_month} ({how})",
        ]
        if self.switch_estimated and self.plausible_months:
            lines.append(f"  plausible switch months ({self.confidence:.0%} likelihood-ratio set): "
                         f"{_month_ranges(self.plausible_months)}")
        lines += [
            f"  step in serious counts: rate ratio {self.rate_ratio:.3f} "
            f"({self.confidence:.0%} CI {self.lower:.3f} to {self.upper:.3f}), i.e. {self.step_percent:+.1f}%",
            f"  underlying trend: {100 * (math.exp(self.trend_per_year) - 1):+.1f}% a year"
            + (f"; NB theta {self.theta:.3g}" if self.family == "negative_binomial" else ""),
            f"  serious recorded {int(self.series.serious.sum()):,}; corrected to the injury-based basis "
            f"{self.series.serious_corrected.sum():,.1f}; counterfactual (old basis) {self.series.counterfactual.sum():,.1f}",
        ]
        if self.dropped_months:
            lines.append(f"  months left out of the fit (not fully covered, or beyond a gap): "
                         f"{_month_ranges(self.dropped_months)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "<" + self.summary().replace("\n  ", "\n   ") + ">"

    def _repr_html_(self) -> str:
        return f"<pre>{self.summary()}</pre>"

    def step(self) -> Step:
        """The step for comparisons on the injury-based basis (``performance_summary(..., step=)``)."""
        z = NormalDist().inv_cdf(0.5 + self.confidence / 2)
        se = (math.log(self.upper) - math.log(self.lower)) / (2 * z)
        return Step(switch=self.switch_month.start_time, rate_ratio=self.rate_ratio, log_variance=se * se,
                    label=f"estimated reclassification step x{self.rate_ratio:.2f} ({self.lower:.2f}-{self.upper:.2f}) "
                          f"from {self.switch_month}")

    def plot(self, ax: Any = None, ksi: bool = False) -> Any:
        """Monthly serious (or KSI) counts: recorded, fitted, counterfactual and corrected, switch marked."""
        if ax is None:
            fig = new_figure((10, 4.5))
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        s = self.series
        x = s.index.to_timestamp()
        what = "ksi" if ksi else "serious"
        add = s["fatal"].to_numpy() if ksi else 0
        ax.plot(x, s[what], color="0.55", lw=1, marker=".", label=f"recorded {what.upper() if ksi else what}")
        ax.plot(x, s["fitted"] + add, color="C0", lw=1.6, label="model")
        ax.plot(x, s["counterfactual"] + add, color="C0", lw=1.2, ls="--", label="without the switch (old basis)")
        ax.fill_between(x, s[f"{what}_corrected_lower"], s[f"{what}_corrected_upper"], color="C1", alpha=0.2, lw=0)
        ax.plot(x, s[f"{what}_corrected"], color="C1", lw=1.2, label="corrected to injury-based basis")
        sw = self.switch_month.to_timestamp()
        ax.axvline(sw, color="k", lw=1)
        if self.switch_estimated:
            for run in _month_runs(self.plausible_months):  # the likelihood-ratio set of switch months
                ax.axvspan(run[0].to_timestamp(), (run[-1] + 1).to_timestamp(), color="k", alpha=0.08, lw=0)
        ax.annotate(f"switch {self.switch_month}\nstep x{self.rate_ratio:.2f} ({self.lower:.2f}-{self.upper:.2f})",
                    xy=(sw, 1), xycoords=("data", "axes fraction"), xytext=(4, -4), textcoords="offset points",
                    va="top", fontsize=9)
        ax.set_ylabel(f"{'KSI' if ksi else 'serious'} {self.unit}s per month")
        ax.set_ylim(bottom=0)
        ax.legend(loc="lower left", fontsize=8, frameon=False, ncol=2)
        ax.grid(alpha=0.3)
        ax.set_title("Step in serious counts at the switch to injury-based reporting"
                     + (" (shaded: plausible switch months)" if self.switch_estimated else ""), fontsize=10)
        fig.tight_layout()
        return fig


def reclassification_effect(
    ds: "Dataset",
    switch_date: Union[str, pd.Timestamp, pd.Period, None] = None,
    *,
    unit: Unit = "collision",
    family: Literal["negative_binomial", "poisson"] = "negative_binomial",
    control: Control = None,
    seasonality: bool = True,
    confidence: float = 0.95,
    search: Optional[tuple] = None,
    min_months: int = 6,
) -> ReclassificationEffect:
    """Estimate the step in serious counts when severity reporting switched (e.g. to CRaSH).

    An interrupted time series on monthly counts: log E[serious_t] = a + b * t + season(month) +
    step * [t >= switch] (+ log control_t). ``family``: negative binomial (theta by ML; default) or
    Poisson. ``control``: None, or a control series used as an offset -- "nonfatal" (serious + slight:
    then the model is for the serious share of non-fatal records, immune to swings in overall volume and
    exact for a pure reclassification, which leaves the total unchanged), "slight" (the serious/slight
    ratio; overstates the step a little, since reclassified records leave slight) or "all".
    ``switch_date``: the first month on the new basis; when None it is estimated by profile likelihood over
    the months in ``search`` (default: leaving ``min_months`` on each side), with a likelihood-ratio set of
    plausible months. The fit uses the longest run of months the records fully cover (``ds.coverage``):
    partly covered edge months and any gap are left out, and said so.
    Data with published or modelled adjusted probabilities does not need this (use adjusted_totals).
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    counts = _monthly_counts(ds, unit)
    starts = counts.index.start_time
    ends = counts.index.end_time.normalize()
    # Fitted: the longest run of months the records fully cover. A month without data is not a month of
    # zeros, and a series broken by a gap would let the gap pass for a step.
    partial = covered_fraction(coverage_of(ds), starts, ends) < 1.0
    runs = _month_runs(list(counts.index[~partial]))
    longest = max(runs, key=len) if runs else []
    used = counts.index.isin(longest)
    dropped = list(counts.index[~used])
    fit_counts = counts[used]
    n = len(fit_counts)
    needed = 2 * min_months + 1
    if n < needed:
        not_covered = list(counts.index[partial])
        raise ValueError(f"{n} complete months: too short for an interrupted time series (needs {needed}, "
                         f"{min_months} either side of the switch)"
                         + (f"; months the records do not fully cover: {_month_ranges(not_covered)}"
                            if not_covered else ""))
    y = fit_counts["serious"].to_numpy(dtype=float)
    moy = fit_counts.index.month.to_numpy().astype(int).tolist()
    offset = None
    if control is not None:
        ctrl = {"nonfatal": fit_counts.serious + fit_counts.slight, "slight": fit_counts.slight,
                "all": fit_counts.fatal + fit_counts.serious + fit_counts.slight}.get(control)
        if ctrl is None:
            raise ValueError(f"control must be None, 'nonfatal', 'slight' or 'all', not {control!r}")
        if (ctrl <= 0).any():
            raise ValueError(f"the {control} control series has months with no records; it cannot be an offset")
        offset = np.log(ctrl.to_numpy(dtype=float)).tolist()
    months = fit_counts.index

    def index_of(when: Any) -> int:
        p = pd.Period(when, freq="M")
        if p < months[0] or p > months[-1]:
            raise ValueError(f"switch month {p} is outside the fitted months {months[0]} to {months[-1]}")
        return int(months.get_loc(p))

    profile = None
    plausible: list = []
    estimated = switch_date is None
    if estimated:
        lo, hi = min_months, n - min_months
        if search is not None:
            lo, hi = max(index_of(search[0]), 1), min(index_of(search[1]), n - 2)
        prof = _engine.severity.profile_switch_month(y.tolist(), moy, lo, hi, offset, family, seasonality)
        ll = np.asarray(prof["log_likelihood"], dtype=float)
        cand = np.asarray(prof["candidates"], dtype=int)
        lr = 2 * (np.nanmax(ll) - ll)
        from scipy.stats import chi2

        crit = float(chi2.ppf(confidence, 1))
        profile = pd.DataFrame({"log_likelihood": ll, "lr_statistic": lr, "plausible": lr <= crit},
                               index=pd.PeriodIndex(months[cand], name="switch_month"))
        plausible = list(profile.index[profile.plausible])
        k = int(prof["best"])
    else:
        k = index_of(switch_date)
        if k < min_months or n - k < min_months:
            raise ValueError(f"the switch month {months[k]} leaves {k} fitted months before it and {n - k} from it; "
                             f"the step needs at least {min_months} on each side")
    res = _engine.severity.fit_reclassification_step(y.tolist(), moy, k, offset, family, seasonality, confidence)
    rr, lower, upper = float(res["rate_ratio"]), float(res["lower"]), float(res["upper"])

    # The series over every month (including partial edge months, not fitted).
    series = counts.copy()
    series["ksi"] = series.fatal + series.serious
    fitted = pd.Series(np.asarray(res["fitted"]), index=months).reindex(counts.index)
    counterfactual = pd.Series(np.asarray(res["counterfactual"]), index=months).reindex(counts.index)
    series["fitted"] = fitted
    series["counterfactual"] = counterfactual
    switch = months[k]
    before = (counts.index < switch)
    for name, factor in (("", rr), ("_lower", lower), ("_upper", upper)):
        corr = np.where(before, series.serious * factor, series.serious).astype(float)
        series[f"serious_corrected{name}"] = corr
        series[f"ksi_corrected{name}"] = series.fatal + corr
    series["partial"] = partial
    series["after_switch"] = ~before
    names = ["(intercept)", "trend_per_year"]
    present = sorted(set(moy))
    if seasonality:
        ref = 1 if 1 in present else present[0]
        names += [f"month[{m}]" for m in present if m != ref]
    names += ["step"]
    coef = pd.DataFrame({"estimate": res["coefficients"], "std_error": res["standard_errors"]}, index=names)
    return ReclassificationEffect(
        rate_ratio=rr, lower=lower, upper=upper, confidence=confidence, switch_month=switch,
        switch_estimated=estimated, plausible_months=plausible, series=series, profile=profile, family=family,
        theta=float(res["theta"]), trend_per_year=float(res["trend_per_year"]), control=control, unit=unit,
        dropped_months=dropped, coefficients=coef)
