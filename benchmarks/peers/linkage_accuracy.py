"""Linkage accuracy on registries from both generators, by what the patient record holds.

    python benchmarks/peers/linkage_accuracy.py [--national DIR] [--seeds 1 2 3]

Registries: ``rs.generate_trauma`` (the engine's generator, noise 1) and ``second_registry`` (written
independently: dense profile for a county over several years, sparse for a national year). Police
data: the real Cambridgeshire collisions 2012-2017 (collision level: the export has no casualty table)
and, with ``--national``, the real DfT 2015 files: Cambridgeshire's casualties (police force 35) at
casualty level and at collision level, to show what casualty-level linking adds for that year.
Printed: markdown tables of precision / recall / F1 at match probability >= 0.5, the precision the
model expects there (the mean match probability of the links: no truth needed), precision / recall at
0.6, at the threshold ``rs.link(min_precision=0.95)`` chooses from the probabilities (with that threshold and
the expected recall), recall by what the
patient record holds (incident time and location, location only, time only, neither) and for car
occupants, and the severe (MAIS 3+) non-fatal collisions per financial year: thresholded links,
expected from the match probabilities, and the truth.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings

import numpy as np
import pandas as pd


def _registry(ds, generator: str, seed: int, unit: str):
    from roadsafe.linkage.second_registry import second_registry
    from roadsafe.linkage.trauma import generate_trauma

    if generator == "first":
        g = generate_trauma(ds, tempfile.mkdtemp(prefix="acc_"), seed=seed, noise=1.0, unit=unit)
        return g.read().patients, g.truth
    g = second_registry(ds, "dense" if generator == "second (dense)" else "sparse", seed=seed, unit=unit)
    return g.patients, g.truth


def _by_holding(links, patients: pd.DataFrame, truth: pd.DataFrame, unit: str) -> dict:
    keys = ["collision_index"] + (["casualty_reference"] if unit == "casualty" else [])
    t = truth.set_index("trauma_id").loc[patients["trauma_id"].astype(str)]
    true_key = list(zip(*(t[k].astype(str) for k in keys)))
    got = links.pairs.set_index("trauma_id")
    found = [tuple(got.loc[tid, k] for k in keys) if tid in got.index else None
             for tid in patients["trauma_id"].astype(str)]
    is_true = t["collision_index"].astype(str).to_numpy() != ""
    hit = np.array([f == k for f, k in zip(found, true_key)]) & is_true
    has_t = patients["incident_datetime"].notna().to_numpy()
    has_l = pd.to_numeric(patients["incident_easting"], errors="coerce").notna().to_numpy()
    car = patients["road_user"].astype(str).to_numpy() == "car_occupant"
    groups = {"time + location": has_t & has_l, "location only": ~has_t & has_l, "time only": has_t & ~has_l,
              "neither": ~has_t & ~has_l, "car occupants": car}
    return {name: (hit[m & is_true].sum() / max(1, (m & is_true).sum()), int((m & is_true).sum()))
            for name, m in groups.items()}


def _severe(ds, links, patients, truth) -> pd.DataFrame:
    import roadsafe as rs
    from roadsafe.trends.periods import period_index, period_label

    table = rs.severity_table(ds, links)
    mais = pd.to_numeric(patients.set_index("trauma_id")["mais"], errors="coerce")
    t = truth[truth["collision_index"] != ""]
    t = t[mais.loc[t["trauma_id"]].to_numpy(dtype=float, na_value=np.nan) >= 3]
    police = links.police.drop_duplicates("collision_index").set_index("collision_index")
    rows = police.loc[t["collision_index"].unique()]
    if links.unit == "casualty":  # casualties: the truth names them
        p = links.police.set_index(["collision_index", "casualty_reference"])
        rows = p.loc[list(zip(t["collision_index"], t["casualty_reference"].astype(str)))]
        rows = rows[~rows.index.duplicated()]
    rows = rows[rows["severity"].astype(str) != "fatal"]
    years = [period_label(x, "financial_year") for x in period_index(pd.to_datetime(rows["datetime"]), "financial_year")]
    table["true_severe"] = pd.Series(years).value_counts()
    return table


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--national", default="", help="directory of the DfT 2015 national files (zip)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import roadsafe as rs

    cases = [("Cambridgeshire 2012-17", rs.datasets.cambridgeshire(), "collision")]
    if a.national:
        nat = rs.read_stats19([os.path.join(a.national, f"RoadSafetyData_{t}_2015.zip")
                               for t in ("Accidents", "Vehicles", "Casualties")])
        cambs15 = nat.select(police_force="Cambridgeshire")
        cases += [("Cambridgeshire 2015 (DfT)", cambs15, "casualty"), ("Cambridgeshire 2015 (DfT)", cambs15, "collision")]
    print("| police data | unit | generator | seed | patients | with police record | precision | recall | F1 | "
          "expected precision | P / R at p >= 0.6 | P / R at min_precision 0.95 (threshold; expected R) | "
          "time+loc | loc only | time only | neither | car occupants | "
          "seconds |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    severe = []
    for name, ds, unit in cases:
        for generator in ("first", "second (dense)"):
            for seed in a.seeds:
                patients, truth = _registry(ds, generator, seed, unit)
                t0 = time.perf_counter()
                links = rs.link(ds, patients, unit=unit)
                sec = time.perf_counter() - t0
                ev = links.evaluate(truth)
                at6 = links.evaluate(truth, threshold=0.6)
                expected = links.expected_precision
                chosen = rs.link(ds, patients, unit=unit, min_precision=0.95)
                at95 = chosen.evaluate(truth)
                by = _by_holding(links, patients, truth, unit)
                cells = " | ".join(f"{r:.3f} ({n})" for r, n in by.values())
                print(f"| {name} | {unit} | {generator} | {seed} | {len(patients):,} | "
                      f"{(truth['collision_index'] != '').sum():,} | {ev.precision:.3f} | {ev.recall:.3f} | {ev.f1:.3f} | "
                      f"{expected:.3f} | {at6.precision:.3f} / {at6.recall:.3f} | "
                      f"{at95.precision:.3f} / {at95.recall:.3f} "
                      f"({chosen.threshold:.3f}; {chosen.expected_recall:.3f}) | {cells} | {sec:.2f} |")
                if unit == "collision" and seed == a.seeds[0]:
                    tab = _severe(ds, links, patients, truth)
                    severe.append((name, generator, tab))
                    cal = ev.calibration
                    print("|  | calibration | " + "; ".join(
                        f"{r.band}: {r.mean_probability:.3f} vs {r.share_true:.3f} ({r.pairs})"
                        for r in cal.itertuples() if r.pairs) + " | | | | | | | | | | | | | | | |")
    for name, generator, tab in severe:
        print(f"\nSevere (MAIS 3+) non-fatal collisions per financial year, {name}, {generator} generator:\n")
        print("| year | thresholded links | expected (95 % interval) | true |")
        print("|---|---:|---:|---:|")
        for year, r in tab.iterrows():
            print(f"| {year} | {r['severe_mais3']} | {r['severe_mais3_expected']:.1f} ({r['severe_mais3_lower']:.1f}-"
                  f"{r['severe_mais3_upper']:.1f}) | {int(r['true_severe']) if pd.notna(r['true_severe']) else 0} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
