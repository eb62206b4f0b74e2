"""Before/after estimates of a scheme's effect: Empirical Bayes (Hauer), naive and comparison group.

    r = rs.eb_before_after(observed_before, observed_after, predicted_before, predicted_after, k)
    r.theta, r.lower, r.upper, r.percent_change, r.sites

Every method gives, per treated site, the count expected after had nothing been done (pi_i) and its variance,
and pools them into Hauer's index of effectiveness (Observational before-after studies, 1997):
theta = (lambda / pi) / (1 + Var(pi) / pi^2), Var(theta) = theta^2 (1/lambda + Var(pi)/pi^2) / (1 + Var(pi)/pi^2)^2,
with lambda the observed after count. theta < 1 means fewer collisions than expected; 100 (1 - theta) is the
percentage change (the reduction: positive when there were fewer). The methods differ only in pi_i:
- EB: the before count pulled towards a safety performance function's prediction (weight w = 1 / (1 + k P_b)),
  carried to the after period by the prediction ratio P_a / P_b (trend and regression to the mean allowed for);
- naive: the before count scaled by the periods' lengths (neither allowed for);
- comparison group: the before count times the comparison sites' after/before ratio (trend only).
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidInputError


@dataclass(repr=False)
class BeforeAfter:
    """A pooled before/after estimate with the per-site figures it came from (``sites``)."""

    method: str                 # "Empirical Bayes", "naive" or "comparison group"
    theta: float                # index of effectiveness: after count / count expected without the scheme
    variance: float             # Var(theta)
    lower: float                # theta - z SE (the usual interval)
    upper: float                # theta + z SE
    log_lower: float            # exp(ln theta - z SE/theta): the interval on the log scale (never below 0)
    log_upper: float
    observed_before: float
    observed_after: float       # lambda
    expected_after: float       # pi: expected after count had nothing been done
    expected_variance: float    # Var(pi)
    sites: pd.DataFrame         # per site: observed, expected_after (pi_i), its variance, theta_i with interval
    confidence: float = 0.95

    @property
    def se(self) -> float:
        """The standard error of theta."""
        return float(np.sqrt(self.variance))

    @property
    def percent_change(self) -> float:
        """100 (1 - theta), as in Hauer: 20.0 means 20 % fewer collisions than expected without the scheme
        (negative: more)."""
        return 100.0 * (1.0 - self.theta)

    @property
    def percent_interval(self) -> tuple[float, float]:
        """The usual interval as percentage reductions, (smallest, largest) = 100 (1 - upper), 100 (1 - lower)."""
        return 100.0 * (1.0 - self.upper), 100.0 * (1.0 - self.lower)

    def __repr__(self) -> str:
        n = len(self.sites)
        lo, hi = self.percent_interval
        return (f"<BeforeAfter {self.method}, {n} site{'s' * (n != 1)}: {self.observed_before:g} collisions before, "
                f"{self.observed_after:g} after where {self.expected_after:.1f} were expected without the scheme; "
                f"{change_words(self.percent_change)} ({self.confidence:.0%} CI {lo:+.1f}% to {hi:+.1f}% fewer; "
                f"log-scale CI {100 * (1 - self.log_upper):+.1f}% to {100 * (1 - self.log_lower):+.1f}%), "
                f"theta = {self.theta:.3f} ({self.confidence:.0%} CI {self.lower:.3f} to {self.upper:.3f})>")

    def summary(self) -> dict[str, Any]:
        """One row of a table of methods."""
        return {"method": self.method, "observed_before": self.observed_before, "observed_after": self.observed_after,
                "expected_after": self.expected_after, "theta": self.theta, "se": self.se, "lower": self.lower,
                "upper": self.upper, "log_lower": self.log_lower, "log_upper": self.log_upper,
                "percent_change": self.percent_change, "percent_lower": self.percent_interval[0],
                "percent_upper": self.percent_interval[1]}


def change_words(reduction: float) -> str:
    """"18.3% fewer than expected" / "4.0% more than expected"."""
    if not np.isfinite(reduction):
        return "no estimate"
    return f"{abs(reduction):.1f}% {'fewer' if reduction >= 0 else 'more'} than expected"


def effectiveness(observed_after: Any, expected: Any, expected_variance: Any) -> tuple[np.ndarray, np.ndarray]:
    """Hauer's index of effectiveness theta and Var(theta) from lambda, pi and Var(pi) (arrays work
    element-wise; NaN where nothing was expected)."""
    lam = np.asarray(observed_after, dtype=float)
    pi = np.asarray(expected, dtype=float)
    var_pi = np.asarray(expected_variance, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(pi > 0, var_pi / pi ** 2, np.nan)
        theta = np.where(pi > 0, (lam / pi) / (1 + rel), np.nan)
        var = theta ** 2 * (1 / lam + rel) / (1 + rel) ** 2
        var = np.where(lam > 0, var, np.nan)  # no after collisions: theta is 0 with no usable variance
    return theta, var


def _interval(theta: np.ndarray, var: np.ndarray, z: float) -> dict[str, np.ndarray]:
    se = np.sqrt(var)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_se = se / theta
    return {"lower": theta - z * se, "upper": theta + z * se,
            "log_lower": theta * np.exp(-z * log_se), "log_upper": theta * np.exp(z * log_se)}


def _as_array(name: str, values: Any, n: int | None = None, one_for_all: bool = False) -> np.ndarray:
    """One finite number >= 0 per site (``n`` of them when given; or one for all with ``one_for_all``)."""
    a = np.atleast_1d(np.asarray(values, dtype=float))
    if a.ndim != 1:
        raise InvalidInputError(f"{name} must be one number per site, got shape {a.shape}", column=name)
    if n is not None and len(a) != n and not (one_for_all and len(a) == 1):
        raise InvalidInputError(f"{name} has {len(a)} values for {n} sites; give one per site", column=name)
    bad = ~np.isfinite(a) | (a < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(f"{name} must be finite and >= 0; site {i} has {a[i]}", column=name, value=str(a[i]))
    return np.broadcast_to(a, (n,)).copy() if n is not None else a


def pooled(method: str, observed_before: np.ndarray, observed_after: np.ndarray, expected: np.ndarray,
           expected_variance: np.ndarray, extra: dict[str, np.ndarray], confidence: float = 0.95,
           index: Any = None) -> BeforeAfter:
    """A BeforeAfter from the per-site expected after counts pi_i and Var(pi_i) of any method."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    theta_i, var_i = effectiveness(observed_after, expected, expected_variance)
    sites = pd.DataFrame({"observed_before": observed_before, "observed_after": observed_after, **extra,
                          "expected_after": expected, "expected_variance": expected_variance, "theta": theta_i,
                          "se": np.sqrt(var_i), **_interval(theta_i, var_i, z)}, index=index)
    sites["percent_change"] = 100 * (1 - theta_i)  # reduction, as percent_change of the pooled result
    sites["rose"] = theta_i > 1  # more collisions after than expected without the scheme
    lam, pi, var_pi = observed_after.sum(), expected.sum(), expected_variance.sum()
    theta, var = (float(v) for v in effectiveness(lam, pi, var_pi))
    ci = {name: float(v) for name, v in _interval(np.array(theta), np.array(var), z).items()}
    return BeforeAfter(method=method, theta=theta, variance=var, observed_before=float(observed_before.sum()),
                       observed_after=float(lam), expected_after=float(pi), expected_variance=float(var_pi),
                       sites=sites, confidence=confidence, **ci)


