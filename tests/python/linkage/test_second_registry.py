"""Issue 14: the second, independently written registry generator; accuracy, calibration and expected
severe counts on registries from both generators over the real Cambridgeshire collisions; u among
non-matches."""
from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe.linkage.expected_counts import expected_count, severe_probability
from roadsafe.linkage.police_records import police_collisions
from roadsafe.linkage.second_registry import second_registry
from roadsafe.trends.periods import period_index, period_label

FULL_YEARS = ["2012-13", "2013-14", "2014-15", "2015-16", "2016-17"]


@pytest.fixture(scope="module")
def dense(cambs):
    return second_registry(cambs, "dense", seed=3)


@pytest.fixture(scope="module")
def first(cambs, tmp_path_factory):
    from roadsafe.linkage.trauma import generate_trauma

    g = generate_trauma(cambs, tmp_path_factory.mktemp("first"), seed=3, noise=1.0)
    return g.truth, g.read().patients


@pytest.fixture(scope="module")
def dense_links(cambs, dense):
    return rs.link(cambs, dense.patients, unit="collision")


@pytest.fixture(scope="module")
def first_links(cambs, first):
    return rs.link(cambs, first[1], unit="collision")


def _minutes(values) -> np.ndarray:
    dt = pd.to_datetime(pd.Series(values)).to_numpy("datetime64[ns]")
    out = dt.astype(np.int64) / 60e9
    out[np.isnat(dt)] = np.nan
    return out


def test_second_registry_is_seeded_and_has_the_issues_features(cambs, dense):
    again = second_registry(cambs, "dense", seed=3)
    pd.testing.assert_frame_equal(dense.patients, again.patients)
    pd.testing.assert_frame_equal(dense.truth, again.truth)
    assert not second_registry(cambs, "dense", seed=4).patients.equals(dense.patients)
    p, t = dense.patients, dense.truth
    assert 1400 < len(p) < 2000 and 0.5 < (t["collision_index"] != "").mean() < 0.6
    assert abs(p["incident_datetime"].notna().mean() - 0.5) < 0.04
    assert abs(p["incident_easting"].notna().mean() - 0.5) < 0.04
    # Delays of the linked patients: lognormal around the profile's median, never before the collision.
    police = police_collisions(cambs).set_index("collision_index")
    linked = (t["collision_index"] != "").to_numpy()
    crash = _minutes(police.loc[t.loc[linked, "collision_index"], "datetime"])
    delay = _minutes(p.loc[linked, "arrival_datetime"]) - crash
    assert delay.min() > 0 and abs(np.median(delay) / 65 - 1) < 0.1
    assert 0.45 < np.std(np.log(delay[delay < 240])) < 0.65
    # A few gross location errors of kilometres among the located.
    dx = p.loc[linked, "incident_easting"].to_numpy() - police.loc[t.loc[linked, "collision_index"], "easting"].to_numpy()
    dy = p.loc[linked, "incident_northing"].to_numpy() - police.loc[t.loc[linked, "collision_index"], "northing"].to_numpy()
    d = np.hypot(dx, dy)
    d = d[~np.isnan(d)]
    assert 0.015 < (d > 2000).mean() < 0.08 and np.median(d) < 300
    # Miscoded road users: the patient's road user is one the collision did not involve.
    from roadsafe.linkage.police_records import INVOLVEMENT_FLAGS

    users = p.loc[linked, "road_user"].astype(str).to_numpy()
    rows = police.loc[t.loc[linked, "collision_index"]]
    involved = np.array([u == "unknown" or any(rows[k].iloc[i] for k, v in INVOLVEMENT_FLAGS.items() if v == u)
                         for i, u in enumerate(users)])
    assert 0.04 < (~involved).mean() < 0.15
    assert "dense" in repr(dense) and "with a police record" in repr(dense)


def test_pedestrian_ages_off_by_a_year(cambs, dense):
    p, t = dense.patients, dense.truth
    police = police_collisions(cambs).set_index("collision_index")
    linked = (t["collision_index"] != "").to_numpy() & (p["road_user"].astype(str) == "pedestrian").to_numpy()
    true_age = police.loc[t.loc[linked, "collision_index"], "pedestrian_age"].to_numpy()
    diff = np.abs(p.loc[linked, "age"].to_numpy(float) - true_age)
    diff = diff[~np.isnan(diff)]
    assert len(diff) > 40 and 0.08 < (diff == 1).mean() < 0.35 and (diff == 0).mean() > 0.6


