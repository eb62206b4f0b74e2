"""Adjusted severity (issue 3 §3): DfT's published probabilities, the DfT/ONS logistic model, and the
interrupted time series for the reclassification step. Known answers are computed independently here."""
from __future__ import annotations

import csv
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe import _engine
from roadsafe.severity.model import model_frame

from conftest import TEST_DATA

SAMPLE_2021 = TEST_DATA / "stats19" / "dft-road-casualty-statistics-casualty-2021_first60rows.csv"


def _raw_sample() -> list[dict[str, str]]:
    with open(SAMPLE_2021, newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------------------------- (a)

def test_published_casualty_totals_reproduce_the_column_sums():
    raw = _raw_sample()
    serious_sum = sum(float(r["casualty_adjusted_severity_serious"]) for r in raw)
    slight_sum = sum(float(r["casualty_adjusted_severity_slight"]) for r in raw)
    assert serious_sum == pytest.approx(10.0302, abs=1e-9)
    assert slight_sum == pytest.approx(46.9698, abs=1e-9)
    ds = rs.read_stats19(str(SAMPLE_2021))
    t = rs.adjusted_totals(ds, unit="casualty")
    assert t["serious_adjusted"] == pytest.approx(serious_sum, abs=1e-9)
    assert t["slight_adjusted"] == pytest.approx(slight_sum, abs=1e-9)
    fatal = sum(r["casualty_severity"] == "1" for r in raw)
    assert t["fatal"] == fatal == 3
    assert t["ksi_adjusted"] == pytest.approx(fatal + serious_sum, abs=1e-9)
    # totals unchanged: adjusted serious + adjusted slight = non-fatal casualties
    assert t["serious_adjusted"] + t["slight_adjusted"] == pytest.approx(len(raw) - fatal)
    p = rs.adjusted_serious(ds)
    assert p[ds.casualties.casualty_severity == "Fatal"].isna().all()  # fatal: never adjusted


def _sample_with_collisions():
    """The 60 real casualties with a collision table built from their collision_index (a collision is as
    severe as its most severe casualty)."""
    ds = rs.read_stats19(str(SAMPLE_2021))
    cas = ds.casualties.copy()
    sev = cas.casualty_severity.astype(str).map({"Fatal": 1, "Serious": 2, "Slight": 3})
    worst = sev.groupby(cas.collision_index).min()
    collisions = pd.DataFrame({
        "collision_index": worst.index,
        "collision_severity": pd.Categorical(worst.map({1: "Fatal", 2: "Serious", 3: "Slight"}).to_numpy(),
                                             categories=["Fatal", "Serious", "Slight"]),
    })
    cas["collision_row"] = pd.array(cas.collision_index.map({k: i for i, k in enumerate(worst.index)}), dtype="Int32")
    return SimpleNamespace(collisions=collisions, casualties=cas)


def test_collision_level_is_one_minus_product_over_non_fatal_casualties():
    ds = _sample_with_collisions()
    got = rs.adjusted_serious(ds, unit="collision")
    raw = pd.DataFrame(_raw_sample())
    raw["p"] = raw.casualty_adjusted_severity_serious.astype(float)
    raw["fatal"] = raw.casualty_severity == "1"
    expected = {}
    for key, g in raw.groupby("collision_index"):
        expected[key] = math.nan if g.fatal.any() else 1 - float(np.prod(1 - g.p.to_numpy()))
    exp = ds.collisions.collision_index.map(expected).to_numpy(dtype=float)
    np.testing.assert_allclose(got.to_numpy(), exp, atol=1e-12)
    # a recorded serious casualty on injury-based reporting (p = 1) makes its collision serious for sure
    serious_ibrs = raw[(raw.casualty_severity == "2") & (raw.p == 1.0)].collision_index
    assert (got[ds.collisions.collision_index.isin(serious_ibrs)] == 1.0).all()
    t = rs.adjusted_totals(ds, unit="collision")
    assert t["fatal"] == int(ds.collisions.collision_severity.eq("Fatal").sum())
    assert t["serious_adjusted"] == pytest.approx(np.nansum(exp))


def test_collision_level_uses_published_collision_values_when_present():
    ds = _sample_with_collisions()
    ds.collisions["collision_adjusted_serious"] = 0.5
    got = rs.adjusted_serious(ds, unit="collision")
    nonfatal = ds.collisions.collision_severity != "Fatal"
    assert (got[nonfatal] == 0.5).all() and got[~nonfatal].isna().all()
    derived = rs.adjusted_serious(ds, unit="collision", source="casualties")
    assert not (derived[nonfatal] == 0.5).all()


def test_worked_examples_of_the_reassignment_rule():
    # methods.md §5 A1 and A2 (populations recorded as the model expects, so the global rescale is 1)
    a1 = _engine.severity.adjust_casualty_severity([0.10] * 10, [0.15] * 10, [True] + [False] * 9)
    assert a1["adjusted_serious"][1] == pytest.approx(0.0556, abs=5e-5)
    assert a1["rescale_factor"] == pytest.approx(1.0)
    a2 = _engine.severity.adjust_casualty_severity([0.20] * 5, [0.15] * 5, [True] + [False] * 4)
    assert a2["adjusted_serious"][0] == pytest.approx(0.75)
    assert a2["adjusted_serious"][1] == 0.0
    # A4: KSI identity with published national numbers
    assert 1_748 + 27_840 == 29_588 and 1_602 + 27_865 == 29_467


# ---------------------------------------------------------------------------------------------- (b)

def _scipy_logit(X: np.ndarray, y: np.ndarray):
    """Logistic MLE and standard errors computed independently with scipy (BFGS on the log-likelihood,
    covariance from a finite-difference Hessian of that log-likelihood)."""
    from scipy.optimize import minimize

    def nll(b):
        eta = X @ b
        return float(np.sum(np.logaddexp(0, eta) - y * eta))

    def grad(b):
        return X.T @ (1 / (1 + np.exp(-(X @ b))) - y)

    res = minimize(nll, np.zeros(X.shape[1]), jac=grad, method="BFGS", options={"gtol": 1e-10, "maxiter": 10_000})
    b = res.x
    h = 1e-5
    H = np.empty((len(b), len(b)))
    for j in range(len(b)):
        e = np.zeros(len(b))
        e[j] = h
        H[:, j] = (grad(b + e) - grad(b - e)) / (2 * h)
    return b, np.sqrt(np.diag(np.linalg.inv((H + H.T) / 2))), -res.fun


def test_logistic_irls_matches_an_independent_scipy_fit():
    rng = np.random.default_rng(20240601)
    n = 3000
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n), rng.uniform(-1, 1, n) ** 2])
    beta_true = np.array([-1.7, 0.6, 0.4, -0.8])
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(X @ beta_true)))).astype(float)
    fit = _engine.severity.fit_logistic(X, y)
    b, se, ll = _scipy_logit(X, y)
    np.testing.assert_allclose(fit["coefficients"], b, atol=1e-5)
    np.testing.assert_allclose(fit["standard_errors"], se, rtol=1e-4)
    assert fit["log_likelihood"] == pytest.approx(ll, abs=1e-6)


