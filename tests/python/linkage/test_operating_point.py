"""Issue 14: the operating point chosen without the truth: rs.link(min_precision=...) links from the lowest
probability at which the links' expected precision (their mean match probability) reaches the target."""
from __future__ import annotations

import numpy as np
import pytest
import roadsafe as rs
from roadsafe.linkage.operating_point import expected_precision, threshold_for_precision
from roadsafe.linkage.second_registry import second_registry


def _lowest_by_brute_force(p: np.ndarray, target: float) -> float:
    """Every distinct probability tried as the threshold: the lowest whose links' mean reaches the target."""
    return min(t for t in set(p.tolist()) if p[p >= t].mean() >= target)


def test_the_threshold_by_hand():
    p = np.array([0.2, 0.9, 0.99, 0.5, 0.9, 0.97, 0.8])
    # Falling order 0.99, 0.97, 0.9, 0.9, 0.8, 0.5, 0.2: running means 0.99, 0.98, 0.94 (both 0.9s),
    # 0.912, 0.843, 0.752.
    assert threshold_for_precision(p, 0.9) == 0.8
    assert threshold_for_precision(p, 0.95) == 0.97
    # Taking one 0.9 alone would give 0.953, but pairs of equal probability go together: 0.94 < 0.945.
    assert threshold_for_precision(p, 0.945) == 0.97
    assert threshold_for_precision(p, 0.5) == 0.2
    assert expected_precision(p, 0.8) == pytest.approx((0.99 + 0.97 + 0.9 + 0.9 + 0.8) / 5)
    rng = np.random.default_rng(14)
    q = np.round(rng.beta(5, 0.4, 500), 3)  # rounded: many ties
    for target in (0.8, 0.9, 0.95, 0.97):
        assert threshold_for_precision(q, target) == _lowest_by_brute_force(q, target)
    with pytest.raises(ValueError, match="no threshold gives an expected precision of 0.9: the most probable "
                                         "link's probability is 0.6"):
        threshold_for_precision(np.array([0.6, 0.3]), 0.9)


@pytest.fixture(scope="module")
def dense(cambs):
    return second_registry(cambs, "dense", seed=3)


def test_min_precision_on_the_second_generator(cambs, dense):
    """Seed 3, collision level, Cambridgeshire: min_precision 0.95 chooses 0.516, where the links' expected
    precision is 0.950 and expected recall 0.928, measured P 0.946 R 0.923 (the same links as at 0.5: none
    lies between). The goal, precision 0.95 at recall 0.90, is missed by 0.004 on this seed (on seeds 1 and 2:
    P 0.955 / 0.947, R 0.902 / 0.923): the model's expected precision is 0.004 above the measured one, within
    the sampling error of a precision over 800 links (sd 0.007: sqrt(sum p(1 - p)) / n)."""
    links = rs.link(cambs, dense.patients, unit="collision", min_precision=0.95)
    p = links.candidates["match_probability"].to_numpy()
    assert links.threshold == _lowest_by_brute_force(p, 0.95)
    assert 0.5 < links.threshold < 0.55
    assert links.pairs["match_probability"].min() == links.threshold
    assert links.expected_precision == pytest.approx(links.pairs["match_probability"].mean())
    assert 0.95 <= links.expected_precision < 0.951
    ev = links.evaluate(dense.truth)
    assert ev.threshold == links.threshold and ev.true_positives + ev.false_positives == len(links.pairs)
    assert ev.precision > 0.94 and ev.recall > 0.91, ev
    assert abs(links.expected_precision - ev.precision) < 0.01
    assert abs(links.expected_recall - ev.recall) < 0.01
    assert "(chosen for expected precision >= 0.95): expected precision 0.950, expected recall 0.928" in repr(links)
    # Expected severe counts come from the probabilities, not the threshold: the same at 0.5 and at 0.99.
    at_half = rs.link(cambs, dense.patients, unit="collision")
    strict = rs.link(cambs, dense.patients, unit="collision", threshold=0.99, firm=0.99)
    assert len(strict.pairs) < len(links.pairs) <= len(at_half.pairs)
    tables = [rs.severity_table(cambs, x) for x in (links, at_half, strict)]
    for other in tables[1:]:
        np.testing.assert_allclose(tables[0]["severe_mais3_expected"], other["severe_mais3_expected"])
    assert tables[2]["severe_mais3"].sum() < tables[0]["severe_mais3"].sum()
    with pytest.raises(ValueError, match="give threshold or min_precision, not both"):
        rs.link(cambs, dense.patients, unit="collision", threshold=0.5, min_precision=0.95)
    with pytest.raises(ValueError, match="min_precision must lie between 0 and 1, not 1"):
        rs.link(cambs, dense.patients, unit="collision", min_precision=1)