def test_collision_level_accuracy_on_both_generators(dense, dense_links, first, first_links):
    """The goal: precision >= 0.95 at recall >= 0.90, collision level. Measured (Cambridgeshire, seed 3, the
    generator's extra-casualty fix in): second generator at p >= 0.5 P 0.946 R 0.923 (0.948 / 0.909 with one
    prior for every road user), at p >= 0.6 P 0.963 R 0.910; first P 0.980 R 0.965. The Bayes-optimal linker
    under the second generator's own model (benchmarks/peers/linkage_bound.py) gets P 0.944 R 0.946 at
    p >= 0.5 on this seed: with calibrated probabilities the links at 0.5 hold about 5 % false ones, so the
    goal is asserted where the precision is 0.95, at 0.6. Before issue 14 (seed 1, the buggy generator):
    second P 0.964 R 0.748, first P 0.981 R 0.870."""
    ev = dense_links.evaluate(dense.truth)
    assert ev.precision > 0.94 and ev.recall > 0.91, ev
    ev = dense_links.evaluate(dense.truth, threshold=0.6)
    assert ev.precision > 0.95 and ev.recall > 0.90, ev
    ev = first_links.evaluate(first[0])
    assert ev.precision > 0.96 and ev.recall > 0.95, ev


def test_prior_by_road_user_matches_the_registry(dense, dense_links):
    """The share of patients with a police record, fitted per recorded road user, against the truth: within
    0.05 for every road user with 200+ patients (measured, seed 3: pedestrians 0.366 / 0.350, cyclists 0.356
    / 0.333, motorcyclists 0.590 / 0.600, car occupants 0.738 / 0.746), where one prior gives all 0.541."""
    pi = dense_links.model.pi_by_road_user
    users = dense.patients["road_user"].astype(str).to_numpy()
    has_record = (dense.truth.set_index("trauma_id").loc[dense.patients["trauma_id"], "collision_index"] != "").to_numpy()
    big = [u for u in pi if (users == u).sum() >= 200]
    assert {"pedestrian", "pedal_cyclist", "motorcyclist", "car_occupant"} <= set(big)
    for user in big:
        assert abs(pi[user] - has_record[users == user].mean()) < 0.05, (user, pi[user])
    assert pi["car_occupant"] > pi["pedal_cyclist"] + 0.2  # cyclists' falls rarely reach the police
    assert "share with a police record by road user: pedestrian" in dense_links.model.summary()


@pytest.mark.parametrize("which", ["dense", "first"])
def test_probabilities_are_calibrated(which, dense, dense_links, first, first_links):
    truth, links = (dense.truth, dense_links) if which == "dense" else (first[0], first_links)
    cal = links.evaluate(truth).calibration
    big = cal[cal["pairs"] >= 50]
    assert len(big) >= 4
    # Measured (seed 3, prior by road user): predicted minus true within 0.04 in every band on the second
    # generator (0.5-0.9: +0.021; -0.04 with one prior for all road users before the generator fix, -0.066
    # with the bug), within 0.07 on the first (0.1-0.5: -0.067, 0.5-0.9: -0.039).
    assert (np.abs(big["mean_probability"] - big["share_true"]) < 0.1).all(), cal
    # Over every assigned pair the expected number of true links is the number found, within 5 %.
    correct = links.evaluate(truth, threshold=0.01)
    assert links.candidates["match_probability"].sum() == pytest.approx(correct.true_positives, rel=0.05)


