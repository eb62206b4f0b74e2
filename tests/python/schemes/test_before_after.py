"""Hauer's EB before/after estimator: the brief's formulas computed here independently, planted effects recovered
with intervals that cover them about 95 % of the time, and regression to the mean not credited to a scheme."""
from __future__ import annotations

import math

import numpy as np
import pytest
import roadsafe as rs
from roadsafe.errors import InvalidInputError
from roadsafe.schemes import comparison_group_before_after, naive_before_after

XB = [12, 7, 0, 25, 3, 9]
XA = [6, 8, 1, 14, 2, 4]
PB = [4.2, 6.1, 1.3, 9.8, 2.2, 5.0]
PA = [3.9, 6.4, 1.1, 8.7, 2.5, 4.1]
K = 0.62


def _by_hand(xb, xa, pb, pa, k):
    """Steps 1-5 of ../shared/reference/scheme_evaluation.md, one site at a time in plain Python."""
    pis, var_pis, ws, ebs = [], [], [], []
    for b, a, p_b, p_a in zip(xb, xa, pb, pa):
        w = 1 / (1 + k * p_b)
        eb = w * p_b + (1 - w) * b
        pi = eb * p_a / p_b
        ws.append(w)
        ebs.append(eb)
        pis.append(pi)
        var_pis.append(pi * (p_a / p_b) * (1 - w))
    pi, var_pi, lam = sum(pis), sum(var_pis), sum(xa)
    theta = (lam / pi) / (1 + var_pi / pi ** 2)
    var_theta = theta ** 2 * (1 / lam + var_pi / pi ** 2) / (1 + var_pi / pi ** 2) ** 2
    return dict(w=ws, eb=ebs, pi_i=pis, var_pi_i=var_pis, pi=pi, var_pi=var_pi, lam=lam, theta=theta,
                var_theta=var_theta)


def test_the_estimator_is_the_briefs_formulas():
    r = rs.eb_before_after(XB, XA, PB, PA, K)
    h = _by_hand(XB, XA, PB, PA, K)
    np.testing.assert_allclose(r.sites["weight"], h["w"], rtol=1e-9, atol=0)
    np.testing.assert_allclose(r.sites["eb_before"], h["eb"], rtol=1e-9, atol=0)
    np.testing.assert_allclose(r.sites["expected_after"], h["pi_i"], rtol=1e-9, atol=0)
    np.testing.assert_allclose(r.sites["expected_variance"], h["var_pi_i"], rtol=1e-9, atol=0)
    assert r.expected_after == pytest.approx(h["pi"], rel=1e-9)
    assert r.expected_variance == pytest.approx(h["var_pi"], rel=1e-9)
    assert r.observed_after == h["lam"]
    assert r.theta == pytest.approx(h["theta"], rel=1e-9)
    assert r.variance == pytest.approx(h["var_theta"], rel=1e-9)
    se = math.sqrt(h["var_theta"])
    assert r.lower == pytest.approx(h["theta"] - 1.96 * se, rel=1e-4)  # 1.959964: the brief's 1.96 to 4 digits
    assert r.upper == pytest.approx(h["theta"] + 1.96 * se, rel=1e-4)
    z = 1.959963984540054
    assert r.lower == pytest.approx(h["theta"] - z * se, rel=1e-9)
    assert r.log_lower == pytest.approx(h["theta"] * math.exp(-z * se / h["theta"]), rel=1e-9)
    assert r.log_upper == pytest.approx(h["theta"] * math.exp(z * se / h["theta"]), rel=1e-9)
    assert r.percent_change == pytest.approx(100 * (1 - h["theta"]), rel=1e-9)
    # each site's own theta is the same estimator over that site alone
    for i in range(len(XB)):
        one = _by_hand(XB[i:i + 1], XA[i:i + 1], PB[i:i + 1], PA[i:i + 1], K)
        assert r.sites["theta"].iloc[i] == pytest.approx(one["theta"], rel=1e-9)


