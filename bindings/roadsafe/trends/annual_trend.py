"""The annual trend of a count: "KSI fell 2% a year (95% CI -5% to +1%)", with the reporting change allowed for.

    t = rs.annual_trend(ds, measure="ksi", by="financial_year")
    t = rs.annual_trend(ds, measure="ksi", switch_date="2016-07-01")   # net of the move to injury-based reporting
    t.annual_change, t.lower, t.upper, t.table, t.chart()

A log-linear count model over the complete years, log E[y_t] = a + b t (+ c s_t), fitted by IRLS in the engine:
negative binomial (NB2, theta by maximum likelihood) by default, which becomes the Poisson fit when the years
vary no more than chance allows. The annual change is exp(b) - 1 with a Wald interval from the model's standard
error. With ``switch_date``, s_t is the share of year t after the switch (0 before, a fraction in the switch year,
1 after), so the trend is measured net of the step in recorded serious injuries; the step's own ratio exp(c) is
reported too. Adjusted (fractional) counts are fitted by the same likelihood as a quasi-likelihood.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Literal, Optional

import numpy as np
import pandas as pd

from .. import _engine
from ..figures import new_figure

Measure = Literal["fatal", "serious", "slight", "ksi"]
Yearly = Literal["calendar_year", "financial_year"]
Unit = Literal["collision", "casualty"]
_YEARLY = ("calendar_year", "financial_year")


@dataclass
class AnnualTrend:
    """An annual trend fitted to complete years (see the module docstring)."""

    measure: str
    by: str
    family: str
    annual_change: float          # exp(b) - 1: -0.02 is 2% fewer a year
    lower: float
    upper: float
    p_value: float                # two-sided Wald test of no trend
    theta: Optional[float]        # NB dispersion (None for Poisson); large theta = no over-dispersion
    step_ratio: Optional[float]   # exp(c) with switch_date, else None
    step_lower: Optional[float]
    step_upper: Optional[float]
    table: pd.DataFrame           # observed and fitted counts per year, with the step share
    confidence: float

    def __repr__(self) -> str:
        years = f"{self.table.index[0]} to {self.table.index[-1]}"
        text = (f"<AnnualTrend {self.measure} ({self.by}, {years}): {self.annual_change:+.1%} a year "
                f"({self.confidence:.0%} CI {self.lower:+.1%} to {self.upper:+.1%}, p = {self.p_value:.3f}), "
                f"{self.family}")
        if self.step_ratio is not None:
            text += (f"; reporting step x{self.step_ratio:.2f} ({self.step_lower:.2f}-{self.step_upper:.2f}) "
                     f"taken out")
        return text + ">"

    def chart(self, ax: Any = None) -> Any:
        """Observed counts by year with the fitted trend line, on ``ax`` (returned) or a new figure
        (returned, so a notebook shows it)."""
        fig = None
        if ax is None:
            fig = new_figure((7, 3.5), layout="constrained")
            ax = fig.add_subplot()
        x = np.arange(len(self.table))
        ax.plot(x, self.table["observed"], "o", color="black", label="recorded")
        ax.plot(x, self.table["fitted"], "-", color="#d95f02",
                label=f"fitted: {self.annual_change:+.1%} a year ({self.lower:+.1%} to {self.upper:+.1%})")
        ax.set_xticks(x, self.table.index, rotation=0)
        ax.set_ylim(0, None)
        ax.set_ylabel(f"{self.measure} per year")
        ax.legend(frameon=False, fontsize=8)
        return ax if fig is None else fig


def _step_share(periods: pd.Index, by: str, switch: pd.Timestamp) -> np.ndarray:
    """The share of each year's days that fall on or after the switch."""
    shares = []
    for label in periods:
        start = (pd.Timestamp(f"{label[:4]}-04-01") if by == "financial_year" else pd.Timestamp(f"{label}-01-01"))
        end = start + pd.DateOffset(years=1)
        shares.append(min(1.0, max(0.0, (end - switch).days / (end - start).days)))
    return np.array(shares)


def annual_trend(ds: Any, measure: Measure = "ksi", by: Yearly = "financial_year", unit: Unit = "collision",
                 adjusted: bool = False, switch_date: Optional[str] = None, family: str = "negative_binomial",
                 confidence: float = 0.95) -> AnnualTrend:
    """Fit the annual trend of ``measure`` (fatal, serious, slight or ksi) over the complete years of ``ds``.

    ``by``: calendar_year or financial_year; partial first and last years are left out. ``unit``/``adjusted`` as
    in ``rs.ksi_table``. ``switch_date``: the month the force moved to injury-based reporting (e.g. from
    ``rs.reclassification_effect``); the trend is then net of the step. ``family``: negative_binomial or
    poisson. Needs at least 3 complete years (4 with a switch)."""
    from .periods import ksi_table

    if by not in _YEARLY:
        raise ValueError(f"by must be one of {', '.join(_YEARLY)}")
    if measure not in ("fatal", "serious", "slight", "ksi"):
        raise ValueError("measure must be fatal, serious, slight or ksi")
    if family not in ("negative_binomial", "poisson"):
        raise ValueError("family must be negative_binomial or poisson")
    counts = ksi_table(ds, by=by, unit=unit, adjusted=adjusted)
    counts = counts[~counts["partial"].astype(bool)]  # years the records cover whole
    y = counts[measure].to_numpy(dtype=float)
    needed = 3 + (switch_date is not None)
    if len(y) < needed:
        raise ValueError(f"an annual trend needs at least {needed} complete years; the data have {len(y)}")
    # Time in years from the first ("2015" or "2015-16"), so a year without data is a gap, not skipped over.
    t = np.array([int(str(label)[:4]) for label in counts.index], dtype=float)
    t -= t[0]
    columns = [np.ones_like(t), t - t.mean()]  # centred, so the intercept is the middle year's level
    step = None
    if switch_date is not None:
        step = _step_share(counts.index.astype(str), by, pd.Timestamp(switch_date))
        if not (step.min() < 1 and step.max() > 0):
            raise ValueError(f"switch_date {switch_date} is outside the complete years "
                             f"{counts.index[0]} to {counts.index[-1]}")
        columns.append(step)
    fit = _engine.severity.fit_count_model(np.column_stack(columns), y, None, family)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    b, se = float(fit["coefficients"][1]), float(fit["standard_errors"][1])
    p = 2 * (1 - NormalDist().cdf(abs(b / se)))
    step_ratio = step_lower = step_upper = None
    if step is not None:
        c, se_c = float(fit["coefficients"][2]), float(fit["standard_errors"][2])
        step_ratio, step_lower, step_upper = np.exp(c), np.exp(c - z * se_c), np.exp(c + z * se_c)
    theta = float(fit["theta"]) if family == "negative_binomial" else None
    table = pd.DataFrame({"observed": y, "fitted": np.asarray(fit["fitted"])}, index=counts.index)
    if step is not None:
        table["step_share"] = step
    return AnnualTrend(measure=measure, by=by, family=family.replace("_", " "), annual_change=float(np.expm1(b)),
                       lower=float(np.expm1(b - z * se)), upper=float(np.expm1(b + z * se)), p_value=float(p),
                       theta=theta, step_ratio=step_ratio, step_lower=step_lower, step_upper=step_upper,
                       table=table, confidence=confidence)