def _true_severe(links, truth: pd.DataFrame, patients: pd.DataFrame) -> pd.Series:
    """Non-fatal collisions with a true MAIS 3+ patient, per financial year of the collision."""
    mais = pd.to_numeric(patients.set_index("trauma_id")["mais"], errors="coerce")
    t = truth[truth["collision_index"] != ""]
    t = t[mais.loc[t["trauma_id"]].to_numpy(dtype=float, na_value=np.nan) >= 3]
    rows = links.police.set_index("collision_index").loc[t["collision_index"].unique()]
    rows = rows[rows["severity"].astype(str) != "fatal"]
    years = [period_label(p, "financial_year") for p in period_index(pd.to_datetime(rows["datetime"]),
                                                                       "financial_year")]
    return pd.Series(years).value_counts()


@pytest.mark.parametrize("which", ["dense", "first"])
def test_expected_severe_collisions_within_ten_percent(cambs, which, dense, dense_links, first, first_links):
    """Measured (seed 3, the generator fix and the prior by road user in), expected / true per full financial
    year: second generator 60.5/59, 45.0/45, 46.5/44, 52.9/52, 62.5/60; first 121.2/119, 112.6/111, 101.5/101,
    118.1/120, 135.7/136."""
    truth, patients, links = (dense.truth, dense.patients, dense_links) if which == "dense" else \
        (first[0], first[1], first_links)
    table = rs.severity_table(cambs, links)
    true = _true_severe(links, truth, patients)
    for year in FULL_YEARS:
        row = table.loc[year]
        assert abs(row["severe_mais3_expected"] / true[year] - 1) <= 0.10, (year, row["severe_mais3_expected"], true[year])
        assert row["severe_mais3_lower"] <= row["severe_mais3_expected"] <= row["severe_mais3_upper"]
        assert row["killed_plus_severe_expected"] == pytest.approx(row["fatal"] + row["severe_mais3_expected"])
        assert row["cr_expected_total"] >= row["cr_police_ksi"] and row["cr_expected_lower"] <= row["cr_expected_total"]
    inside = [(table.loc[y, "severe_mais3_lower"] - 1 <= true[y] <= table.loc[y, "severe_mais3_upper"] + 1)
              for y in FULL_YEARS]
    assert sum(inside) >= 3


def test_expected_counts_by_hand(dense_links):
    mean, low, high = expected_count(np.array([0.5, 0.5, 1.0, 0.0, 0.0]), 0.95)
    z = NormalDist().inv_cdf(0.975)
    assert mean == 2.0 and low == pytest.approx(2 - z * math.sqrt(0.5)) and high == pytest.approx(2 + z * math.sqrt(0.5))
    assert expected_count(np.array([0.99, 0.99]), 0.95)[2] == 2.0  # never above the number of records
    # severe_probability against a pandas computation: 1 - prod(1 - p) per police row over severe patients.
    links = dense_links
    severe = pd.to_numeric(links.patients["mais"], errors="coerce").to_numpy(dtype=float, na_value=np.nan) >= 3
    pp = links.pair_probabilities
    pp = pp[severe[pp["patient_row"].to_numpy()]]
    by_hand = 1 - (1 - pp["match_probability"]).groupby(pp["police_row"]).prod()
    got = severity_probability = severe_probability(links, severe)
    np.testing.assert_allclose(severity_probability[by_hand.index.to_numpy()], by_hand.to_numpy(), rtol=1e-12)
    assert (np.delete(got, by_hand.index.to_numpy()) == 0).all()
    # Every assigned pair is among the scored pairs, with the same probability.
    merged = links.candidates.merge(links.pair_probabilities, on=["police_row", "patient_row"], suffixes=("", "_s"))
    assert len(merged) == len(links.candidates)
    np.testing.assert_array_equal(merged["match_probability"], merged["match_probability_s"])


def test_u_is_estimated_among_non_matches(cambs, dense, dense_links):
    """u of "incident time within 5 min" against the non-match rate counted here from every pair (true
    matches removed using the truth): within 30 %, where random pairs with the matches in them would
    give several times more."""
    police = police_collisions(cambs)
    pt = np.sort(_minutes(police["datetime"])[police["time_known"].to_numpy()])
    p, t = dense.patients, dense.truth
    inc = _minutes(p["incident_datetime"])
    has = ~np.isnan(inc)
    near = np.searchsorted(pt, inc[has] + 5, side="right") - np.searchsorted(pt, inc[has] - 5, side="left")
    crash = pd.Series(_minutes(police["datetime"]), index=police["collision_index"])
    true_t = crash.reindex(t.loc[has, "collision_index"]).to_numpy()
    matched_near = np.abs(true_t - inc[has]) <= 5
    all_pairs = len(p) * len(pt)  # u of a level is over every non-null pair, incident time or not
    u_true = (near.sum() - matched_near.sum()) / all_pairs
    u_random = near.sum() / all_pairs
    u_model = dense_links.model.table.set_index(["comparison", "level"]).loc[("time", 1), "u"]
    assert u_random > 3 * u_true
    assert abs(u_model / u_true - 1) < 0.3, (u_model, u_true, u_random)