def test_logistic_binary_covariate_is_the_log_odds_ratio():
    # 30/100 serious without the flag, 45/100 with it: slope = log OR, se = Woolf's
    X = np.column_stack([np.ones(200), np.r_[np.zeros(100), np.ones(100)]])
    y = np.r_[np.ones(30), np.zeros(70), np.ones(45), np.zeros(55)]
    fit = _engine.severity.fit_logistic(X, y)
    assert fit["coefficients"][1] == pytest.approx(math.log(45 * 70 / (55 * 30)), abs=1e-9)
    assert fit["standard_errors"][1] == pytest.approx(math.sqrt(1 / 30 + 1 / 70 + 1 / 45 + 1 / 55), abs=1e-9)


def test_logistic_not_converging_raises_not_converged():
    X = np.column_stack([np.ones(6), np.arange(6.0)])
    y = np.array([0, 0, 0, 1, 1, 1.0])
    with pytest.raises(rs.errors.NotConvergedError, match="separation"):
        _engine.severity.fit_logistic(X, y)
    X2 = np.column_stack([np.ones(200), np.r_[np.zeros(100), np.ones(100)]])
    y2 = np.r_[np.ones(30), np.zeros(70), np.ones(45), np.zeros(55)]
    with pytest.raises(rs.errors.NotConvergedError, match="did not converge"):
        _engine.severity.fit_logistic(X2, y2, max_iterations=1)


