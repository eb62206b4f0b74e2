"""Empirical Bayes ranking of sites: what each site is likely to have, not what it happened to count.

A site picked for a high count will usually record fewer collisions next period without any
treatment (regression to the mean). The EB estimate (Hauer) shrinks each site's count towards
what similar sites have, by how much the counts of similar sites vary beyond chance.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence, Union

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .road_segments import RoadSegments


def empirical_bayes(sites: Union[pd.DataFrame, "RoadSegments"], count: str = "collisions",
                    group: Union[None, str, Sequence[str]] = None, spf: Any = None, k: Any = None,
                    confidence: float = 0.95, exposure: Any = None) -> pd.DataFrame:
    """EB estimates, potential for safety improvement (PSI) and a regression-to-the-mean flag per site.

    ``sites``: one row per site, cell or segment with its count in ``count`` (fractional counts such
    as adjusted KSI are accepted). The prior is either
    - a **reference group** (default): the mean and variance of the counts of similar sites give a
      negative-binomial prior by the method of moments; ``group`` names the column(s) that define
      similar sites (e.g. ``"speed_limit"``), or None for one group of all sites. Use the whole
      population of sites (e.g. ``rs.hotspots.grid_cells(ds, include_empty=True)``), not only sites
      already selected for high counts, or the prior is biased upwards; or
    - a **safety performance function**: ``spf`` gives each site's predicted count (a column name or
      an array) and ``k`` its negative-binomial inverse dispersion (a number, column or array).

    ``exposure`` (reference groups only; a column name or an array of positive numbers): how much
    opportunity each site had, e.g. ``"length"`` for road segments of unequal length. Each site's
    true rate per unit of exposure is taken to be gamma-distributed around its group's rate with
    shape k, so its prior mean is mu_i = rate_g * exposure_i and Var(count_i) = mu_i + mu_i^2 / k.
    The group's rate is sum(count) / sum(exposure) and k comes from the method of moments made
    unbiased for unequal exposures (``exposure_priors``); with equal exposures this is exactly the
    estimate without exposure. ``sites`` may also be ``rs.hotspots.road_segments(...)`` (its segments).
    A reference group without a single collision (prior mean 0) gives its sites an estimate of 0.

    Adds columns ``expected`` (prior mean), ``k``, ``eb_weight`` (share taken from the prior), ``eb`` with
    ``eb_lower``/``eb_upper`` (posterior interval at ``confidence``), ``psi`` = eb − expected,
    ``rtm_share`` = the part of the count expected to disappear by regression to the mean, and
    ``likely_rtm``: the count is above expectation but the EB interval reaches down to it, so the
    high count is plausibly chance. Rows are sorted by PSI, largest first, with ``eb_rank``.
    """
    from .. import _engine
    from .road_segments import RoadSegments

    if isinstance(sites, RoadSegments):
        sites = sites.segments
    if count not in sites.columns:
        raise KeyError(f"sites have no column {count!r} (give count=...)")
    x = sites[count].to_numpy(dtype=float)
    out = sites.copy()
    if spf is not None and exposure is not None:
        raise ValueError("exposure applies to reference groups; with a safety performance function, "
                         "put the exposure into its predicted counts")
    if spf is not None:
        if k is None:
            raise ValueError("a safety performance function needs its dispersion k")
        mu = np.asarray(sites[spf] if isinstance(spf, str) else spf, dtype=float)
        kk = np.broadcast_to(np.asarray(sites[k] if isinstance(k, str) else k, dtype=float), x.shape).copy()
        out.attrs["prior"] = "safety performance function"
    else:
        if group is None:
            codes = np.zeros(len(sites), dtype=np.int32)
            n_groups = 1
        else:
            keys = sites[[group] if isinstance(group, str) else list(group)]
            codes_raw, uniques = pd.MultiIndex.from_frame(keys).factorize()
            codes, n_groups = codes_raw.astype(np.int32), len(uniques)
            if (codes < 0).any():
                raise ValueError(f"some sites have no value in {group!r}; every site needs a reference group")
        if exposure is None:
            priors = _engine.hotspots.reference_priors(x, codes, n_groups)
            mu, kk = priors["mean"][codes], priors["k"][codes]
        else:
            e = np.asarray(sites[exposure] if isinstance(exposure, str) else exposure, dtype=float)
            if e.shape != x.shape:
                raise ValueError(f"exposure must have one value per site ({len(x)}), got shape {e.shape}")
            if not (np.isfinite(e) & (e > 0)).all():
                raise ValueError("every site needs a positive exposure")
            sizes = np.bincount(codes, minlength=n_groups)
            if group is not None and (sizes < 2).any():
                g = int(np.flatnonzero(sizes < 2)[0])
                raise ValueError(f"reference group {group}={_label(uniques[g])} has fewer than 2 sites; a prior "
                                 "needs a group of similar sites")
            rate, k_group = exposure_priors(x, e, codes, n_groups)
            mu, kk = rate[codes] * e, k_group[codes]
            out["exposure"] = e
            out.attrs["exposure"] = exposure if isinstance(exposure, str) else "given"
        out.attrs["prior"] = f"reference group{'s by ' + str(group) if group is not None else ' (all sites)'}"
    # A reference group without a single collision has prior mean 0: its sites are estimated at 0
    # (the limit of the gamma posterior), so only sites with a positive prior go to the engine.
    live = np.ones(len(x), dtype=bool) if spf is not None else mu > 0
    eb = {"weight": np.ones(len(x)), "estimate": np.zeros(len(x)), "lower": np.zeros(len(x)),
          "upper": np.zeros(len(x)), "psi": np.zeros(len(x))}
    if live.any():
        live_eb = _engine.hotspots.empirical_bayes(x[live], mu[live], kk[live], confidence)
        for name in eb:
            eb[name][live] = live_eb[name]
    out["expected"] = mu
    out["k"] = kk
    out["eb_weight"] = eb["weight"]
    out["eb"] = eb["estimate"]
    out["eb_lower"] = eb["lower"]
    out["eb_upper"] = eb["upper"]
    out["psi"] = eb["psi"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rtm_share"] = np.where(x > 0, np.clip((x - eb["estimate"]) / x, 0, 1), 0.0)
    out["likely_rtm"] = (x > mu) & (eb["lower"] <= mu)
    out = out.sort_values("psi", ascending=False, kind="stable")
    out["eb_rank"] = np.arange(1, len(out) + 1)
    out.attrs["confidence"] = confidence
    return out


def exposure_priors(counts: np.ndarray, exposure: np.ndarray, group: np.ndarray,
                    n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Method-of-moments rate and dispersion k of each reference group when sites differ in exposure.

    Model: count_i ~ Poisson(m_i), m_i ~ Gamma(shape k, mean r e_i), so E count_i = r e_i and
    Var count_i = r e_i + c e_i^2 with c = r^2 / k. With r = sum(x) / E, E = sum(e), S2 = sum(e^2),
    S3 = sum(e^3), the sum of squared residuals Q = sum (x_i - r e_i)^2 has expectation
    r (E - S2/E) + c (S2 - 2 S3/E + S2^2/E^2), which gives the unbiased c and k = r^2 / c
    (+infinity when c <= 0: no variation beyond chance). Equal exposures reduce it to the sample
    variance and mean of the counts, as without exposure."""
    x = np.asarray(counts, dtype=float)
    e = np.asarray(exposure, dtype=float)
    if not (np.isfinite(x) & (x >= 0)).all():
        raise ValueError("every site needs a count >= 0")
    n = np.bincount(group, minlength=n_groups)
    if (n < 2).any():
        g = int(np.flatnonzero(n < 2)[0])
        raise ValueError(f"reference group {g} has fewer than 2 sites; a prior needs a group of similar sites")
    total_e = np.bincount(group, weights=e, minlength=n_groups)
    s2 = np.bincount(group, weights=e ** 2, minlength=n_groups)
    s3 = np.bincount(group, weights=e ** 3, minlength=n_groups)
    rate = np.bincount(group, weights=x, minlength=n_groups) / total_e
    q = np.bincount(group, weights=(x - rate[group] * e) ** 2, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = (q - rate * (total_e - s2 / total_e)) / (s2 - 2 * s3 / total_e + (s2 / total_e) ** 2)
        k = np.where((c > 0) & (rate > 0), rate ** 2 / c, np.inf)
    return rate, k


def _label(key: Any) -> str:
    """A group's key as text: 'tertiary_link', 30, or (30, 'urban') for several columns."""
    if isinstance(key, tuple) and len(key) == 1:
        key = key[0]
    if isinstance(key, tuple):
        return "(" + ", ".join(_label(k) for k in key) + ")"
    return repr(key) if isinstance(key, str) else str(key)