def test_sparse_profile_at_casualty_level(national):
    """The national-year profile on the four forces' 2015 casualties (few patients per police record).
    Measured (seed 5): P 0.935 R 0.941 over 152 true links."""
    g = second_registry(national, "sparse", seed=5)
    assert g.unit == "casualty" and (g.truth["casualty_reference"] != "").sum() > 100
    links = rs.link(national, g.patients, unit="casualty")
    ev = links.evaluate(g.truth)
    assert ev.precision > 0.9 and ev.recall > 0.9, ev


def test_nearest_hospital_level_and_its_terms_by_hand(cambs, dense, dense_links):
    """Patients without an incident location are compared on their hospital: the registry's hospital nearest
    the collision (u: that hospital's catchment, relative to the average patient's; m scaled by how often
    the hospital takes located patients from beyond its catchment). Checked against numpy."""
    links, p = dense_links, dense.patients
    police = police_collisions(cambs)
    hx, hy = p["hospital_easting"].to_numpy(float), p["hospital_northing"].to_numpy(float)
    sites = np.unique(np.column_stack([hx, hy]), axis=0)  # sorted by (x, y), as the engine's

    def nearest(x, y):
        return np.argmin((x[:, None] - sites[None, :, 0]) ** 2 + (y[:, None] - sites[None, :, 1]) ** 2, axis=1)

    px, py = police["easting"].to_numpy(float), police["northing"].to_numpy(float)
    ok = np.isfinite(px) & np.isfinite(py)
    share = np.bincount(nearest(px[ok], py[ok]), minlength=len(sites)) / ok.sum()
    site = np.array([np.flatnonzero((sites[:, 0] == a) & (sites[:, 1] == b))[0] for a, b in zip(hx, hy)])
    np.testing.assert_array_equal(links.hospital_site, site)
    located = p["incident_easting"].notna().to_numpy()
    relative_u = share / share[site[~located]].mean()
    np.testing.assert_allclose(links.model._raw["hospital_u"], relative_u, rtol=1e-12)
    # From beyond the catchment: located patients whose place is nearer another hospital, shrunk by 10.
    ix, iy = p["incident_easting"].to_numpy(float), p["incident_northing"].to_numpy(float)
    away = nearest(ix[located], iy[located]) != site[located]
    overall = away.mean()
    seen = np.bincount(site[located], minlength=len(sites))
    elsewhere = (np.bincount(site[located], weights=away, minlength=len(sites)) + 10 * overall) / (seen + 10)
    np.testing.assert_allclose(links.model._raw["hospital_m_elsewhere"], elsewhere / overall, rtol=1e-12)
    np.testing.assert_allclose(links.model._raw["hospital_m_nearest"], (1 - elsewhere) / (1 - overall), rtol=1e-12)
    # The trauma centre takes most patients from elsewhere; a pair at "nearest hospital" is explained with
    # the hospital's term, and the terms add up to the weight.
    assert elsewhere.max() > 3 * np.median(elsewhere)
    rows = links.pairs.index[links.pairs["gamma_distance"] == 9]
    assert len(rows) > 50
    row = links.pairs.loc[rows[0]]
    e = links.explain(int(rows[0])).set_index("comparison")
    k = site[int(row["patient_row"])]
    assert e.loc["distance: this hospital (term frequency)", "weight"] == pytest.approx(
        math.log2((1 - elsewhere[k]) / (1 - overall)) - math.log2(relative_u[k]))
    assert e["weight"].iloc[:-1].sum() == pytest.approx(row["match_weight"], abs=1e-9)
