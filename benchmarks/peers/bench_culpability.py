"""Driver culpability and involvement ratios by age band over generated national years: roadsafe against
the same rules written in plain pandas, on the same loaded DataFrames, in one process. Results are checked
equal before any time is printed.

    python benchmarks/peers/bench_culpability.py [--years 10] [--per-year 100000] [--repeat 3]

The work: give every driver (vehicle) a status and the rule that decided it (the proxy rules of
``roadsafe.drivers.culpability``: single vehicle, pedestrian, stationary, rear end, reversing, turning
across, three or more vehicles, mitigating road and weather conditions), then the relative accident
involvement ratios by driver age band from the two-vehicle collisions with one culpable and one
not-culpable motor-vehicle driver, with their 95% intervals. The pandas version is what an analyst would
write: labels mapped to DfT codes with ``map``, the collision fields merged on, the two vehicles of a
collision paired by a self-merge, the rules as ``np.select`` over the columns, the pairs found with a
group-by.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

FOLD = {16: 19, 17: 19, 18: 19, 99: -1}


def _label_codes(kind: str, field: str) -> dict[str, int]:
    from roadsafe.io.code_list import code_labels

    return {label: int(code) for code, label in code_labels(kind, field).items() if code.lstrip("-").isdigit()}


def _codes(frame: pd.DataFrame, kind: str, field: str) -> pd.Series:
    # map on a categorical maps its few categories, not every row
    return frame[field].map(_label_codes(kind, field)).astype(float).fillna(-1).astype(int)


def pandas_culpability(collisions: pd.DataFrame, vehicles: pd.DataFrame, casualties: pd.DataFrame) -> pd.DataFrame:
    man_field = "vehicle_manoeuvre" if "vehicle_manoeuvre" in vehicles.columns else "vehicle_manoeuvre_historic"
    haz_field = "carriageway_hazards" if "carriageway_hazards" in collisions.columns else "carriageway_hazards_historic"
    v = pd.DataFrame({"collision_index": vehicles["collision_index"], "vehicle_reference": vehicles["vehicle_reference"],
                      "man": _codes(vehicles, "vehicle", man_field).replace(FOLD),
                      "imp": _codes(vehicles, "vehicle", "first_point_of_impact"),
                      "hit": _codes(vehicles, "vehicle", "hit_object_in_carriageway"),
                      "age_band_of_driver": vehicles["age_band_of_driver"],
                      "vehicle_type": vehicles["vehicle_type"]})
    v["imp"] = v["imp"].where(v["imp"].between(0, 4), -1)
    c = pd.DataFrame({"collision_index": collisions["collision_index"],
                      "stated": collisions["number_of_vehicles"].fillna(0).astype(int),
                      "surface": _codes(collisions, "collision", "road_surface_conditions"),
                      "weather": _codes(collisions, "collision", "weather_conditions"),
                      "site": _codes(collisions, "collision", "special_conditions_at_site"),
                      "hazard": _codes(collisions, "collision", haz_field)})
    ped = casualties.loc[casualties["casualty_class"].astype(object) == "Pedestrian", "collision_index"].unique()
    c["ped"] = c["collision_index"].isin(ped)
    c["mitigating"] = (c["surface"].isin([3, 4, 5, 6, 7]) | c["weather"].isin([3, 4, 5, 6, 7])
                       | c["site"].isin([1, 2, 3, 4, 5, 6, 7]) | c["hazard"].isin([*range(1, 8), *range(11, 22)]))
    v["listed"] = v.groupby("collision_index")["vehicle_reference"].transform("size")
    v = v.reset_index(names="pos").merge(c, on="collision_index", how="left")
    v["n"] = np.maximum(v["listed"], v["stated"])
    v.loc[(v["n"] == 2) & (v["listed"] != 2), "n"] = 3

    stationary = v["man"].isin([2, 3, 8, 10])
    v["rule"] = "three_or_more_vehicles"
    v.loc[v["n"] == 1, "rule"] = np.where(v.loc[v["n"] == 1, "ped"], "pedestrian_involved", "single_vehicle")
    multi = v["n"] >= 3
    v.loc[multi & (v["imp"] == 2) & v["man"].isin([4, 3, 8, 10]), "rule"] = "struck_from_behind_in_multi"
    v.loc[multi & stationary, "rule"] = "stationary_in_multi_vehicle"

    two = v.loc[v["n"] == 2, ["pos", "collision_index", "man", "imp"]]
    p = two.merge(two, on="collision_index", suffixes=("", "_o"))
    p = p[p["pos"] != p["pos_o"]]
    st, st_o = p["man"].isin([2, 3, 8, 10]), p["man_o"].isin([2, 3, 8, 10])
    mov, mov_o = (p["man"] >= 0) & ~st, (p["man_o"] >= 0) & ~st_o
    rev, rev_o = p["man"] == 1, p["man_o"] == 1
    ahead, ahead_o = p["man"].isin([19, 4]), p["man_o"].isin([19, 4])
    across = {7: "turning", 9: "turning", 6: "u_turn", 5: "moving_off", 11: "changing_lane", 12: "changing_lane",
              13: "overtaking", 14: "overtaking", 15: "overtaking"}
    across_s, across_o = p["man"].isin(list(across)), p["man_o"].isin(list(across))
    rear, rear_o = (p["imp"] == 2) & (p["imp_o"] == 1), (p["imp"] == 1) & (p["imp_o"] == 2)
    p["rule"] = np.select(
        [st & st_o, st & mov_o, st_o & mov, rear & ahead & ~rev_o, rear_o & ahead_o & ~rev,
         rev & ~rev_o & (p["man_o"] >= 0), rev_o & ~rev & (p["man"] >= 0), across_s & ahead_o & ~rear,
         ahead & across_o & ~rear_o, (p["man"] < 0) | (p["man_o"] < 0)],
        ["both_stationary", "stationary_struck", "hit_stationary_vehicle", "struck_from_behind", "rear_end_striker",
         "reversing", "struck_by_reversing", p["man"].map(across).fillna("two_vehicle_unresolved"),
         "going_ahead_across_manoeuvre", "missing_manoeuvre"], default="two_vehicle_unresolved")
    v = v.set_index("pos")
    v.loc[p["pos"].to_numpy(), "rule"] = p["rule"].to_numpy()
    status = {"single_vehicle": "culpable", "hit_stationary_vehicle": "culpable", "rear_end_striker": "culpable",
              "reversing": "culpable", "turning": "culpable", "u_turn": "culpable", "moving_off": "culpable",
              "changing_lane": "culpable", "overtaking": "culpable", "stationary_struck": "not culpable",
              "struck_from_behind": "not culpable", "struck_by_reversing": "not culpable",
              "going_ahead_across_manoeuvre": "not culpable", "stationary_in_multi_vehicle": "not culpable",
              "struck_from_behind_in_multi": "not culpable"}
    v["status"] = v["rule"].map(status).fillna("undetermined")
    lifted = (v["status"] == "culpable") & (v["mitigating"] | v["hit"].isin([1, 2, 12]))
    v.loc[lifted, ["rule", "status"]] = ["mitigating_conditions", "undetermined"]
    return v.sort_index()


def pandas_ratios(d: pd.DataFrame) -> pd.DataFrame:
    from scipy import stats

    d = d[~d["vehicle_type"].isin(["Pedal cycle", "Ridden horse", "Mobility scooter"])]
    two = d[d["n"] == 2]
    per = two.assign(c=two["status"] == "culpable", u=two["status"] == "not culpable") \
        .groupby("collision_index")[["c", "u"]].transform("sum")
    pairs = two[(per["c"] == 1) & (per["u"] == 1)].dropna(subset=["age_band_of_driver"])
    t = pd.crosstab(pairs["age_band_of_driver"], pairs["status"])
    a, b = t["culpable"].astype(float), t["not culpable"].astype(float)
    A, B = a.sum(), b.sum()
    z = stats.norm.ppf(0.975)
    rair = (a / A) / (b / B)
    se = np.sqrt(1 / a - 1 / A + 1 / b - 1 / B)
    return pd.DataFrame({"culpable": a.astype(int), "not_culpable": b.astype(int), "rair": rair,
                         "rair_low": rair * np.exp(-z * se), "rair_high": rair * np.exp(z * se)})


def roadsafe_both(ds):
    import roadsafe as rs

    d = rs.culpability(ds)
    return d, rs.involvement_ratios(d, by="age_band_of_driver")


def pandas_both(collisions, vehicles, casualties):
    d = pandas_culpability(collisions, vehicles, casualties)
    return d, pandas_ratios(d)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--per-year", type=int, default=100000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()

    from roadsafe.benchmark_data import best_of, generated_years

    ds = generated_years(args.years, args.per_year)
    collisions, vehicles, casualties = ds.collisions, ds.vehicles, ds.casualties
    print(f"{len(collisions):,} collisions, {len(vehicles):,} vehicles, {args.years} years")

    t_rs, (d_rs, r_rs) = best_of(args.repeat, roadsafe_both, ds)
    t_pd, (d_pd, r_pd) = best_of(args.repeat, pandas_both, collisions, vehicles, casualties)
    if not (d_rs["rule"].astype(str).to_numpy() == d_pd["rule"].to_numpy()).all():
        raise SystemExit("pandas disagrees with roadsafe on a driver's rule")
    if not (d_rs["status"].astype(str).to_numpy() == d_pd["status"].to_numpy()).all():
        raise SystemExit("pandas disagrees with roadsafe on a driver's status")
    t = r_rs.table.loc[r_pd.index]
    for c in ("culpable", "not_culpable"):
        if not (t[c].to_numpy() == r_pd[c].to_numpy()).all():
            raise SystemExit(f"pandas disagrees with roadsafe on {c}")
    for c in ("rair", "rair_low", "rair_high"):
        if not np.allclose(t[c].to_numpy(float), r_pd[c].to_numpy(float), rtol=1e-12):
            raise SystemExit(f"pandas disagrees with roadsafe on {c}")
    print(f"results agree: status and rule of all {len(d_rs):,} drivers; counts, ratios and intervals "
          f"by age band ({len(r_pd)} bands)")
    print("| contender | seconds | time vs roadsafe |")
    print("|---|---:|---:|")
    print(f"| roadsafe `culpability` + `involvement_ratios(by='age_band_of_driver')` | {t_rs:.2f} | 1.0x |")
    ratio = t_pd / t_rs
    print(f"| pandas map + merge + np.select + groupby | {t_pd:.2f} | {ratio:.1f}x {'slower' if ratio >= 1 else 'faster'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
