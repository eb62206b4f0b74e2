"""Area selection benchmark: one police force's collisions, vehicles and casualties out of generated
national years. ``ds.select(police_force=...)`` against what an analyst does in pandas (filter the
collisions, then the vehicles and casualties on their collision_index), on the same loaded DataFrames,
in one process. Results are checked equal before any time is printed. Then the whole job a partnership
runs: a board report for that force from the national years.

    python benchmarks/peers/bench_select.py [--years 10] [--per-year 100000] [--report-years 5]

roadsafe does more than the filter: it renumbers the vehicle and casualty joins (collision_row,
vehicle_row) so every analysis runs on the result, and records what was selected.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

FORCE = "West Yorkshire"


def pandas_select(collisions: pd.DataFrame, vehicles: pd.DataFrame, casualties: pd.DataFrame):
    col = collisions[collisions["police_force"] == FORCE]
    keys = col["collision_index"]
    return col, vehicles[vehicles["collision_index"].isin(keys)], casualties[casualties["collision_index"].isin(keys)]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--per-year", type=int, default=100000)
    p.add_argument("--report-years", type=int, default=5)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()

    import roadsafe as rs
    from roadsafe.benchmark_data import best_of

    with tempfile.TemporaryDirectory() as tmp:
        info = rs._engine.synth.write_stats19_synthetic(tmp, first_year=2014, years=args.years,
                                                        collisions_per_year=args.per_year, seed=2024)
        ds = rs.read_stats19([info["collisions"], info["vehicles"], info["casualties"]], progress=False)
        col, veh, cas = ds.collisions, ds.vehicles, ds.casualties
        print(f"{len(col):,} collisions, {len(veh):,} vehicles, {len(cas):,} casualties, {args.years} years")

        t_rs, chosen = best_of(args.repeat, lambda: ds.select(police_force=FORCE))
        t_pd, (pc, pv, pk) = best_of(args.repeat, pandas_select, col, veh, cas)
        if not (chosen.collisions["collision_index"].tolist() == pc["collision_index"].tolist()
                and len(chosen.vehicles) == len(pv) and len(chosen.casualties) == len(pk)
                and chosen.casualties["collision_index"].tolist() == pk["collision_index"].tolist()):
            raise SystemExit("pandas and roadsafe chose different records")
        print(f"results agree: {len(pc):,} collisions, {len(pv):,} vehicles, {len(pk):,} casualties of {FORCE}")
        print("| contender | seconds | time vs roadsafe |")
        print("|---|---:|---:|")
        print(f"| roadsafe `ds.select(police_force='{FORCE}')` (joins renumbered) | {t_rs:.3f} | 1.0x |")
        ratio = t_pd / t_rs
        print(f"| pandas filter + isin on collision_index | {t_pd:.3f} | {ratio:.1f}x "
              f"{'slower' if ratio >= 1 else 'faster'} |")

        # The whole job: five national years -> one force's board report (load, select, report).
        out = Path(tmp) / "report.pdf"
        files = [info["collisions"], info["vehicles"], info["casualties"]]
        start = time.perf_counter()
        national = rs.read_stats19(files, progress=False)
        last = national.select(police_force=FORCE, start=f"{2014 + args.years - args.report_years}-01-01")
        rs.board_report(last, out)
        print(f"board report for {FORCE} from the last {args.report_years} of {args.years} national years "
              f"(load, select, report): {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