def test_the_repr_reads_as_a_sentence():
    r = rs.eb_before_after(XB, XA, PB, PA, K)
    text = repr(r)
    assert text.startswith("<BeforeAfter Empirical Bayes, 6 sites: 56 collisions before, 35 after where")
    assert "fewer than expected (95% CI" in text and "log-scale CI" in text and f"theta = {r.theta:.3f}" in text


def test_the_other_methods_by_hand():
    naive = naive_before_after([10, 20], [5, 9], length_ratio=[1.0, 0.5])
    pi, var = 10 + 10, 10 + 0.25 * 20
    theta = (14 / pi) / (1 + var / pi ** 2)
    assert naive.theta == pytest.approx(theta, rel=1e-12)
    cg = comparison_group_before_after([10], [6], [400], [300])
    r = (300 / 400) / (1 + 1 / 400)
    pi = 10 * r
    var = r * r * 10 + pi * pi * (1 / 300 + 1 / 400)
    assert cg.theta == pytest.approx((6 / pi) / (1 + var / pi ** 2), rel=1e-12)


@pytest.mark.parametrize("args, message", [
    (([1, 2], [1], [1, 1], [1, 1], 0.5), "observed_after has 1 values for 2 sites; give one per site"),
    (([1], [1], [0], [1], 0.5), "predicted_before must be > 0 (the prediction divides by it); site 0 has 0.0"),
    (([1], [-1], [1], [1], 0.5), "observed_after must be finite and >= 0; site 0 has -1.0"),
])
def test_bad_input_is_named(args, message):
    with pytest.raises(InvalidInputError) as e:
        rs.eb_before_after(*args)
    assert str(e.value) == message


def _simulate(rng, n_sites, theta, k, selected_from=None):
    """Sites whose true means scatter around the SPF's predictions as the SPF says (gamma, shape 1/k), Poisson
    counts before and after; the after mean is theta times what it would have been. With ``selected_from``, that
    many sites are drawn and the n_sites with the most collisions before are kept (how schemes are picked)."""
    n = selected_from or n_sites
    pb = rng.uniform(2, 8, n)
    pa = pb * rng.uniform(0.8, 1.0, n)  # a falling trend, different at each site
    m = rng.gamma(1 / k, k, n)  # the site's own multiplier of the prediction
    xb = rng.poisson(pb * m)
    xa = rng.poisson(theta * pa * m)
    if selected_from:
        keep = np.argsort(-xb, kind="stable")[:n_sites]
        pb, pa, xb, xa = pb[keep], pa[keep], xb[keep], xa[keep]
    return xb, xa, pb, pa


def test_planted_effects_are_recovered_with_about_95_percent_coverage():
    rng = np.random.default_rng(17)
    k, seeds = 0.5, 1000
    covered, estimates = 0, []
    for i in range(seeds):
        theta = (0.6, 0.8, 1.0)[i % 3]
        xb, xa, pb, pa = _simulate(rng, 150, theta, k)
        r = rs.eb_before_after(xb, xa, pb, pa, k)
        covered += r.lower <= theta <= r.upper
        estimates.append(r.theta / theta)
    assert 0.93 <= covered / seeds <= 0.97
    assert np.mean(estimates) == pytest.approx(1.0, abs=0.01)


def test_sites_chosen_for_high_counts_fall_without_treatment_naively_but_not_by_eb():
    rng = np.random.default_rng(3)
    k, seeds = 0.5, 300
    eb_covers, naive_covers, naive_falls = 0, 0, []
    for _ in range(seeds):
        xb, xa, pb, pa = _simulate(rng, 100, 1.0, k, selected_from=2000)
        eb = rs.eb_before_after(xb, xa, pb, pa, k)
        naive = naive_before_after(xb, xa)
        eb_covers += eb.lower <= 1.0 <= eb.upper
        naive_covers += naive.lower <= 1.0 <= naive.upper
        naive_falls.append(naive.percent_change)
    assert np.mean(naive_falls) > 20  # regression to the mean (and the trend): a fifth fewer collisions "after"
    assert naive_covers == 0
    assert 0.92 <= eb_covers / seeds <= 0.98
