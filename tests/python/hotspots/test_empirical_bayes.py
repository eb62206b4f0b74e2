"""Empirical Bayes ranking: hand-computed answers, the shrinkage limits, and the Cambridgeshire grid."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs


def test_reference_group_estimate_by_hand():
    # Counts 0, 2, 4, 10: mean 4, sample variance 56/3, k = 16 / (56/3 - 4) = 12/11.
    sites = pd.DataFrame({"site": list("abcd"), "collisions": [0, 2, 4, 10]})
    out = rs.empirical_bayes(sites).set_index("site")
    k = 12 / 11
    w = 1 / (1 + 4 / k)
    assert out.loc["d", "k"] == pytest.approx(k)
    assert out.loc["d", "eb"] == pytest.approx(w * 4 + (1 - w) * 10)
    assert out.loc["a", "eb"] == pytest.approx((1 - w) * 0 + w * 4)
    assert out.loc["d", "psi"] == pytest.approx(out.loc["d", "eb"] - 4)
    assert list(out.index[:1]) == ["d"] and out.loc["d", "eb_rank"] == 1
    assert (out.eb_lower <= out.eb).all() and (out.eb <= out.eb_upper).all()


def test_groups_and_spf():
    sites = pd.DataFrame({"collisions": [1, 3, 2, 20, 22, 30], "speed_limit": [30, 30, 30, 70, 70, 70]})
    by_group = rs.empirical_bayes(sites, group="speed_limit").sort_index()
    assert list(by_group.expected) == pytest.approx([2, 2, 2, 24, 24, 24])
    # Group 30 has variance 1 <= mean 2: no extra variation, so every site is estimated at the mean.
    assert list(by_group.eb[:3]) == pytest.approx([2, 2, 2])
    spf = rs.empirical_bayes(sites, spf=np.full(6, 10.0), k=5.0).sort_index()
    w = 1 / (1 + 10 / 5)
    assert spf.eb.iloc[3] == pytest.approx(w * 10 + (1 - w) * 20)
    with pytest.raises(ValueError, match="needs its dispersion k"):
        rs.empirical_bayes(sites, spf=np.full(6, 10.0))


def test_cambridgeshire_grid_flags_regression_to_the_mean(cambs):
    cells = rs.hotspots.grid_cells(cambs, cell=500, include_empty=True)
    ranked = rs.empirical_bayes(cells)
    top_raw = cells.sort_values("collisions", ascending=False).head(20)
    # EB never ranks a cell above its own count's evidence: estimates sit between the mean and the count.
    mean = cells.collisions.mean()
    assert ((ranked.eb >= np.minimum(ranked.collisions, mean) - 1e-9) &
            (ranked.eb <= np.maximum(ranked.collisions, mean) + 1e-9)).all()
    assert ranked.eb_rank.iloc[0] == 1 and ranked.psi.is_monotonic_decreasing
    # The busiest cells keep most of their count (large k shrinks little at high counts)...
    assert ranked.set_index(["col", "row"]).loc[list(zip(top_raw.col, top_raw.row)), "rtm_share"].max() < 0.5
    # ...while cells with one or two collisions above a near-zero mean are flagged as likely chance.
    low = ranked[(ranked.collisions >= 1) & (ranked.collisions <= 2)]
    assert low.likely_rtm.mean() > 0.9