def eb_before_after(observed_before: Any, observed_after: Any, predicted_before: Any, predicted_after: Any,
                    k: Any, confidence: float = 0.95, index: Any = None) -> BeforeAfter:
    """Hauer's Empirical Bayes before/after estimate over the treated sites.

    Per site (arrays, one value per site; ``k`` may be one number for all): observed collisions before and
    after, the safety performance function's predictions for the same periods, and its negative binomial
    over-dispersion k (Var = mu + k mu^2). Per site: w = 1 / (1 + k P_b), EB = w P_b + (1 - w) x_b,
    pi = EB P_a / P_b, Var(pi) = pi (P_a / P_b) (1 - w); pooled theta as in the module docstring.
    ``sites`` of the result holds w (``weight``), ``eb_before``, pi (``expected_after``) and Var(pi) per site
    with each site's own theta and interval; ``index`` labels its rows (e.g. scheme names).
    """
    xb = _as_array("observed_before", observed_before)
    n = len(xb)
    xa = _as_array("observed_after", observed_after, n)
    pb = _as_array("predicted_before", predicted_before, n)
    pa = _as_array("predicted_after", predicted_after, n)
    kk = _as_array("k", k, n, one_for_all=True)
    if (pb <= 0).any():
        i = int(np.flatnonzero(pb <= 0)[0])
        raise InvalidInputError(f"predicted_before must be > 0 (the prediction divides by it); site {i} has {pb[i]}",
                                column="predicted_before", value=str(pb[i]))
    w = 1 / (1 + kk * pb)
    eb = w * pb + (1 - w) * xb
    ratio = pa / pb
    pi = eb * ratio
    var_pi = pi * ratio * (1 - w)
    extra = {"predicted_before": pb, "predicted_after": pa, "k": kk, "weight": w, "eb_before": eb}
    return pooled("Empirical Bayes", xb, xa, pi, var_pi, extra, confidence, index)


def naive_before_after(observed_before: Any, observed_after: Any, length_ratio: Any = 1.0,
                       confidence: float = 0.95, index: Any = None) -> BeforeAfter:
    """The naive estimate: the before count, scaled by after/before period lengths, is what was expected
    (Var(pi_i) = r^2 x_b, the Poisson variance of the before count). Credits the scheme with regression to the
    mean and with the general trend."""
    xb = _as_array("observed_before", observed_before)
    xa = _as_array("observed_after", observed_after, len(xb))
    r = _as_array("length_ratio", length_ratio, len(xb), one_for_all=True)
    return pooled("naive", xb, xa, r * xb, r ** 2 * xb, {"ratio": r}, confidence, index)


def comparison_group_before_after(observed_before: Any, observed_after: Any, comparison_before: Any,
                                  comparison_after: Any, confidence: float = 0.95, index: Any = None) -> BeforeAfter:
    """The comparison-group estimate: the before count times the comparison sites' after/before ratio,
    r = (C_a / C_b) / (1 + 1 / C_b) (Hauer's bias-corrected ratio), so the trend is allowed for but not
    regression to the mean. Var(pi_i) = r^2 x_b + x_b^2 r^2 (1/C_a + 1/C_b)."""
    xb = _as_array("observed_before", observed_before)
    n = len(xb)
    xa = _as_array("observed_after", observed_after, n)
    cb = _as_array("comparison_before", comparison_before, n)
    ca = _as_array("comparison_after", comparison_after, n)
    if (cb <= 0).any() or (ca <= 0).any():
        raise InvalidInputError("the comparison group needs collisions both before and after each scheme")
    r = (ca / cb) / (1 + 1 / cb)
    pi = r * xb
    var_pi = r ** 2 * xb + pi ** 2 * (1 / ca + 1 / cb)
    return pooled("comparison group", xb, xa, pi, var_pi,
                  {"comparison_before": cb, "comparison_after": ca, "ratio": r}, confidence, index)
