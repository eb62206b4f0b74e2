"""Police <-> trauma linkage: accuracy on records with a known truth, the assignment constraints, the
weight arithmetic, the explanation, evaluation and the severity table with capture–recapture."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe.linkage import COMPARISONS, chapman
from roadsafe.linkage.police_records import (
    INVOLVEMENT_FLAGS,
    police_casualties,
    police_collisions,
)


def _patients_from(police: pd.DataFrame, unit: str, share: float, seed: int, extra: int = 100):
    """Registry patients made here from police records, with recording noise, and their truth: a
    share of the records reach hospital; 40 % have no incident time, 35 % no location; locations are off
    by ~150 m, incident times by ~8 min, some ages by a year or two; `extra` patients have no police record."""
    rng = np.random.default_rng(seed)
    picked = police[rng.uniform(size=len(police)) < share].reset_index(drop=True)
    n = len(picked)
    when = pd.to_datetime(picked["datetime"])
    incident = when + pd.to_timedelta(np.round(rng.normal(0, 8, n)), unit="min")
    incident[rng.uniform(size=n) < 0.4] = pd.NaT
    located = rng.uniform(size=n) > 0.35
    if unit == "casualty":
        age = picked["age"].to_numpy(float) + np.where(rng.uniform(size=n) < 0.15, rng.choice([-2, -1, 1], n), 0)
        sex = picked["sex"].astype(object).to_numpy()
        user = picked["road_user"].astype(object).to_numpy()
    else:
        age = rng.integers(5, 90, n).astype(float)
        sex = rng.choice(["M", "F"], n)
        user = np.array([rng.choice([u for k, u in INVOLVEMENT_FLAGS.items() if r[k]] or ["unknown"])
                         for _, r in picked.iterrows()], dtype=object)
    frame = pd.DataFrame({
        "trauma_id": [f"T{k:05d}" for k in range(n)],
        "arrival_datetime": when + pd.to_timedelta(rng.uniform(20, 100, n), unit="min"),
        "incident_datetime": incident,
        "incident_easting": np.where(located, picked["easting"] + rng.normal(0, 150, n), np.nan),
        "incident_northing": np.where(located, picked["northing"] + rng.normal(0, 150, n), np.nan),
        "age": age, "sex": sex, "road_user": user,
        "mais": rng.integers(1, 6, n),
    })
    t0, t1 = when.min(), when.max()
    strangers = pd.DataFrame({
        "trauma_id": [f"X{k:05d}" for k in range(extra)],
        "arrival_datetime": t0 + (t1 - t0) * rng.uniform(size=extra),
        "incident_datetime": pd.NaT,
        "incident_easting": np.nan, "incident_northing": np.nan,
        "age": rng.integers(5, 90, extra).astype(float), "sex": rng.choice(["M", "F"], extra),
        "road_user": rng.choice(["car_occupant", "pedestrian"], extra), "mais": rng.integers(1, 6, extra),
    })
    truth = pd.DataFrame({"trauma_id": frame["trauma_id"], "collision_index": picked["collision_index"],
                          "collision_reference": picked["collision_reference"],
                          "casualty_reference": picked["casualty_reference"] if unit == "casualty" else ""})
    truth = pd.concat([truth, pd.DataFrame({"trauma_id": strangers["trauma_id"], "collision_index": "",
                                            "collision_reference": "", "casualty_reference": ""})])
    return pd.concat([frame, strangers], ignore_index=True), truth.reset_index(drop=True)


@pytest.fixture(scope="module")
def synthetic_ds(tmp_path_factory):
    d = tmp_path_factory.mktemp("stats19")
    info = rs._engine.synth.write_stats19_synthetic(str(d), first_year=2019, years=1, collisions_per_year=3000, seed=5)
    return rs.read_stats19([info["collisions"], info["vehicles"], info["casualties"]])


@pytest.fixture(scope="module")
def casualty_links(synthetic_ds):
    police = police_casualties(synthetic_ds)
    patients, truth = _patients_from(police, "casualty", 0.3, seed=1)
    return rs.link(synthetic_ds, patients, unit="casualty", seed=4), truth


@pytest.fixture(scope="module")
def collision_links(cambs):
    police = police_collisions(cambs)
    patients, truth = _patients_from(police, "collision", 0.15, seed=2)
    return rs.link(cambs, patients, unit="collision", seed=4), truth


def _assert_constraints(links):
    assert links.pairs["trauma_id"].is_unique
    assert links.candidates["trauma_id"].is_unique
    if links.unit == "casualty":
        assert links.candidates["police_row"].is_unique


def test_casualty_level_accuracy_and_constraints(casualty_links):
    links, truth = casualty_links
    _assert_constraints(links)
    ev = links.evaluate(truth)
    assert ev.precision > 0.95 and ev.recall > 0.9, ev
    assert ev.f1 > 0.93
    assert set(links.pairs.columns) >= {"collision_index", "collision_reference", "casualty_reference", "trauma_id",
                                        "match_weight", "match_probability"}
    assert links.model.converged
    # A third of casualties reach the registry, and 100 strangers: pi close to the linked share.
    linked_share = (truth["collision_index"] != "").mean()
    assert abs(links.model.pi - linked_share) < 0.05


def test_collision_level_accuracy_and_constraints(collision_links):
    links, truth = collision_links
    _assert_constraints(links)
    ev = links.evaluate(truth)
    # Cambridgeshire has pairs of collisions at the same place minutes apart; without casualty fields
    # those stay ambiguous, so recall is lower than at casualty level.
    assert ev.precision > 0.95 and ev.recall > 0.85, ev
    assert "casualty_reference" not in links.pairs.columns


def test_several_patients_may_link_to_one_collision(cambs):
    police = police_collisions(cambs)
    one = police.iloc[[100]]
    rows = pd.concat([one] * 3, ignore_index=True)
    rows["age"], rows["sex"], rows["road_user"], rows["casualty_reference"] = np.nan, "U", "unknown", ""
    patients = pd.DataFrame({"trauma_id": ["A", "B", "C"],
                             "arrival_datetime": pd.to_datetime(rows["datetime"]) + pd.Timedelta(minutes=40),
                             "incident_datetime": pd.to_datetime(rows["datetime"]),
                             "incident_easting": rows["easting"], "incident_northing": rows["northing"]})
    links = rs.link(cambs, patients, unit="collision")
    _assert_constraints(links)
    assert list(links.pairs["collision_index"]) == [one["collision_index"].iloc[0]] * 3


def test_weight_is_prior_plus_level_weights_by_hand(casualty_links):
    links, _ = casualty_links
    table = links.model.table.set_index(["comparison", "level"])
    pair = links.pairs.iloc[0]
    explained = links.explain(0)
    # The prior is the patient's road user's: the share of such patients with a police record.
    user = str(links.patients.iloc[int(pair["patient_row"])]["road_user"])
    pi = links.model.pi_by_road_user[user if user in links.model.pi_by_road_user else "unknown"]
    by_hand = math.log2(pi / (links.model.n_police * (1 - pi)))
    assert explained.loc[explained["comparison"] == "prior", "weight"].item() == pytest.approx(by_hand, abs=1e-12)
    for c in COMPARISONS:
        level = int(pair[f"gamma_{c}"])
        w = table.loc[(c, level), "weight"]
        if level:
            m, u = table.loc[(c, level), "m"], table.loc[(c, level), "u"]
            assert w == pytest.approx(math.log2(m / u))
        by_hand += w
    adjustments = explained["comparison"].str.endswith("(term frequency)") | \
        explained["comparison"].str.endswith("(hour of the week)")
    by_hand += explained.loc[adjustments, "weight"].sum()
    # The hour-of-the-week term is -log2 of the patient's time density on a near time level.
    density = links.time_density[int(pair["patient_row"])]
    hour = explained.loc[explained["comparison"] == "time (hour of the week)", "weight"]
    assert hour.sum() == pytest.approx(-math.log2(density) if len(hour) else 0.0)
    assert pair["match_weight"] == pytest.approx(by_hand, abs=1e-9)
    # The explanation's terms add up to the weight, and the last row says so.
    assert explained["weight"].iloc[:-1].sum() == pytest.approx(pair["match_weight"], abs=1e-9)
    assert explained["weight"].iloc[-1] == pytest.approx(pair["match_weight"], abs=1e-9)
    assert list(explained["comparison"][:6]) == ["prior", *COMPARISONS]


def test_model_tables_are_distributions(casualty_links):
    links, _ = casualty_links
    t = links.model.table[links.model.table["level"] > 0]
    for c, block in t.groupby("comparison"):
        assert block["m"].sum() == pytest.approx(1.0, abs=1e-9), c
        assert block["u"].sum() == pytest.approx(1.0, abs=1e-9), c
    assert "incident time within 15 min" in str(links.model)
    assert "Links (casualty level)" in repr(links)


def test_term_frequency_makes_rare_road_users_stronger(casualty_links):
    links, _ = casualty_links
    ped = links.pairs[(links.patients["road_user"].to_numpy()[links.pairs["patient_row"]] == "pedestrian")
                      & (links.pairs["gamma_road_user"] == 1)]
    car = links.pairs[(links.patients["road_user"].to_numpy()[links.pairs["patient_row"]] == "car_occupant")
                      & (links.pairs["gamma_road_user"] == 1)]
    tf = lambda i: links.explain(int(i)).set_index("comparison")["weight"].get("road_user (term frequency)", 0.0)
    assert tf(ped.index[0]) > 0 > tf(car.index[0])


def test_results_do_not_depend_on_threads(cambs):
    police = police_collisions(cambs)
    patients, _ = _patients_from(police, "collision", 0.05, seed=9)
    a = rs.link(cambs, patients, unit="collision", threads=1)
    b = rs.link(cambs, patients, unit="collision", threads=2)
    _assert_constraints(a)
    pd.testing.assert_frame_equal(a.candidates, b.candidates)
    pd.testing.assert_frame_equal(a.model.table, b.model.table)
    c = rs.link(cambs, patients, unit="collision", seed=1)
    assert not c.model.table["u"].equals(a.model.table["u"])  # another seed, other random pairs


def test_evaluate_counts_by_hand(collision_links):
    links, truth = collision_links
    ev = links.evaluate(truth)
    # Break the truth of 10 correctly linked patients: 10 fewer true positives, 10 more false positives
    # and 10 more missed links.
    good = links.pairs.merge(truth, on=["trauma_id", "collision_index"])["trauma_id"][:10]
    broken = truth.copy()
    broken.loc[broken["trauma_id"].isin(good), "collision_index"] = "nowhere"
    ev2 = links.evaluate(broken)
    assert (ev2.true_positives, ev2.false_positives, ev2.false_negatives) == (
        ev.true_positives - 10, ev.false_positives + 10, ev.false_negatives + 10)
    assert ev.precision == pytest.approx(ev.true_positives / (ev.true_positives + ev.false_positives))
    assert ev.f1 == pytest.approx(2 * ev.precision * ev.recall / (ev.precision + ev.recall))
    assert ev.calibration["pairs"].sum() == len(links.candidates)
    top = ev.calibration.set_index("band").loc[">=0.999"]
    assert top["share_true"] > 0.98
    with pytest.raises(KeyError, match="collision_index"):
        links.evaluate(truth.drop(columns="collision_index"))


def test_review_band_and_explain_by_trauma_id(collision_links):
    links, _ = collision_links
    review = links.review
    assert ((review["match_probability"] >= 0.1) & (review["match_probability"] < 0.9)).all()
    assert {"police_datetime", "arrival_datetime", "distance_m"} <= set(review.columns)
    tid = links.pairs["trauma_id"].iloc[3]
    assert links.explain(tid)["weight"].iloc[-1] == pytest.approx(links.pairs["match_weight"].iloc[3])
    with pytest.raises(KeyError, match="no assigned pair"):
        links.explain("no such patient")


def test_chapman_by_hand():
    e = chapman(100, 60, 30)
    assert e["n"] == pytest.approx(101 * 61 / 31 - 1)
    assert e["variance"] == pytest.approx(101 * 61 * 70 * 30 / (31 ** 2 * 32))
    assert e["lower"] == pytest.approx(e["n"] - 1.959963985 * math.sqrt(e["variance"]), abs=1e-6)
    with pytest.raises(rs.errors.InvalidInputError, match="m <= min"):
        chapman(10, 5, 6)


def test_severity_table_against_pandas(casualty_links, synthetic_ds):
    links, _ = casualty_links
    table = rs.severity_table(synthetic_ds, links, by="calendar_year")
    police = links.police
    year = pd.to_datetime(police["datetime"]).dt.year.astype(str)
    sev = police["severity"].astype(object)
    mais = links.patients["mais"].to_numpy()[links.pairs["patient_row"]]
    severe_rows = set(links.pairs["police_row"][mais >= 3])
    for label, row in table.iterrows():
        here = year == label
        assert row["fatal"] == ((sev == "fatal") & here).sum()
        assert row["serious"] == ((sev == "serious") & here).sum()
        assert row["ksi"] == row["fatal"] + row["serious"]
        expect_severe = sum(1 for r in severe_rows if here.iloc[r] and sev.iloc[r] != "fatal")
        assert row["severe_mais3"] == expect_severe
        assert row["killed_plus_severe"] == row["fatal"] + row["severe_mais3"]
        n1, n2, m = row["cr_police_ksi"], row["cr_mais3"], row["cr_both"]
        assert row["cr_total"] == pytest.approx((n1 + 1) * (n2 + 1) / (m + 1) - 1)
        assert row["not_in_police"] == pytest.approx(row["cr_total"] - n1)
        assert row["linkage_rate"] == pytest.approx(row["linked_patients"] / row["patients"])


def test_severity_table_by_financial_year_on_cambridgeshire(collision_links, cambs):
    links, _ = collision_links
    table = rs.severity_table(cambs, links)
    assert "2015-16" in table.index
    assert (table["killed_plus_severe"] >= table["fatal"]).all()
    with pytest.raises(ValueError, match="by must be one of"):
        rs.severity_table(cambs, links, by="week")


def test_bad_arguments(cambs):
    patients = pd.DataFrame({"trauma_id": ["a"], "arrival_datetime": [pd.Timestamp("2015-01-01")]})
    with pytest.raises(ValueError, match="use unit='collision'"):
        rs.link(cambs, patients, unit="casualty")
    with pytest.raises(ValueError, match="unit must be"):
        rs.link(cambs, patients, unit="vehicle")
    with pytest.raises(ValueError, match="threshold"):
        rs.link(cambs, patients, unit="collision", threshold=0.99, firm=0.9)
    with pytest.raises(ValueError, match="unknown blocking setting"):
        rs.link(cambs, patients, unit="collision", blocking={"days": 2})
    with pytest.raises(KeyError, match="arrival_datetime"):
        rs.link(cambs, patients.drop(columns="arrival_datetime"), unit="collision")
    with pytest.raises(ValueError, match="term_frequency"):
        rs.link(cambs, patients, unit="collision", term_frequency=("age",))


@pytest.fixture(scope="module")
def generated(synthetic_ds, tmp_path_factory):
    """Registries made by rs.generate_trauma from the synthetic police data at three noise levels."""
    from roadsafe.linkage.trauma import generate_trauma

    out = {}
    for noise in (0.0, 1.0, 2.0):
        g = generate_trauma(synthetic_ds, tmp_path_factory.mktemp(f"trauma{noise}"), seed=2, noise=noise)
        out[noise] = g
    return out


def test_generated_registries_link_well_and_degrade_gracefully(synthetic_ds, generated):
    f1 = {}
    for noise, g in generated.items():
        links = rs.link(synthetic_ds, g.read(), unit="casualty")
        _assert_constraints(links)
        ev = links.evaluate(g.truth)
        f1[noise] = ev.f1
        assert ev.precision > {0.0: 0.99, 1.0: 0.96, 2.0: 0.9}[noise], (noise, ev)
    assert f1[0.0] > 0.99 and f1[1.0] > 0.94 and f1[2.0] > 0.8, f1
    assert f1[0.0] > f1[1.0] > f1[2.0]


def test_generated_collision_level_on_cambridgeshire(cambs, tmp_path):
    from roadsafe.linkage.trauma import generate_trauma

    g = generate_trauma(cambs, tmp_path, seed=1, noise=1.0)
    links = rs.link(cambs, g.read(), unit="collision")
    _assert_constraints(links)
    ev = links.evaluate(g.truth)
    assert ev.precision > 0.95 and ev.f1 > 0.88, ev
    table = rs.severity_table(cambs, links)
    assert table["severe_mais3"].sum() > 0 and table["cr_total"].notna().all()


def test_cli_link(cambs, tmp_path, capsys):
    from roadsafe.cli.common import UsageError
    from roadsafe.cli.main import build_parser, main
    from roadsafe.linkage.trauma import generate_trauma

    g = generate_trauma(cambs, tmp_path, seed=3, noise=1.0)
    parser = build_parser()
    out = tmp_path / "links.csv"
    args = parser.parse_args(["link", "--dataset", "cambridgeshire", "--trauma", str(g.patients_path), "--injuries",
                              str(g.injuries_path), "--unit", "collision", "--out", str(out), "--quiet"])
    assert args.run(args) == 0
    printed = capsys.readouterr().out
    assert "Fellegi-Sunter model" in printed and "2015-16" in printed and "not_in_police" in printed
    written = pd.read_csv(out, dtype=str)
    assert list(written.columns) == ["collision_index", "collision_reference", "trauma_id", "match_weight",
                                     "match_probability", "band"]
    assert written["trauma_id"].is_unique
    args = parser.parse_args(["link", "--dataset", "cambridgeshire", "--trauma", str(g.patients_path), "--unit",
                              "casualty"])
    with pytest.raises(UsageError, match="--unit collision"):
        args.run(args)
    # Through `roadsafe` itself: a wrong command line exits 2, an unreadable registry 4; by default the
    # level is the finest the data support (collisions here: the export has no casualty table).
    assert main(["link", "--dataset", "cambridgeshire", "--trauma", str(g.patients_path), "--unit", "casualty"]) == 2
    assert main(["link", "--dataset", "cambridgeshire", "--trauma", str(g.patients_path), "--quiet"]) == 0
    assert ("Linking police collision records (--unit auto: the data have no casualty table)"
            in capsys.readouterr().out)
    assert main(["link", "--dataset", "cambridgeshire", "--trauma", str(g.patients_path), "--quiet",
                 "--min-precision", "0.95"]) == 0
    chosen = rs.link(cambs, rs.read_trauma(g.patients_path), unit="collision", min_precision=0.95)
    assert f"Operating point: {chosen.operating_point} (from the match probabilities" in capsys.readouterr().out
    assert main(["link", "--dataset", "cambridgeshire", "--trauma", str(g.patients_path), "--min-precision",
                 "1"]) == 2
    assert capsys.readouterr().err.strip() == "roadsafe: --min-precision must lie between 0 and 1"
    assert main(["link", "--dataset", "cambridgeshire", "--unit", "collision", "--trauma",
                     str(tmp_path / "missing.csv")]) == 4


def test_no_patients_is_an_input_error(cambs):
    empty = pd.DataFrame({"trauma_id": pd.Series([], dtype=str), "arrival_datetime": pd.Series([], dtype="datetime64[ns]")})
    with pytest.raises(rs.errors.InvalidInputError, match="there are no patients to link"):
        rs.link(cambs, empty, unit="collision")


def test_em_that_stops_early_says_so(cambs):
    police = police_collisions(cambs)
    patients, _ = _patients_from(police, "collision", 0.05, seed=9)
    with pytest.warns(RuntimeWarning, match="EM did not converge in 1 iterations"):
        links = rs.link(cambs, patients, unit="collision", max_iterations=1)
    _assert_constraints(links)
    assert not links.model.converged and links.model.iterations == 1
    assert "NOT converged" in links.model.summary()


# ---- collision level: the first pedestrian's age and sex ------------------------------------------------

# Measured before collision-level age/sex comparison (and before the generator gave the pedestrian patient
# the recorded pedestrian's age and sex): Cambridgeshire, generate_trauma seed 1, noise 1, rs.link seed 0.
OLD_CAMBS_F1 = 0.915
OLD_CAMBS_PEDESTRIAN_RECALL = 0.960


@pytest.fixture(scope="module")
def cambs_generated(cambs, tmp_path_factory):
    from roadsafe.linkage.trauma import generate_trauma

    g = generate_trauma(cambs, tmp_path_factory.mktemp("cambs_trauma"), seed=1, noise=1.0)
    return g, g.read()


def _pedestrian_recall(links, truth, patients) -> float:
    """Share of the pedestrian patients (as the registry recorded them) with a police record that link to it."""
    ped = (patients["road_user"].astype(str) == "pedestrian").to_numpy() & (truth["collision_index"] != "").to_numpy()
    key = dict(zip(truth["trauma_id"], truth["collision_index"]))
    ids = set(truth["trauma_id"][ped])
    pairs = links.pairs
    hit = [tid in ids and key[tid] == c for tid, c in zip(pairs["trauma_id"], pairs["collision_index"])]
    return sum(hit) / len(ids)


def test_collision_level_u_of_age_and_sex_by_hand(cambs, cambs_generated):
    """u of age and sex at collision level, from every pair (40 patients x 12,108 collisions < u_max_pairs,
    so the engine enumerates them all), against numpy: only pedestrian patients against collisions with a
    recorded first pedestrian are comparable; the rest are the null level, left out of u; and only pairs
    far apart in time count (any other pair may be a match)."""
    _, trauma = cambs_generated
    p = trauma.patients
    is_ped = p["road_user"].astype(str) == "pedestrian"
    few = pd.concat([p[is_ped].head(20), p[~is_ped].head(20)], ignore_index=True)
    with warnings.catch_warnings():  # EM on 40 patients may stop early; not what this test is about
        warnings.simplefilter("ignore", RuntimeWarning)
        links = rs.link(cambs, few, unit="collision")
    assert links.model.u_pairs == 40 * len(cambs.collisions)
    police = police_collisions(cambs)
    ped = (few["road_user"].astype(str) == "pedestrian").to_numpy()
    qa = np.where(ped, pd.to_numeric(few["age"], errors="coerce").to_numpy(float), np.nan)
    pa = police["pedestrian_age"].to_numpy(float)
    pt = (pd.to_datetime(police["datetime"]).to_numpy("datetime64[ns]").astype(np.int64) / 60e9)[:, None]
    inc = (pd.to_datetime(few["incident_datetime"]).to_numpy("datetime64[ns]").astype(np.int64) / 60e9)[None, :]
    inc = np.where(few["incident_datetime"].isna().to_numpy()[None, :], np.nan, inc)
    arr = (pd.to_datetime(few["arrival_datetime"]).to_numpy("datetime64[ns]").astype(np.int64) / 60e9)[None, :]
    assert police["time_known"].all()
    delay = arr - pt
    with np.errstate(invalid="ignore"):
        far = np.where(np.isnan(inc), (delay < -5) | (delay > 1440),
                       (np.abs(inc - pt) > 180) & ~((delay >= -5) & (delay <= 360)))
    d = np.where(far, np.abs(pa[:, None] - qa[None, :]), np.nan)
    known = ~np.isnan(d)
    level = np.select([d < 0.5, d <= 2, d <= 5], [1, 2, 3], 4)[known]
    counts = np.bincount(level, minlength=5)[1:]
    u_age = (counts + 0.5) / (known.sum() + 0.5 * 4)
    qs = np.where(ped, few["sex"].astype(str).map({"M": 1, "F": 2}).fillna(0).to_numpy(int), 0)
    ps = police["pedestrian_sex"].astype(str).map({"M": 1, "F": 2}).fillna(0).to_numpy(int)
    comparable = (ps[:, None] > 0) & (qs[None, :] > 0) & far
    equal = (ps[:, None] == qs[None, :]) & comparable
    u_sex = (np.array([equal.sum(), comparable.sum() - equal.sum()]) + 0.5) / (comparable.sum() + 0.5 * 2)
    assert known.sum() > 10_000 and comparable.sum() > 10_000
    table = links.model.table.set_index(["comparison", "level"])
    np.testing.assert_allclose(table.loc["age", "u"].to_numpy()[1:], u_age, rtol=1e-12)
    np.testing.assert_allclose(table.loc["sex", "u"].to_numpy()[1:], u_sex, rtol=1e-12)
    assert table.loc[("age", 0), "label"].startswith("not comparable")
    assert table.loc[("age", 0), "weight"] == 0 and np.isnan(table.loc[("age", 0), "u"])


def test_collision_level_explains_pedestrian_and_not_comparable_pairs(cambs, cambs_generated):
    g, trauma = cambs_generated
    links = rs.link(cambs, trauma, unit="collision")
    pairs = links.pairs
    police = links.police
    road_user = trauma.patients.set_index("trauma_id")["road_user"].astype(str)
    users = road_user.loc[pairs["trauma_id"]].to_numpy()
    has_ped = police["pedestrian_age"].notna().to_numpy()[pairs["police_row"].to_numpy()]
    # non-pedestrian patients are never compared on age or sex
    assert (pairs.loc[users != "pedestrian", ["gamma_age", "gamma_sex"]] == 0).all().all()
    compared = (users == "pedestrian") & has_ped & (pairs["gamma_age"] > 0).to_numpy()
    assert compared.sum() > 100
    # most compared pedestrian links agree exactly on age (noise 1: 10 % off by a year or two)
    assert (pairs.loc[compared, "gamma_age"] == 1).mean() > 0.8
    i = int(np.flatnonzero(compared)[0])
    e = links.explain(i).set_index("comparison")
    row = police.iloc[int(pairs["police_row"].iloc[i])]
    assert e.loc["age", "police_value"] == str(row["pedestrian_age"])
    assert e.loc["sex", "police_value"] == str(row["pedestrian_sex"])
    assert e.loc["age", "weight"] == pytest.approx(links.model.table.set_index(["comparison", "level"]).loc[
        ("age", int(pairs["gamma_age"].iloc[i])), "weight"])
    j = int(np.flatnonzero(users != "pedestrian")[0])
    e = links.explain(j).set_index("comparison")
    assert e.loc["age", "level"].startswith("not comparable") and e.loc["age", "weight"] == 0
    assert e.loc["sex", "level"].startswith("not comparable") and e.loc["sex", "weight"] == 0
    summary = links.model.summary()
    assert "  age\n" in summary and "  sex\n" in summary
    assert "a collision has neither" not in summary and "first pedestrian" in summary
    assert {"police_age", "police_sex"} <= set(links.review.columns)


def test_casualty_level_inputs_are_unchanged(synthetic_ds, casualty_links):
    """Casualty level is untouched: the patients' age and sex go to the engine as recorded, and the link
    equals an engine call on arrays built here from police_casualties and the raw patient columns."""
    from roadsafe import _engine
    from roadsafe.linkage.links import _patient_arrays, _police_arrays

    links, truth = casualty_links
    patients = links.patients
    arrays = _patient_arrays(patients, "casualty")
    np.testing.assert_array_equal(arrays["age"], pd.to_numeric(patients["age"]).to_numpy(float))
    np.testing.assert_array_equal(arrays["sex"], patients["sex"].map({"M": 1, "F": 2}).fillna(0).to_numpy(np.int8))
    police = police_casualties(synthetic_ds)
    p = _police_arrays(police, "casualty")
    np.testing.assert_array_equal(p["age"], police["age"].to_numpy(float))
    raw = _engine.linkage.link(p, arrays, "casualty", 4, 1_000_000, 100, 1e-5, 0.01, True, False, {}, 0,
                               prior_by_road_user=True)
    assert np.asarray(raw["weight"]).tolist() == links.candidates["match_weight"].tolist()
    assert raw["model"]["m"] == links.model._raw["m"] and raw["model"]["u"] == links.model._raw["u"]


def test_pedestrian_age_and_sex_improve_cambridgeshire_links(cambs, cambs_generated, monkeypatch):
    """The same generated registry linked with and without the first pedestrian's age and sex (without:
    the collision-level behaviour before they were compared). Figures measured (seed 1, noise 1): with
    P 0.981 R 0.870 F1 0.922, pedestrian recall 0.986 (210/213); without on this registry F1 0.916,
    pedestrian recall 0.944 (201/213); before both changes F1 0.915, pedestrian recall 0.960."""
    import roadsafe.linkage.police_records as records

    g, trauma = cambs_generated
    with_fields = rs.link(cambs, trauma, unit="collision")
    ev = with_fields.evaluate(g.truth)
    recall = _pedestrian_recall(with_fields, g.truth, trauma.patients)
    original = records.police_collisions
    monkeypatch.setattr(records, "police_collisions",
                        lambda ds: original(ds).drop(columns=["pedestrian_age", "pedestrian_sex"]))
    without = rs.link(cambs, trauma, unit="collision")
    ev_without = without.evaluate(g.truth)
    recall_without = _pedestrian_recall(without, g.truth, trauma.patients)
    assert (without.pairs[["gamma_age", "gamma_sex"]] == 0).all().all()
    assert ev.f1 >= OLD_CAMBS_F1 - 0.005, ev
    assert ev.f1 > ev_without.f1 and ev.precision >= ev_without.precision - 0.002, (ev, ev_without)
    # Measured after issue 14's model changes: with 0.986, without 0.977 (the finer time and place
    # levels find most pedestrians anyway); age and sex still add some.
    assert recall > recall_without and recall > OLD_CAMBS_PEDESTRIAN_RECALL, (recall, recall_without)
    assert ev.precision > 0.97 and recall > 0.97
