"""How datasets/gb/'s denominators and reference counts were made (run once by a maintainer).

    python datasets/gb/prepare_denominators.py UPSTREAM_GEO_GB UPSTREAM_NATIONAL

Writes population_2001_2019.csv.gz (ONS mid-year estimates by local authority), traffic_1993_2019.csv.gz (DfT
motor-vehicle traffic and road length by highway authority, with the ONS code) and ksi_2015_by_highway_authority.csv
(the real DfT 2015 collisions and casualties counted by highway authority: the reference for comparisons).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
GB = ("E", "W", "S")


def main(geo_gb: Path, national: Path) -> None:
    pop = pd.read_csv(geo_gb / "ons_mye_la_population_2001_2019_lad2020.csv")
    pop = pop[pop["area_code"].str[0].isin(GB)]
    pop = pop[["area_code", "area_name", "geography", "year", "population_all_ages"]].rename(
        columns={"area_code": "code", "area_name": "name", "population_all_ages": "population"})
    pop.to_csv(HERE / "population_2001_2019.csv.gz", index=False)

    traffic = pd.read_csv(geo_gb / "dft_local_authority_traffic_1993_2019.csv")
    ids = pd.read_csv(geo_gb / "dft_traffic_la_id_to_ons_code.csv")
    traffic = traffic.merge(ids[["local_authority_id", "local_authority_code"]], on="local_authority_id", how="left")
    missing = traffic["local_authority_code"].isna()
    if missing.any():
        raise SystemExit(f"traffic authorities without an ONS code: {sorted(set(traffic.loc[missing, 'local_authority_name']))}")
    traffic = traffic.rename(columns={"local_authority_code": "code", "local_authority_name": "name",
                                      "all_motor_vehicles": "vehicle_miles"})
    traffic = traffic[["code", "name", "year", "link_length_km", "vehicle_miles"]].sort_values(["code", "year"])
    traffic.to_csv(HERE / "traffic_1993_2019.csv.gz", index=False)

    sys.path.insert(0, str(HERE.parents[1] / "bindings"))
    import roadsafe as rs

    ds = rs.read_stats19([str(national / f"RoadSafetyData_{t}_2015.zip") for t in ("Accidents", "Casualties", "Vehicles")])
    col, cas = ds.collisions, ds.casualties
    sev = col["collision_severity"].astype(str)
    counts = pd.DataFrame({"code": col["local_authority_highway"].astype(str), "fatal": sev == "Fatal",
                           "serious": sev == "Serious", "slight": sev == "Slight"})
    out = counts.groupby("code").sum().astype(int).rename(columns=lambda c: f"{c}_collisions")
    cas_code = col["local_authority_highway"].astype(str).to_numpy()[cas["collision_row"].to_numpy()]
    csev = cas["casualty_severity"].astype(str)
    cc = pd.DataFrame({"code": cas_code, "fatal": csev == "Fatal", "serious": csev == "Serious",
                       "slight": csev == "Slight"}).groupby("code").sum().astype(int)
    out = out.join(cc.rename(columns=lambda c: f"{c}_casualties"))
    out.insert(0, "year", 2015)
    out.reset_index().to_csv(HERE / "ksi_2015_by_highway_authority.csv", index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
