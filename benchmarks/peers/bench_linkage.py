"""Linkage benchmark: roadsafe against Splink (DuckDB) and recordlinkage, on the same generated data.

    python benchmarks/peers/bench_linkage.py [--collisions 100000] [--noise 1.0] [--seed 7]
                                             [--skip-recordlinkage] [--threads 0]

Data: one national year of police records from the engine's STATS19 generator (about 130k casualties)
and a trauma registry generated for it by rs.generate_trauma (about 20k patients, 30 % with no police
record), with the true links. Every contender starts from the same loaded objects (the police Dataset
and the registry's patients) and is timed end to end: preparing its inputs, estimating u from random
pairs, EM for m (and the prior), scoring the candidate pairs and making the links one-to-one.

The comparisons. Splink: roadsafe's issue 14 levels as SQL (splink_links: asymmetric delay bands,
incident distance bands with a gross-error level, the hospital nearest the collision, a similar road user;
what has no Splink form is listed there). recordlinkage keeps roadsafe's levels from before issue 14
(time: incident within 15 min / 1 h / 3 h / 24 h, else arrival -30 min..90 min / ..6 h / ..24 h after,
date-only same day; distance 100 m / 500 m / 2 km / 10 km; age exact / 2 / 5 years; sex; road user with
term-frequency adjustment). All: casualty level; blocking on time (police date = arrival date or the day
before, or = incident date; roadsafe uses the equivalent window arrival - 24 h .. + 1 h and incident
+- 6 h) and, when both sides are located, 20 km; u from 1e6 random pairs, seeded (roadsafe: among
non-matches); links at match probability >= 0.5, one patient per casualty and one casualty per patient.
- Splink: DuckDB backend, CustomComparison levels written as the same SQL conditions, the prior from a
  deterministic rule (same day, age, sex, road user, incident time within 15 min) with recall 0.5, two EM
  sessions (pairs on the same day within 2 h, which trains every comparison but time; pairs on the same
  day within 500 m, which trains every comparison but distance),
  predict, then cluster_using_single_best_links (mutual best links).
- recordlinkage: Index.block on the same day keys, the same levels computed with compare_vectorized and
  one-hot encoded (its ECM classifier takes binary features), ECMClassifier, then greedy one-to-one.
Accuracy is precision / recall / F1 of the one-to-one links against the generator's truth.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings

import numpy as np
import pandas as pd

COMMON = ["unique_id", "police_t", "police_day_t", "inc_t", "arr_t", "x", "y", "age", "sex", "road_user",
          "d0", "d1", "d2"]


def _minutes(s) -> np.ndarray:
    dt = pd.to_datetime(pd.Series(s)).to_numpy(dtype="datetime64[ns]")
    out = dt.astype("int64").astype(float) / 60e9
    out[np.isnat(dt)] = np.nan
    return out


def peer_inputs(ds, patients: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both sides in one column layout (Splink needs the same columns on both), values in minutes / metres."""
    from roadsafe.linkage.police_records import police_casualties

    p = police_casualties(ds)
    t = _minutes(p["datetime"])
    known = p["time_known"].to_numpy(bool)
    day = np.floor(t / 1440)
    police = pd.DataFrame({
        "unique_id": np.arange(len(p)),
        "police_t": np.where(known, t, np.nan), "police_day_t": np.where(known, np.nan, day * 1440),
        "inc_t": np.nan, "arr_t": np.nan,
        "x": p["easting"].to_numpy(float), "y": p["northing"].to_numpy(float),
        "age": p["age"].to_numpy(float),
        "sex": p["sex"].astype(object).where(p["sex"].astype(object).isin(["M", "F"]), None),
        "road_user": p["road_user"].astype(object).where(p["road_user"].astype(object) != "unknown", None),
        "d0": day, "d1": day + 1, "d2": day,
        "collision_index": p["collision_index"].astype(str), "casualty_reference": p["casualty_reference"].astype(str),
    })
    q = patients
    arr = _minutes(q["arrival_datetime"])
    inc = _minutes(q["incident_datetime"])
    sex = q["sex"].astype(object)
    user = q["road_user"].astype(object)
    trauma = pd.DataFrame({
        "unique_id": np.arange(len(q)) + 10_000_000,
        "police_t": np.nan, "police_day_t": np.nan, "inc_t": inc, "arr_t": arr,
        "x": pd.to_numeric(q["incident_easting"], errors="coerce").to_numpy(float),
        "y": pd.to_numeric(q["incident_northing"], errors="coerce").to_numpy(float),
        "age": pd.to_numeric(q["age"], errors="coerce").to_numpy(float),
        "sex": sex.where(sex.isin(["M", "F"]), None), "road_user": user.where(user != "unknown", None),
        "d0": np.floor(arr / 1440), "d1": np.floor(arr / 1440), "d2": np.floor(inc / 1440),
        "trauma_id": q["trauma_id"].astype(str),
    })
    return police, trauma


