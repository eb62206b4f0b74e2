"""The safety performance function (SPF) of scheme evaluation: what an untreated site is expected to count.

Fitted on reference sites by a negative binomial model (NB2, Var = mu + k mu^2) in the engine, with one term per
calendar year so the trend is carried by the years, optionally one per road class, and each site's area (and the
share of each year the records cover) as exposure:  log E[y_sy] = log(area_s * covered_y) + alpha_y (+ beta_class).

    spf = fit_safety_performance(counts, site_class)   # counts: site, year, collisions, exposure
    spf.predict(area_km2, start, end, road_class)      # expected collisions over each period
    SafetyPerformance(rates={2014: 3.1, ...}, k=0.8)   # a user's own SPF (collisions per km2 a year)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import _engine
from ..errors import InvalidInputError


#: Fewer collisions than this at a road class's reference sites: the class shares the base class's rate.
MIN_CLASS_COLLISIONS = 20


@dataclass(repr=False)
class SafetyPerformance:
    """Expected collisions per km^2 of site area in each whole calendar year, and the over-dispersion k."""

    rates: pd.Series            # index: calendar year; value: collisions per km2 of site a year
    k: float                    # NB over-dispersion: Var = mu + k mu^2 (0 = Poisson)
    sites: int = 0              # reference sites it was fitted on (0 for a user's SPF)
    source: str = "given"
    standard_errors: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    class_ratios: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))  # rate of each road class
    # relative to the rates (which are those of the base class, ratio 1); empty: no road-class terms

    def __post_init__(self) -> None:
        self.rates = pd.Series(self.rates, dtype=float)
        self.rates.index = self.rates.index.astype(int)
        if not (np.isfinite(self.rates) & (self.rates > 0)).all() or not np.isfinite(self.k) or self.k < 0:
            raise InvalidInputError("a safety performance function needs a rate > 0 for each year and a k >= 0")

    def __repr__(self) -> str:
        years = f"{self.rates.index.min()}-{self.rates.index.max()}" if len(self.rates) else "no years"
        fitted = f" fitted on {self.sites:,} reference sites ({self.source})" if self.sites else f" ({self.source})"
        classes = ""
        if len(self.class_ratios):
            classes = "; by road class x" + ", ".join(f"{c} {r:.2f}" for c, r in self.class_ratios.items())
        return (f"<SafetyPerformance{fitted}, {years}: {self.rates.mean():.2f} collisions per km2 a year on "
                f"average{' (base class)' if classes else ''}, k = {self.k:.3f}{classes}>")

    def predict(self, area_km2: Any, start: Any, end: Any, road_class: Any = None) -> np.ndarray:
        """Expected collisions at sites of ``area_km2`` over the days ``start``..``end`` (both included; arrays
        of one value per site, or scalars): each year's rate times the share of that year in the period, times
        the ratio of each site's ``road_class`` when the SPF has road-class terms."""
        starts = pd.DatetimeIndex(np.atleast_1d(pd.to_datetime(start))).normalize()
        ends = pd.DatetimeIndex(np.atleast_1d(pd.to_datetime(end))).normalize()
        area = np.asarray(area_km2, dtype=float)
        need = set(range(int(starts.year.min()), int(ends.year.max()) + 1))
        missing = sorted(need - set(self.rates.index))
        if missing:
            raise InvalidInputError(f"the safety performance function has no rate for {', '.join(map(str, missing))} "
                                    f"(it covers {', '.join(map(str, self.rates.index))})")
        total = np.zeros(len(starts))
        s = starts.to_numpy()
        e = (ends + pd.Timedelta(days=1)).to_numpy()
        for year in sorted(need):
            y0, y1 = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01")
            overlap = (np.minimum(e, y1) - np.maximum(s, y0)) / np.timedelta64(1, "D")
            total += self.rates[year] * np.clip(overlap, 0, None) / ((y1 - y0) / np.timedelta64(1, "D"))
        return total * area * self._class_ratio(road_class, len(total))

    def _class_ratio(self, road_class: Any, n: int) -> np.ndarray:
        if not len(self.class_ratios):
            return np.ones(n)
        if road_class is None:
            raise InvalidInputError("this safety performance function has road-class terms: give each site's class")
        classes = np.broadcast_to(np.asarray(road_class, dtype=object), (n,))
        unknown = sorted(set(classes) - set(self.class_ratios.index))
        if unknown:
            raise InvalidInputError(f"no reference sites of road class {', '.join(map(str, unknown))} (the safety "
                                    f"performance function knows {', '.join(self.class_ratios.index)})")
        return self.class_ratios.reindex(classes).to_numpy(dtype=float)


def fit_safety_performance(counts: pd.DataFrame, site_class: Any = None,
                           source: str = "reference sites") -> SafetyPerformance:
    """Fit the SPF to ``counts``: one row per reference site and calendar year with ``site``, ``year``,
    ``collisions`` and ``exposure`` (km^2 of site times the share of the year the records cover). ``site_class``:
    each site's road class (indexed by ``site``), for one term per class; the most common is the base."""
    counts = counts[counts["exposure"] > 0]
    years = np.sort(counts["year"].unique())
    if len(years) == 0 or counts["site"].nunique() < 10:
        raise InvalidInputError("too few reference sites to fit a safety performance function (at least 10 needed)")
    column = np.searchsorted(years, counts["year"].to_numpy())
    design = np.zeros((len(counts), len(years)))
    design[np.arange(len(counts)), column] = 1.0
    others: list[str] = []
    base = ""
    if site_class is not None:
        cls = np.asarray(site_class, dtype=object)[counts["site"].to_numpy()]
        names, sizes = np.unique(cls, return_counts=True)
        base = str(names[np.argmax(sizes)])
        # A class with hardly a collision has no estimable rate of its own: it shares the base class's.
        totals = pd.Series(counts["collisions"].to_numpy(), index=cls).groupby(level=0).sum()
        pooled_with_base = [str(c) for c in names if c != base and totals[c] < MIN_CLASS_COLLISIONS]
        cls = np.where(np.isin(cls, pooled_with_base), base, cls)
        others = [str(c) for c in names if c != base and c not in pooled_with_base]
        design = np.column_stack([design] + [(cls == c).astype(float) for c in others])
    y = counts["collisions"].to_numpy(dtype=float)
    if (np.bincount(column, weights=y, minlength=len(years)) == 0).any():
        raise InvalidInputError("a year without a single collision at the reference sites: no rate can be fitted")
    fit = _engine.severity.fit_count_model(design, y, np.log(counts["exposure"].to_numpy(dtype=float)),
                                           "negative_binomial")
    theta = float(fit["theta"])
    k = 1.0 / theta if np.isfinite(theta) and theta > 0 else 0.0
    index = pd.Index(years.astype(int), name="year")
    coef, se = np.asarray(fit["coefficients"]), np.asarray(fit["standard_errors"])
    ratios = pd.Series(dtype=float)
    if site_class is not None:
        ratios = pd.Series(np.exp(np.r_[0.0, coef[len(years):], np.zeros(len(pooled_with_base))]),
                           index=pd.Index([base] + others + pooled_with_base, name="road_class"))
    return SafetyPerformance(rates=pd.Series(np.exp(coef[:len(years)]), index=index), k=k,
                             sites=int(counts["site"].nunique()), source=source,
                             standard_errors=pd.Series(se[:len(years)], index=index), class_ratios=ratios)
