"""Annual trend: the engine's Poisson / negative binomial fit against an independent maximum-likelihood fit
(scipy), the reporting-step share by hand, and the errors."""
import math

import numpy as np
import pytest
import roadsafe as rs
from scipy import optimize, special


def _poisson_mle(X, y):
    """Independent Poisson fit: minimise the negative log-likelihood, SEs from the Fisher information."""
    nll = lambda b: float(np.sum(np.exp(X @ b) - y * (X @ b)))
    b = optimize.minimize(nll, np.zeros(X.shape[1]), method="BFGS", options={"gtol": 1e-10}).x
    mu = np.exp(X @ b)
    return b, np.sqrt(np.diag(np.linalg.inv(X.T @ (mu[:, None] * X))))


def _nb_mle(X, y):
    """Independent NB2 fit over (b, log theta); SEs of b from the expected information at theta."""
    def nll(p):
        b, theta = p[:-1], math.exp(p[-1])
        mu = np.exp(X @ b)
        return -float(np.sum(special.gammaln(y + theta) - special.gammaln(theta) - special.gammaln(y + 1)
                             + theta * np.log(theta / (theta + mu)) + y * np.log(mu / (theta + mu))))
    p = optimize.minimize(nll, np.r_[np.log(y.mean()), np.zeros(X.shape[1] - 1), 3.0], method="Nelder-Mead",
                          options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40000, "maxfev": 40000}).x
    b, theta = p[:-1], math.exp(p[-1])
    mu = np.exp(X @ b)
    w = mu / (1 + mu / theta)
    return b, theta, np.sqrt(np.diag(np.linalg.inv(X.T @ (w[:, None] * X))))


@pytest.mark.parametrize("measure", ["ksi", "serious", "slight"])
def test_poisson_trend_equals_an_independent_fit(cambs, measure):
    t = rs.annual_trend(cambs, measure=measure, family="poisson")
    y = t.table["observed"].to_numpy()
    x = np.arange(len(y)) - (len(y) - 1) / 2
    b, se = _poisson_mle(np.column_stack([np.ones_like(x), x]), y)
    assert t.annual_change == pytest.approx(math.expm1(b[1]), abs=1e-6)
    assert t.lower == pytest.approx(math.expm1(b[1] - 1.959964 * se[1]), abs=1e-5)
    assert t.upper == pytest.approx(math.expm1(b[1] + 1.959964 * se[1]), abs=1e-5)
    assert list(t.table.index) == ["2012-13", "2013-14", "2014-15", "2015-16", "2016-17"]  # complete years only


def test_negative_binomial_trend_equals_an_independent_fit(cambs):
    # Slight collisions by calendar year vary more than Poisson allows, so theta is finite.
    t = rs.annual_trend(cambs, measure="slight", by="calendar_year")
    y = t.table["observed"].to_numpy()
    x = np.arange(len(y)) - (len(y) - 1) / 2
    b, theta, se = _nb_mle(np.column_stack([np.ones_like(x), x]), y)
    assert t.theta == pytest.approx(theta, rel=1e-3)
    assert t.annual_change == pytest.approx(math.expm1(b[1]), abs=1e-5)
    assert t.upper - t.lower == pytest.approx(math.expm1(b[1] + 1.959964 * se[1]) - math.expm1(b[1] - 1.959964 * se[1]),
                                              rel=1e-3)


def test_switch_share_and_the_trend_net_of_the_step(cambs):
    raw = rs.annual_trend(cambs, measure="ksi")
    net = rs.annual_trend(cambs, measure="ksi", switch_date="2016-07-01")
    # 2016-07-01 to 2017-04-01 is 274 of the 365 days of financial year 2016-17.
    assert net.table["step_share"].tolist() == pytest.approx([0, 0, 0, 0, 274 / 365])
    # Cambridgeshire: KSI rose about 4.5% a year as recorded, flat once the reporting step is taken out.
    assert raw.annual_change > 0.03 and net.lower < 0 < net.upper
    assert 1 < net.step_lower < net.step_ratio < net.step_upper
    assert "taken out" in repr(net)


def test_errors(cambs):
    with pytest.raises(ValueError, match="by must be one of"):
        rs.annual_trend(cambs, by="month")
    with pytest.raises(ValueError, match="measure must be"):
        rs.annual_trend(cambs, measure="killed")
    with pytest.raises(ValueError, match="outside the complete years"):
        rs.annual_trend(cambs, switch_date="2020-01-01")
    with pytest.raises(ValueError, match="family must be"):
        rs.annual_trend(cambs, family="gaussian")