# The comparison levels as SQL on Splink's _l / _r columns; each side has either the police or the patient
# columns, so coalesce picks whichever side has it.
def _c(name: str) -> str:
    return f'coalesce("{name}_l", "{name}_r")'


P, D, INC, ARR = _c("police_t"), _c("police_day_t"), _c("inc_t"), _c("arr_t")


SPLINK_COMMON = COMMON + ["px", "py", "qx", "qy", "hx", "hy", "hsite"]


def splink_inputs(ds, patients: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """peer_inputs plus what the issue 14 comparisons need, side by side: the police location (px, py), the
    incident location (qx, qy), the receiving hospital (hx, hy) and ``hsite``: for a patient its hospital as
    a site of the registry's distinct hospital locations, for a police record the site nearest to it."""
    police, trauma = peer_inputs(ds, patients)
    hx = pd.to_numeric(patients["hospital_easting"], errors="coerce").to_numpy(float)
    hy = pd.to_numeric(patients["hospital_northing"], errors="coerce").to_numpy(float)
    ok = np.isfinite(hx) & np.isfinite(hy)
    sites = np.unique(np.column_stack([hx[ok], hy[ok]]), axis=0)
    px, py = police["x"].to_numpy(float), police["y"].to_numpy(float)
    located = np.isfinite(px) & np.isfinite(py)
    near = np.full(len(police), np.nan)
    for lo in range(0, len(police), 20000):  # nearest site, in chunks (sites x records distances)
        sl = slice(lo, lo + 20000)
        d2 = (px[sl, None] - sites[None, :, 0]) ** 2 + (py[sl, None] - sites[None, :, 1]) ** 2
        near[sl] = np.where(located[sl], np.argmin(np.where(np.isfinite(d2), d2, np.inf), axis=1), np.nan)
    site = np.full(len(trauma), np.nan)
    index = {tuple(v): k for k, v in enumerate(sites)}
    site[ok] = [index[(a, b)] for a, b in zip(hx[ok], hy[ok])]
    # Sites as nullable integers: DuckDB reads NA as NULL (a float NaN would equal NaN there).
    police = police.assign(px=px, py=py, qx=np.nan, qy=np.nan, hx=np.nan, hy=np.nan,
                           hsite=pd.array(near, dtype="Float64").astype("Int64"))
    trauma = trauma.assign(px=np.nan, py=np.nan, qx=trauma["x"], qy=trauma["y"], hx=np.where(ok, hx, np.nan),
                           hy=np.where(ok, hy, np.nan), hsite=pd.array(site, dtype="Float64").astype("Int64"))
    return police, trauma


PX, PY, QX, QY, HX, HY = (_c(k) for k in ("px", "py", "qx", "qy", "hx", "hy"))
# roadsafe's issue 14 levels (engine comparison_levels.cpp), as SQL.
TIME_LEVELS = (
    [(f"({P} is null and {D} is null) or ({INC} is null and {ARR} is null)", "null", True)]
    + [(f"{P} is not null and {INC} is not null and abs({INC} - {P}) <= {m}", f"incident {m} min", False)
       for m in (5, 15, 60, 180)]
    + [(f"{P} is not null and {INC} is not null and {ARR} - {P} between -5 and 360",
        "incident further, arrival 0-6 h after", False),
       (f"{P} is not null and {INC} is not null", "incident further, arrival otherwise", False),
       (f"{P} is not null and {ARR} - {P} < -5", "arrival before the collision", False)]
    + [(f"{P} is not null and {ARR} - {P} <= {m}", f"arrival up to {m} min after", False)
       for m in (20, 40, 60, 90, 135, 240, 480, 1440)]
    + [(f"{P} is null and (({INC} is not null and {INC} >= {D} and {INC} < {D} + 1440) or "
        f"({INC} is null and {ARR} >= {D} and {ARR} < {D} + 2880))", "same day", False)])
DIST2 = f"(({PX} - {QX}) * ({PX} - {QX}) + ({PY} - {QY}) * ({PY} - {QY}))"
HOSP_DIST2 = f"(({PX} - {HX}) * ({PX} - {HX}) + ({PY} - {HY}) * ({PY} - {HY}))"
WITHIN_20KM = ("(coalesce(l.px, r.px) is null or coalesce(l.qx, r.qx) is null or "
                   "(coalesce(l.px, r.px) - coalesce(l.qx, r.qx)) * (coalesce(l.px, r.px) - coalesce(l.qx, r.qx)) + "
                   "(coalesce(l.py, r.py) - coalesce(l.qy, r.qy)) * (coalesce(l.py, r.py) - coalesce(l.qy, r.qy)) "
                   "<= 400000000)")
SIMILAR = ("('car_occupant', 'goods_vehicle_occupant'), ('goods_vehicle_occupant', 'car_occupant'), "
           "('pedal_cyclist', 'motorcyclist'), ('motorcyclist', 'pedal_cyclist')")


def splink_links(police: pd.DataFrame, trauma: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, int]:
    """Splink with roadsafe's issue 14 comparisons: the finer asymmetric time levels, the incident distance
    bands with a gross-error level, the hospital nearest the collision (term-frequency adjusted on the
    site, Splink's form of the catchment) or another hospital within 20 / 35 / 60 km, age, sex, road user
    (equal with term frequencies, a similar road user). What has no Splink form: u among non-matches (Splink
    samples random pairs), the hour-of-week density, the floor on gross location errors, the per-hospital
    bypass scaling, the one-record-per-patient E-step."""
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator
    from splink.backends.duckdb import DuckDBAPI

    def levels(spec):
        out = []
        for sql, label, null in spec:
            d = {"sql_condition": sql, "label_for_charts": label}
            if null:
                d["is_null_level"] = True
            out.append(d)
        out.append({"sql_condition": "ELSE", "label_for_charts": "else"})
        return out

    distance = levels(
        [(f"{PX} is null or ({QX} is null and {HX} is null)", "null", True)]
        + [(f"{QX} is not null and {DIST2} <= {r * r}", f"incident {r} m", False)
           for r in (100, 250, 500, 1000, 2000, 5000, 10000)]
        + [(f"{QX} is not null", "incident further", False),
           ('"hsite_l" = "hsite_r"', "the hospital nearest the collision", False)]
        + [(f"{HOSP_DIST2} <= {r * r}", f"another hospital {r} m", False) for r in (20000, 35000, 60000)])
    nearest = next(d for d in distance if d.get("label_for_charts") == "the hospital nearest the collision")
    nearest.update({"tf_adjustment_column": "hsite", "tf_adjustment_weight": 1.0})
    age = levels([('"age_l" is null or "age_r" is null', "null", True), ('abs("age_l" - "age_r") < 0.5', "exact", False),
                  ('abs("age_l" - "age_r") <= 2', "2 years", False), ('abs("age_l" - "age_r") <= 5', "5 years", False)])
    sex = levels([('"sex_l" is null or "sex_r" is null', "null", True), ('"sex_l" = "sex_r"', "equal", False)])
    user = levels([('"road_user_l" is null or "road_user_r" is null', "null", True),
                   ('"road_user_l" = "road_user_r"', "equal", False),
                   (f'("road_user_l", "road_user_r") in ({SIMILAR})', "similar", False)])
    user[1].update({"tf_adjustment_column": "road_user", "tf_adjustment_weight": 1.0})
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.CustomComparison(comparison_levels=levels(TIME_LEVELS), output_column_name="time"),
            cl.CustomComparison(comparison_levels=distance, output_column_name="distance"),
            cl.CustomComparison(comparison_levels=age, output_column_name="age"),
            cl.CustomComparison(comparison_levels=sex, output_column_name="sex"),
            cl.CustomComparison(comparison_levels=user, output_column_name="road_user"),
        ],
        blocking_rules_to_generate_predictions=[f'l."{k}" = r."{k}" and {WITHIN_20KM}' for k in ("d0", "d1", "d2")],
        retain_intermediate_calculation_columns=False,
    )
    db = DuckDBAPI()
    left = db.register(police[SPLINK_COMMON], dataset_display_name="police")
    right = db.register(trauma[SPLINK_COMMON], dataset_display_name="trauma")
    linker = Linker([left, right], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        ['l."d0" = r."d0" and l.age = r.age and l.sex = r.sex and l.road_user = r.road_user and '
         'abs(coalesce(l.inc_t, r.inc_t) - coalesce(l.police_t, r.police_t)) <= 15'], recall=0.5)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    # Two EM sessions, as Splink's guide recommends: each blocking rule fixes some comparisons (they cannot
    # be estimated in that session) and makes matches common enough among its pairs for EM to find them;
    # blocking on the day alone leaves ~0.1 % matches and EM settles on a wrong mixture.
    linker.training.estimate_parameters_using_expectation_maximisation(
        'l."d0" = r."d0" and abs(coalesce(l.inc_t, r.inc_t, l.arr_t, r.arr_t) - coalesce(l.police_t, r.police_t)) <= 120')
    linker.training.estimate_parameters_using_expectation_maximisation(
        'l."d0" = r."d0" and '
        '(coalesce(l.px, r.px) - coalesce(l.qx, r.qx)) * (coalesce(l.px, r.px) - coalesce(l.qx, r.qx)) + '
        '(coalesce(l.py, r.py) - coalesce(l.qy, r.qy)) * (coalesce(l.py, r.py) - coalesce(l.qy, r.qy)) <= 250000')
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    n_pairs = int(predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0])
    clusters = linker.clustering.cluster_using_single_best_links(
        predictions, duplicate_free_datasets=["police", "trauma"], threshold_match_probability=0.5)
    c = clusters.as_pandas_dataframe()
    c = c[c.groupby("cluster_id")["unique_id"].transform("size") == 2]
    pol = c[c["unique_id"] < 10_000_000].set_index("cluster_id")["unique_id"]
    pat = c[c["unique_id"] >= 10_000_000].set_index("cluster_id")["unique_id"]
    pairs = pd.DataFrame({"police": pol, "patient": pat}).dropna().astype("int64")
    pairs["patient"] -= 10_000_000
    return pairs.reset_index(drop=True), n_pairs


