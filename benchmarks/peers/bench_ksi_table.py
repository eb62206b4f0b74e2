"""KSI table benchmark: casualties by severity and financial year, with adjusted serious, over
generated national years. roadsafe.ksi_table against the same group-by in pandas and in DuckDB, on
the same loaded DataFrames, in one process. Results are checked equal before any time is printed.

    python benchmarks/peers/bench_ksi_table.py [--years 10] [--per-year 100000] [--repeat 3]

The work: join each casualty to its collision's date, put the date in its financial year (April to
March), count fatal, serious and slight casualties and sum the adjusted serious probabilities (a
fatal casualty counts 0, a casualty without a probability counts as recorded). roadsafe does more:
it also computes an interval for every count (Fay-Feuer, the compound-Poisson variance by collision)
and fills empty periods; the peers only count.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd


def roadsafe_table(ds) -> pd.DataFrame:
    import roadsafe as rs

    t = rs.ksi_table(ds, by="financial_year", unit="casualty", adjusted=True)
    return t[["fatal", "serious", "slight", "serious_adjusted"]]


def _adjusted(cas: pd.DataFrame) -> np.ndarray:
    sev = cas["casualty_severity"].astype(object)
    a = cas["casualty_adjusted_serious"].astype("float64").to_numpy()
    recorded = (sev == "Serious").to_numpy(dtype=float)
    a = np.where(np.isnan(a), recorded, a)
    return np.where((sev == "Fatal").to_numpy(), 0.0, a)


def pandas_table(collisions: pd.DataFrame, casualties: pd.DataFrame) -> pd.DataFrame:
    dates = collisions.set_index("collision_index")["date"]
    d = casualties["collision_index"].map(dates)
    fy = np.where(d.dt.month >= 4, d.dt.year, d.dt.year - 1)
    frame = pd.DataFrame({"fy": fy, "sev": casualties["casualty_severity"].astype(object).str.lower(),
                          "adj": _adjusted(casualties)})
    counts = pd.crosstab(frame["fy"], frame["sev"]).reindex(columns=["fatal", "serious", "slight"], fill_value=0)
    counts["serious_adjusted"] = frame.groupby("fy")["adj"].sum()
    counts.index = [f"{y}-{(y + 1) % 100:02d}" for y in counts.index]
    return counts


def duckdb_table(collisions: pd.DataFrame, casualties: pd.DataFrame) -> pd.DataFrame:
    import duckdb

    col = collisions[["collision_index", "date"]]
    cas = pd.DataFrame({"collision_index": casualties["collision_index"],
                        "sev": casualties["casualty_severity"].astype(object),
                        "adj": casualties["casualty_adjusted_serious"].astype("float64")})
    con = duckdb.connect()
    con.register("col", col)
    con.register("cas", cas)
    out = con.execute("""
        SELECT CASE WHEN month(c.date) >= 4 THEN year(c.date) ELSE year(c.date) - 1 END AS fy,
               count(*) FILTER (WHERE k.sev = 'Fatal') AS fatal,
               count(*) FILTER (WHERE k.sev = 'Serious') AS serious,
               count(*) FILTER (WHERE k.sev = 'Slight') AS slight,
               sum(CASE WHEN k.sev = 'Fatal' THEN 0.0
                        WHEN k.adj IS NULL THEN (CASE WHEN k.sev = 'Serious' THEN 1.0 ELSE 0.0 END)
                        ELSE k.adj END) AS serious_adjusted
        FROM cas k JOIN col c USING (collision_index)
        GROUP BY fy ORDER BY fy""").df()
    out.index = [f"{int(y)}-{(int(y) + 1) % 100:02d}" for y in out.pop("fy")]
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--per-year", type=int, default=100000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()

    from roadsafe.benchmark_data import best_of, generated_years

    ds = generated_years(args.years, args.per_year)
    collisions, casualties = ds.collisions, ds.casualties
    print(f"{len(collisions):,} collisions, {len(casualties):,} casualties, {args.years} years")

    t_rs, r = best_of(args.repeat, roadsafe_table, ds)
    t_pd, p_ = best_of(args.repeat, pandas_table, collisions, casualties)
    t_dd, d = best_of(args.repeat, duckdb_table, collisions, casualties)
    r = r[r[["fatal", "serious", "slight"]].sum(axis=1) > 0]
    for name, other in (("pandas", p_), ("duckdb", d)):
        other = other.loc[r.index]
        for c in ("fatal", "serious", "slight"):
            if not (other[c].to_numpy(dtype="int64") == r[c].to_numpy(dtype="int64")).all():
                raise SystemExit(f"{name} disagrees with roadsafe on {c}")
        if not np.allclose(other["serious_adjusted"].to_numpy(float), r["serious_adjusted"].to_numpy(float),
                           rtol=1e-9, atol=1e-6):
            raise SystemExit(f"{name} disagrees with roadsafe on serious_adjusted")
    print("results agree: fatal, serious, slight counts and adjusted serious sums per financial year")
    print("| contender | seconds | time vs roadsafe |")
    print("|---|---:|---:|")
    for name, t in (("roadsafe `ksi_table(unit='casualty', adjusted=True)` (with intervals)", t_rs),
                    ("pandas map + crosstab + groupby", t_pd), ("DuckDB join + group by", t_dd)):
        ratio = t / t_rs
        print(f"| {name} | {t:.2f} | {ratio:.1f}x {'slower' if ratio >= 1 else 'faster'} |"
              if name[:8] != "roadsafe" else f"| {name} | {t:.2f} | 1.0x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
