"""Gi*'s conditional-permutation pseudo p-values against the exact permutation distribution, computed here
independently (scipy's KD-tree for the neighbours, subsets counted in numpy), on the real Cambridgeshire
cells; and esda's on the same cells against the same exact distribution."""
from __future__ import annotations

import importlib
import math

import numpy as np
import pytest
import roadsafe as rs


@pytest.fixture(scope="module")
def cells(cambs):
    """The occupied 500 m cells of the 12,108 Cambridgeshire collisions, as in the hotspot benchmark."""
    c = rs.hotspots.grid_cells(cambs, cell=500, include_empty=False)
    return c[["x", "y"]].to_numpy(), c["collisions"].to_numpy(float)


def _neighbourhoods(xy, distance):
    """Each unit's other units within ``distance`` (inclusive), by scipy's KD-tree."""
    tree = importlib.import_module("scipy.spatial").cKDTree(xy)
    return [np.array(sorted(set(r) - {i}), dtype=np.int64)
            for i, r in enumerate(tree.query_ball_point(xy, distance + 1e-9))]


def _subset_sum_counts(pool, kmax, cap):
    """counts[j, s]: how many j-subsets of the whole-number multiset ``pool`` sum to s, for j <= kmax and
    s < cap; sums of cap or more are counted in column cap."""
    counts = np.zeros((kmax + 1, cap + 1))
    counts[0, 0] = 1.0
    values, multiplicity = np.unique(pool.astype(np.int64), return_counts=True)
    for v, m in zip(values, multiplicity):
        new = counts.copy()
        for t in range(1, min(int(m), kmax) + 1):  # t copies of the value v, chosen in C(m, t) ways
            ways, shift = float(math.comb(int(m), t)), t * int(v)
            src = counts[:kmax + 1 - t]
            if shift <= cap:
                new[t:, shift:] += ways * src[:, :cap + 1 - shift]
                new[t:, cap] += ways * src[:, cap + 1 - shift:].sum(axis=1)
            else:
                new[t:, cap] += ways * src.sum(axis=1)
        counts = new
    return counts


def _exact_reaching(values, nbrs):
    """For each unit i with k other neighbours: the exact probability that k values drawn without
    replacement from the other n - 1 units sum to at least its neighbours' observed sum -- the chance
    that one conditional permutation reaches the observed G* (binary weights)."""
    k = np.array([len(nb) for nb in nbrs])
    observed = np.array([values[nb].sum() for nb in nbrs]).astype(np.int64)
    cap = int(observed.max())
    q = np.ones(len(values))
    for v in np.unique(values):  # the pool is every value but one copy of x_i: the same for equal x_i
        units = np.flatnonzero((values == v) & (k > 0))
        if len(units) == 0:
            continue
        pool = np.delete(values, units[0])
        counts = _subset_sum_counts(pool, int(k[units].max()), cap)
        for i in units:
            q[i] = counts[k[i], observed[i]:].sum() / float(math.comb(len(pool), int(k[i])))
    return np.clip(q, 0.0, 1.0), k


def _share_below(q, k, permutations, alpha):
    """Expected share of units with folded pseudo p <= alpha when each unit's count of reaching
    permutations is Binomial(permutations, q), and that share's variance."""
    binom = importlib.import_module("scipy.stats").binom
    c = math.floor(alpha * (permutations + 1) - 1 + 1e-9)  # p <= alpha  <=>  min(L, P - L) <= c
    prob = binom.cdf(c, permutations, q) + binom.sf(permutations - c - 1, permutations, q)
    prob = np.where(k > 0, prob, 1.0)  # no other neighbour: p is 1 / (P + 1)
    return prob.mean(), np.sum(prob * (1 - prob)) / len(q) ** 2