def _synthetic_casualties(seed: int = 7, n: int = 20_000) -> tuple[pd.DataFrame, dict[str, float]]:
    """Non-fatal casualties of three forces; forces 10 and 20 move to injury-based reporting in 2016 with
    planted IBRS log-odds ratios 0.5 and 0.25; force 30 never does."""
    rng = np.random.default_rng(seed)
    force = rng.choice([10.0, 20.0, 30.0], n)
    year = rng.integers(2012, 2020, n).astype(float)
    ibrs = ((force != 30) & (year >= 2016)).astype(float)
    ctype = rng.choice([0.0, 1.0, 3.0, 9.0, 19.0], n, p=[0.12, 0.1, 0.08, 0.6, 0.1])
    age = rng.integers(5, 90, n).astype(float)
    sex = rng.choice([1.0, 2.0], n)
    speed = rng.choice([20.0, 30.0, 40.0, 60.0, 70.0], n)
    hour = rng.integers(0, 24, n).astype(float)
    planted = {"10": 0.5, "20": 0.25}
    eta = (-1.6 + 0.9 * (ctype == 0) + 0.5 * (ctype == 1) + 0.9 * (ctype == 3) + 0.25 * (speed == 60)
           + 0.3 * (speed == 70) - 0.1 * (sex == 2) + 0.1 * (force == 20)
           + planted["10"] * ((force == 10) & (ibrs == 1)) + planted["20"] * ((force == 20) & (ibrs == 1)))
    serious = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
    frame = pd.DataFrame({"serious": serious, "ibrs": ibrs, "casualty_type": ctype, "age": age, "sex": sex,
                          "speed_limit": speed, "year": year, "hour": hour, "police_force": force})
    return frame, planted


def test_severity_model_recovers_planted_ibrs_effects_and_adjusts():
    frame, planted = _synthetic_casualties()
    m = rs.fit_severity_model(frame)
    for force, value in planted.items():
        est = m.coefficients.loc[f"ibrs:police_force[{force}]"]
        assert abs(est.estimate - value) < 3 * est.std_error, (force, est)
    assert m.median_force in ("10", "20")
    p = m.probabilities
    # IBRS records keep their recorded severity
    np.testing.assert_array_equal(p.adjusted_serious[p.ibrs], p.serious[p.ibrs])
    # the global rescale makes the total adjustment equal the total modelled change (§1.6)
    delta = (p.p_ibrs - p.p_real).sum()
    assert p.adjusted_serious.sum() == pytest.approx(p.serious.sum() + delta, rel=1e-9)
    # non-IBRS records are moved up towards what IBRS would record; expectation close to p_ibrs in total
    non = ~p.ibrs
    assert p.adjusted_serious[non].sum() > p.serious[non].sum()
    assert p.adjusted_serious[non].sum() == pytest.approx(p.p_ibrs[non].sum(), rel=0.03)
    assert ((p.adjusted_serious >= 0) & (p.adjusted_serious <= 1)).all()
    assert "IBRS odds ratio" in repr(m)


