"""Empirical Bayes ranking of sites: what each site is likely to have, not what it happened to count.

A site picked for a high count will usually record fewer collisions next period without any
treatment (regression to the mean). The EB estimate (Hauer) shrinks each site's count towards
what similar sites have, by how much the counts of similar sites vary beyond chance.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np
import pandas as pd


def empirical_bayes(sites: pd.DataFrame, count: str = "collisions",
                    group: Union[None, str, Sequence[str]] = None, spf: Any = None, k: Any = None,
                    confidence: float = 0.95) -> pd.DataFrame:
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

    Adds columns ``expected`` (prior mean), ``k``, ``eb_weight`` (share taken from the prior), ``eb`` with
    ``eb_lower``/``eb_upper`` (posterior interval at ``confidence``), ``psi`` = eb − expected,
    ``rtm_share`` = the part of the count expected to disappear by regression to the mean, and
    ``likely_rtm``: the count is above expectation but the EB interval reaches down to it, so the
    high count is plausibly chance. Rows are sorted by PSI, largest first, with ``eb_rank``.
    """
    from . import _engine

    if count not in sites.columns:
        raise KeyError(f"sites have no column {count!r} (give count=...)")
    x = sites[count].to_numpy(dtype=float)
    out = sites.copy()
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
        priors = _engine.hotspots.reference_priors(x, codes, n_groups)
        mu, kk = priors["mean"][codes], priors["k"][codes]
        out.attrs["prior"] = f"reference group{'s by ' + str(group) if group is not None else ' (all sites)'}"
    eb = _engine.hotspots.empirical_bayes(x, mu, kk, confidence)
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