def test_exact_reaching_probability_by_enumeration():
    # The subset counting itself, against listing every subset: 9 others, 3 drawn.
    import itertools

    values = np.array([1, 4, 2, 2, 7, 1, 3, 2, 5, 1], dtype=float)
    nbrs = [np.array([1, 2, 3])] + [np.array([0])] * 9
    q, _ = _exact_reaching(values, nbrs)
    others = np.delete(values, 0)
    sums = [sum(s) for s in itertools.combinations(others, 3)]
    assert q[0] == pytest.approx(np.mean(np.array(sums) >= 8), abs=1e-12)


def test_pseudo_p_matches_the_exact_permutation_distribution_unit_by_unit(cells):
    # A 12 km square of Cambridge's cells (2^16 mod n is small: 16-bit words), 9,999 permutations. Drawing
    # with replacement, or letting i draw itself, would put the mean near 1.5 sd here.
    xy, values = cells
    inside = (np.abs(xy[:, 0] - 545000) < 6000) & (np.abs(xy[:, 1] - 258000) < 6000)
    xy, values = xy[inside], values[inside]
    assert 150 < len(values) < 400
    _assert_matches_exact(xy, values, 1500, 9999, seed=3)


def _assert_matches_exact(xy, values, distance, P, seed):
    """Each unit's folded count min(L, P - L) within 5 sd of P min(q, 1 - q) (L ~ Binomial(P, q), q the exact
    chance that one conditional permutation reaches the observed G*), and on average within 1.2 sd."""
    gi = rs.gi_star(xy, values, distance=distance, permutations=P, seed=seed).table
    q, k = _exact_reaching(values, _neighbourhoods(xy, distance))
    np.testing.assert_array_equal(gi["neighbours"].to_numpy() - 1, k)
    folded = np.rint(gi["p_sim"].to_numpy() * (P + 1) - 1)
    expect = P * np.minimum(q, 1 - q)
    sd = np.sqrt(P * q * (1 - q))
    assert np.all(np.abs(folded - expect) <= 5 * sd + 1)
    assert np.mean(np.abs(folded - expect) / np.maximum(sd, 1)) < 1.2


@pytest.mark.parametrize("n, extent, distance", [
    (1500, 20000, 900),  # 2^16 mod 1500 = 1036: 32-bit words
    (14, 1000, 700),     # most units draw over a quarter of the others: Floyd's algorithm
])
def test_pseudo_p_matches_the_exact_permutation_distribution_on_other_draw_paths(n, extent, distance):
    rng = np.random.default_rng(n)
    xy = rng.uniform(0, extent, size=(n, 2))
    values = rng.poisson(2.0, n).astype(float) + 1
    _assert_matches_exact(xy, values, distance, 9999, seed=11)


def test_share_significant_agrees_with_exact_and_esda_on_all_real_cells(cells):
    # 2,722 cells, 999 permutations: the share with p_sim <= 0.05 (and <= 0.01) from roadsafe within 4 sd
    # of the share the exact permutation distribution gives (each cell's count binomial, independent
    # between cells: 0.2672, sd 0.0015 at 0.05). esda reuses one set of permutations for every cell, so its
    # share varies more from seed to seed (sd 0.005 over 12 seeds, against roadsafe's 0.0017): within 0.02.
    xy, values = cells
    P = 999
    ours = rs.gi_star(xy, values, distance=1500, permutations=P, seed=0).table["p_sim"].to_numpy()
    weights = importlib.import_module("libpysal.weights")
    getisord = importlib.import_module("esda.getisord")
    w = weights.DistanceBand(xy, threshold=1500, binary=True, silence_warnings=True)
    theirs = getisord.G_Local(values, w, transform="B", star=True, permutations=P, seed=0, n_jobs=1,
                              keep_simulations=False).p_sim
    q, k = _exact_reaching(values, _neighbourhoods(xy, 1500))
    for alpha in (0.05, 0.01):
        share, var = _share_below(q, k, P, alpha)
        assert abs(np.mean(ours <= alpha + 1e-9) - share) <= 4 * math.sqrt(var), (alpha, np.mean(ours <= alpha), share)
        assert abs(np.mean(theirs <= alpha + 1e-9) - share) <= 0.02, (alpha, np.mean(theirs <= alpha), share)