def test_severity_model_needs_the_injury_based_flag(cambs):
    with pytest.raises(ValueError, match="injury-based"):
        model_frame(SimpleNamespace(casualties=pd.DataFrame({"casualty_severity": []}), collisions=cambs.collisions))


# ---------------------------------------------------------------------------------------------- (c)

def _monthly_dataset(step: float, switch: str | None, seed: int, start: str = "2012-01", months: int = 72,
                     base_serious: float = 30.0, base_slight: float = 160.0):
    """Collisions drawn month by month (seeded numpy): trend -3 %/yr, seasonality, and a reclassification
    that moves slight collisions to serious from `switch` (serious x step, total unchanged in expectation)."""
    rng = np.random.default_rng(seed)
    idx = pd.period_range(start, periods=months, freq="M")
    rows = []
    for t, m in enumerate(idx):
        season = 1 + 0.15 * math.sin(2 * math.pi * (m.month - 1) / 12)
        level = math.exp(-0.03 * t / 12) * season
        mu_serious = base_serious * level
        mu_slight = base_slight * level
        if switch is not None and m >= pd.Period(switch, freq="M"):
            moved = mu_serious * (step - 1)
            mu_serious += moved
            mu_slight -= moved
        counts = {"Fatal": rng.poisson(2 * level), "Serious": rng.poisson(mu_serious), "Slight": rng.poisson(mu_slight)}
        days = m.days_in_month
        for sev, k in counts.items():
            for d in rng.integers(1, days + 1, k):
                rows.append((pd.Timestamp(m.year, m.month, int(d)), sev))
    df = pd.DataFrame(rows, columns=["date", "collision_severity"])
    df["collision_severity"] = pd.Categorical(df.collision_severity, categories=["Fatal", "Serious", "Slight"])
    # make the edge months complete
    df.loc[len(df)] = [idx[0].start_time, "Slight"]
    df.loc[len(df)] = [idx[-1].end_time.normalize(), "Slight"]
    return SimpleNamespace(collisions=df, casualties=pd.DataFrame())


def test_its_recovers_a_planted_step_inside_its_interval():
    ds = _monthly_dataset(1.3, "2015-07", seed=11)
    r = rs.reclassification_effect(ds, switch_date="2015-07")
    assert r.lower < 1.3 < r.upper
    assert r.lower > 1.0
    assert r.switch_month == pd.Period("2015-07", freq="M")
    s = r.series
    before = s.index < pd.Period("2015-07", freq="M")
    np.testing.assert_allclose(s.serious_corrected[before], s.serious[before] * r.rate_ratio)
    np.testing.assert_array_equal(s.serious_corrected[~before], s.serious[~before])
    np.testing.assert_allclose(s.ksi_corrected, s.fatal + s.serious_corrected)
    np.testing.assert_allclose(s.counterfactual[~before] * r.rate_ratio, s.fitted[~before])
    # with the non-fatal control the share model is exact for a pure reclassification
    rc = rs.reclassification_effect(ds, switch_date="2015-07", control="nonfatal")
    assert rc.lower < 1.3 < rc.upper
    assert rc.upper - rc.lower < r.upper - r.lower


def test_its_finds_a_planted_switch_month():
    ds = _monthly_dataset(1.4, "2014-10", seed=5)
    r = rs.reclassification_effect(ds)
    assert r.switch_estimated
    assert pd.Period("2014-10", freq="M") in r.plausible_months
    assert abs((r.switch_month - pd.Period("2014-10", freq="M")).n) <= 2
    assert r.lower < 1.4 < r.upper
    assert r.profile.lr_statistic.min() == 0.0
    assert "plausible switch months" in repr(r)


def test_its_finds_no_step_where_none_was_planted():
    for seed in (1, 2, 3):
        ds = _monthly_dataset(1.0, None, seed=seed)
        r = rs.reclassification_effect(ds, switch_date="2015-01")
        assert r.lower < 1.0 < r.upper, (seed, r)