def recordlinkage_links(police: pd.DataFrame, trauma: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    import recordlinkage as rl

    a = police.set_index("unique_id")
    b = trauma.set_index("unique_id")
    index = rl.Index()
    for k in ("d0", "d1", "d2"):
        index.block(left_on=k, right_on=k)
    candidates = index.index(a, b)
    pa = a.loc[candidates.get_level_values(0)]
    pb = b.loc[candidates.get_level_values(1)]
    # The same 20 km condition as the others.
    d2 = (pa["x"].to_numpy() - pb["x"].to_numpy()) ** 2 + (pa["y"].to_numpy() - pb["y"].to_numpy()) ** 2
    keep = ~(d2 > 4e8)
    candidates = candidates[keep]

    def time_level(pt, pdt, inc, arr):
        pt, pdt, inc, arr = (np.asarray(v, float) for v in (pt, pdt, inc, arr))
        lv = np.full(len(pt), 9)
        has_i = ~np.isnan(inc)
        di = np.abs(inc - pt)
        da = arr - pt
        for k, lim in enumerate((15, 60, 180, 1440)):
            lv = np.where((lv == 9) & ~np.isnan(pt) & has_i & (di <= lim), k + 1, lv)
        for k, lim in enumerate((90, 360, 1440)):
            lv = np.where((lv == 9) & ~np.isnan(pt) & ~has_i & (da >= -30) & (da <= lim), k + 5, lv)
        same = np.where(has_i, (inc >= pdt) & (inc < pdt + 1440), (arr >= pdt) & (arr < pdt + 2880))
        lv = np.where((lv == 9) & np.isnan(pt) & ~np.isnan(pdt) & same, 8, lv)
        return lv

    def distance_level(x1, y1, x2, y2):
        d = np.sqrt((np.asarray(x1, float) - np.asarray(x2, float)) ** 2 + (np.asarray(y1, float) - np.asarray(y2, float)) ** 2)
        return np.select([np.isnan(d), d <= 100, d <= 500, d <= 2000, d <= 10000], [0, 1, 2, 3, 4], 5)

    def age_level(a1, a2):
        d = np.abs(np.asarray(a1, float) - np.asarray(a2, float))
        return np.select([np.isnan(d), d < 0.5, d <= 2, d <= 5], [0, 1, 2, 3], 4)

    def equal_level(v1, v2):
        v1, v2 = np.asarray(v1, object), np.asarray(v2, object)
        return np.where(pd.isna(v1) | pd.isna(v2), 0, np.where(v1 == v2, 1, 2))

    cmp = rl.Compare()
    cmp.compare_vectorized(time_level, ["police_t", "police_day_t"], ["inc_t", "arr_t"], label="time")
    cmp.compare_vectorized(distance_level, ["x", "y"], ["x", "y"], label="distance")
    cmp.compare_vectorized(age_level, "age", "age", label="age")
    cmp.compare_vectorized(equal_level, "sex", "sex", label="sex")
    cmp.compare_vectorized(equal_level, "road_user", "road_user", label="road_user")
    feats = cmp.compute(candidates, a, b)
    # One indicator per non-null level: ECM models binary features.
    binary = pd.get_dummies(feats.astype("category"), columns=list(feats.columns)).astype(np.uint8)
    binary = binary[[c for c in binary.columns if not c.endswith("_0")]]
    ecm = rl.ECMClassifier(binarize=None)
    ecm.fit(binary)
    prob = pd.Series(ecm.prob(binary), index=candidates)
    links = prob[prob >= 0.5].sort_values(ascending=False, kind="stable").reset_index()
    links.columns = ["police", "patient", "p"]
    links = links.drop_duplicates("patient").drop_duplicates("police")
    links["patient"] -= 10_000_000
    return links[["police", "patient"]].reset_index(drop=True), len(candidates)


def score(pairs: pd.DataFrame, police: pd.DataFrame, trauma: pd.DataFrame, truth: pd.DataFrame) -> dict:
    true = truth[truth["collision_index"] != ""]
    true_keys = set(zip(true["trauma_id"], true["collision_index"], true["casualty_reference"]))
    found = set(zip(trauma["trauma_id"].to_numpy()[pairs["patient"].to_numpy()],
                    police["collision_index"].to_numpy()[pairs["police"].to_numpy()],
                    police["casualty_reference"].to_numpy()[pairs["police"].to_numpy()]))
    tp = len(found & true_keys)
    precision = tp / len(found) if found else float("nan")
    recall = tp / len(true_keys)
    return {"links": len(found), "precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if tp else 0.0}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--collisions", type=int, default=100000)
    ap.add_argument("--noise", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--skip-recordlinkage", action="store_true")
    ap.add_argument("--skip-splink", action="store_true")
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import roadsafe as rs
    from roadsafe.linkage.trauma import generate_trauma, read_trauma

    print(f"cores: {os.cpu_count()}")
    work = tempfile.mkdtemp(prefix="bench_linkage_")
    info = rs._engine.synth.write_stats19_synthetic(work, first_year=2019, years=1,
                                                    collisions_per_year=a.collisions, seed=a.seed)
    ds = rs.read_stats19([info["collisions"], info["vehicles"], info["casualties"]])
    g = generate_trauma(ds, os.path.join(work, "trauma"), seed=a.seed, noise=a.noise)
    trauma = read_trauma(g.patients_path, g.injuries_path)
    truth = g.truth
    print(f"police: {len(ds.collisions):,} collisions, {len(ds.casualties):,} casualties; registry: "
          f"{len(trauma.patients):,} patients ({(truth['collision_index'] != '').sum():,} with a police record), "
          f"noise {a.noise:g}")
    rows = []

    t = time.perf_counter()
    links = rs.link(ds, trauma, unit="casualty", seed=a.seed, threads=a.threads)
    t_rs = time.perf_counter() - t
    ev = links.evaluate(truth)
    rows.append(("roadsafe link", t_rs, links.model.candidate_pairs, len(links.pairs), ev.precision, ev.recall, ev.f1))
    print(f"roadsafe: {t_rs:.2f} s, {links.model.candidate_pairs:,} candidate pairs, {ev}")

    police, patients = None, None
    if not a.skip_splink:
        t = time.perf_counter()
        police, patients = splink_inputs(ds, trauma.patients)
        pairs, n_pairs = splink_links(police, patients, a.seed)
        t_sp = time.perf_counter() - t
        s = score(pairs, police, patients, truth)
        rows.append(("Splink 5 (DuckDB), issue 14 comparisons", t_sp, n_pairs, s["links"], s["precision"], s["recall"],
                     s["f1"]))
        print(f"splink: {t_sp:.2f} s, {n_pairs:,} scored pairs (p >= 0.01), {s}")
    if not a.skip_recordlinkage:
        t = time.perf_counter()
        police, patients = peer_inputs(ds, trauma.patients)
        pairs, n_pairs = recordlinkage_links(police, patients)
        t_rl = time.perf_counter() - t
        s = score(pairs, police, patients, truth)
        rows.append(("recordlinkage (ECM)", t_rl, n_pairs, s["links"], s["precision"], s["recall"], s["f1"]))
        print(f"recordlinkage: {t_rl:.2f} s, {n_pairs:,} candidate pairs, {s}")

    print()
    print("| contender | seconds | vs roadsafe | pairs | links | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, sec, n_pairs, n_links, p, r, f in rows:
        print(f"| {name} | {sec:.2f} | {sec / t_rs:.1f}x | {n_pairs:,} | {n_links:,} | {p:.4f} | {r:.4f} | {f:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