def test_its_coverage_over_seeds():
    covered = 0
    for seed in range(100, 120):
        r = rs.reclassification_effect(_monthly_dataset(1.25, "2015-01", seed=seed), switch_date="2015-01",
                                       family="poisson")
        covered += r.lower < 1.25 < r.upper
    assert covered >= 16  # 95 % intervals: P(covered < 16 of 20) < 2 %


def test_its_leaves_partial_edge_months_out_and_checks_arguments():
    ds = _monthly_dataset(1.0, None, seed=4)
    ds.collisions = ds.collisions[ds.collisions.date <= pd.Timestamp("2017-12-15")]
    r = rs.reclassification_effect(ds, switch_date="2015-01")
    assert r.dropped_months == [pd.Period("2017-12", freq="M")]
    assert np.isnan(r.series.fitted.iloc[-1])
    with pytest.raises(ValueError, match="outside"):
        rs.reclassification_effect(ds, switch_date="2030-01")
    with pytest.raises(ValueError, match="control"):
        rs.reclassification_effect(ds, switch_date="2015-01", control="bogus")  # type: ignore[arg-type]


def test_its_on_cambridgeshire(cambs, tmp_path):
    r = rs.reclassification_effect(cambs)
    # Cambridgeshire's serious collisions jump in mid-2016 (CRaSH); hospital data stayed flat.
    assert r.switch_month.year == 2016
    assert r.lower > 1.0
    assert r.switch_month in r.plausible_months
    assert int(r.series.serious.sum()) == int(cambs.collisions.collision_severity.eq("Serious").sum())
    assert r.series.serious_corrected.sum() > r.series.serious.sum()
    fig = r.plot()
    out = tmp_path / "reclassification.png"
    fig.savefig(out, dpi=80)
    assert out.stat().st_size > 10_000
    fig2 = r.plot(ksi=True)
    assert fig2 is not None


def test_severity_model_from_a_generated_dataset_with_flags(tmp_path):
    files = _engine.synth.write_stats19_synthetic(str(tmp_path), 2015, 2, 4000, 21)
    ds = rs.read_stats19([files["collisions"], files["vehicles"], files["casualties"]])
    m = rs.fit_severity_model(ds)
    p = m.probabilities
    assert m.n == int(ds.casualties.casualty_severity.isin(["Serious", "Slight"]).sum())
    assert p.index.isin(ds.casualties.index).all()
    np.testing.assert_array_equal(p.adjusted_serious[p.ibrs], p.serious[p.ibrs])
    # the model's probabilities feed the collision-level figure like the published ones do
    by_model = rs.adjusted_serious(ds, unit="collision", source="casualties",
                                   casualty_probabilities=m.adjusted_serious().reindex(ds.casualties.index))
    assert by_model.notna().sum() == int((ds.collisions.collision_severity != "Fatal").sum())
    # the generator writes collision values as 1 - prod(1 - p_i) of its casualty values (to 6 decimals)
    published = ds.collisions.collision_adjusted_serious
    derived = rs.adjusted_serious(ds, unit="collision", source="casualties")
    ok = published.notna() & derived.notna()
    assert ok.sum() > 1000
    np.testing.assert_allclose(derived[ok], published[ok], atol=1e-6)


def test_collision_adjustment_without_probabilities_warns_and_keeps_recorded(cambs):
    with pytest.warns(UserWarning, match="recorded severity is used"):
        t = rs.adjusted_totals(cambs, unit="collision")
    assert t["serious_adjusted"] == t["serious"] == 1872


def test_a_given_switch_needs_months_on_each_side(cambs):
    # The fitted months of the county's export run 2012-01 to 2017-10 (70 full months).
    with pytest.raises(ValueError) as e:
        rs.reclassification_effect(cambs, switch_date="2017-07-01")
    assert str(e.value) == ("the switch month 2017-07 leaves 66 fitted months before it and 4 from it; the step needs at "
                            "least 6 on each side")
