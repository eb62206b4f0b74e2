"""Ingest benchmark: 10 generated national years into labelled DataFrames.

roadsafe.read_stats19 against pandas.read_csv + label mapping and DuckDB's read_csv (+ labels),
on the same files, in one run. Each contender runs in its own child process so its peak memory
(max RSS) is its own. Results are checked to agree before any time is reported.

    python benchmarks/peers/bench_ingest.py [--years 10] [--per-year 100000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

DATASETS = Path(__file__).resolve().parents[2] / "datasets"


def code_labels() -> dict[tuple[str, str], dict[int, str]]:
    """(table, field) -> code -> label, from the shipped DfT code list (-1 is missing, not a code)."""
    labels: dict[tuple[str, str], dict[int, str]] = {}
    with open(DATASETS / "stats19" / "dft_code_list_2024.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            try:
                code = int(row["code/format"])
            except ValueError:
                continue
            if code != -1:
                labels.setdefault((row["table"] or "collision", row["field name"]), {})[code] = row["label"].strip()
    return labels


def categorical_fields() -> dict[str, list[str]]:
    """table -> the fields roadsafe labels (type category in fields.csv)."""
    out: dict[str, list[str]] = {}
    with open(DATASETS / "stats19" / "fields.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["type"] == "category":
                out.setdefault(row["table"], []).append(row["field"])
    return out


def text_fields() -> dict[str, list[str]]:
    """table -> the header names of text fields (codes such as LSOAs look numeric in early years)."""
    out: dict[str, list[str]] = {}
    with open(DATASETS / "stats19" / "fields.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["type"] in ("index", "text"):
                name = FILE_NAMES.get(row["field"], row["field"])
                if name:
                    out.setdefault(row["table"], []).append(name)
    return out


# Header spellings in the 2024 files that differ from roadsafe's names for the same field.
FILE_NAMES = {"did_police_officer_attend_scene_of_collision": "did_police_officer_attend_scene_of_accident",
              "lsoa_of_collision_location": "lsoa_of_accident_location",
              "collision_reference": "collision_ref_no",
              "enhanced_collision_severity": "enhanced_severity_collision",
              "junction_detail_historic": None, "carriageway_hazards_historic": None}


def text_columns(path: str, table: str, texts: dict[str, list[str]]) -> list[str]:
    """The text fields present in this file's header."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    return [c for c in texts.get(table, []) if c in header]


def summarise(frames: dict) -> dict:
    """What all contenders must agree on: row counts, label counts, numeric sums, date range."""
    c, v, k = frames["collisions"], frames["vehicles"], frames["casualties"]
    return {
        "rows": [len(c), len(v), len(k)],
        "collision_severity": {str(a): int(b) for a, b in c["collision_severity"].value_counts().sort_index().items()},
        "casualty_type": int(k["casualty_type"].nunique()),
        "vehicle_type_car": int((v["vehicle_type"] == "Car").sum()),
        "speed_limit_sum": int(c["speed_limit"].fillna(0).astype("int64").sum()),
        "age_of_casualty_sum": int(k["age_of_casualty"].fillna(0).astype("int64").sum()),
        "easting_sum": round(float(c["location_easting_osgr"].sum()), 1),
        "adjusted_serious_sum": round(float(k["casualty_adjusted_serious"].sum()), 3),
        "dates": [str(c["date"].min().date()), str(c["date"].max().date())],
    }


def run_roadsafe(files: dict) -> dict:
    import roadsafe as rs

    ds = rs.read_stats19([files["collisions"], files["vehicles"], files["casualties"]], progress=False)
    return {"collisions": ds.collisions, "vehicles": ds.vehicles, "casualties": ds.casualties}


def _label(df, table: str, labels, cats) -> None:
    import pandas as pd

    for field in cats.get(table, []):
        col = FILE_NAMES.get(field, field)
        if col is None or col not in df.columns:
            continue
        mapping = labels.get((table, field), {})
        codes = pd.to_numeric(df[col], errors="coerce").where(lambda s: s != -1)
        df[col] = pd.Categorical(codes.map(mapping), categories=list(dict.fromkeys(mapping.values())))
        if col != field:
            df.rename(columns={col: field}, inplace=True)


def run_pandas(files: dict) -> dict:
    import pandas as pd

    labels, cats, texts = code_labels(), categorical_fields(), text_fields()
    frames = {}
    for name, table in (("collisions", "collision"), ("vehicles", "vehicle"), ("casualties", "casualty")):
        df = pd.read_csv(files[name], na_values=["-1", "NULL"], low_memory=False,
                         dtype={c: str for c in text_columns(files[name], table, texts)})
        _label(df, table, labels, cats)
        if "date" in df.columns:
            df["date"] = pd.to_datetime(df["date"], format="%d/%m/%Y")
        df = df.rename(columns={"casualty_adjusted_severity_serious": "casualty_adjusted_serious",
                                "casualty_adjusted_severity_slight": "casualty_adjusted_slight"})
        frames[name] = df
    return frames


def run_duckdb(files: dict) -> dict:
    import duckdb

    labels, cats, texts = code_labels(), categorical_fields(), text_fields()
    con = duckdb.connect()
    frames = {}
    for name, table in (("collisions", "collision"), ("vehicles", "vehicle"), ("casualties", "casualty")):
        rel = con.read_csv(files[name], na_values=["-1", "NULL", ""], date_format="%d/%m/%Y",
                           dtype={c: "VARCHAR" for c in text_columns(files[name], table, texts)})
        df = rel.df()
        _label(df, table, labels, cats)
        df = df.rename(columns={"casualty_adjusted_severity_serious": "casualty_adjusted_serious",
                                "casualty_adjusted_severity_slight": "casualty_adjusted_slight"})
        frames[name] = df
    return frames


CONTENDERS = {"roadsafe": run_roadsafe, "pandas": run_pandas, "duckdb": run_duckdb}


# Imported before the clock starts: the benchmark times reading, not interpreter start-up.
IMPORTS = {"roadsafe": ["pandas", "pyarrow", "roadsafe"], "pandas": ["pandas"], "duckdb": ["pandas", "duckdb"]}


def _child(name: str, files: dict, queue) -> None:
    import importlib

    for module in IMPORTS[name]:
        importlib.import_module(module)
    t0 = time.perf_counter()
    frames = CONTENDERS[name](files)
    elapsed = time.perf_counter() - t0
    queue.put({"name": name, "seconds": elapsed, "summary": summarise(frames),
               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def measure(name: str, files: dict) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    p = ctx.Process(target=_child, args=(name, files, queue))
    p.start()
    while True:
        try:
            result = queue.get(timeout=5)
            break
        except Exception:
            if not p.is_alive():
                raise RuntimeError(f"{name} failed (exit code {p.exitcode}); see its traceback above") from None
    p.join()
    return result


def generate(directory: Path, years: int, per_year: int, seed: int) -> dict:
    from roadsafe import _engine

    marker = directory / f"synthetic-{years}x{per_year}-seed{seed}.json"
    if marker.exists():
        return json.loads(marker.read_text())
    info = _engine.synth.write_stats19_synthetic(str(directory), first_year=2014, years=years,
                                                collisions_per_year=per_year, seed=seed)
    files = {"collisions": info["collisions"], "vehicles": info["vehicles"], "casualties": info["casualties"]}
    marker.write_text(json.dumps(files))
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--per-year", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "roadsafe-bench"))
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    directory = Path(args.data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    files = generate(directory, args.years, args.per_year, args.seed)
    size_mb = sum(os.path.getsize(f) for f in files.values()) / 1e6
    cores = os.cpu_count() or 1
    print(f"input: {size_mb:.0f} MB in 3 files ({args.years} years x {args.per_year:,} collisions); {cores} cores")

    results = {}
    for name in CONTENDERS:
        runs = [measure(name, files) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
        results[name] = best
    reference = results["roadsafe"]["summary"]
    for name, r in results.items():
        if r["summary"] != reference:
            print(f"RESULTS DIFFER: {name}\n  roadsafe: {reference}\n  {name}: {r['summary']}")
            return 1
    print(f"results agree: {reference['rows'][0]:,} collisions, {reference['rows'][1]:,} vehicles, "
          f"{reference['rows'][2]:,} casualties")
    threads = {"roadsafe": cores, "pandas": 1, "duckdb": cores}
    print(f"{'contender':<10} {'seconds':>8} {'MB/s':>7} {'MB/s/core':>10} {'peak MB':>8} {'vs roadsafe':>12}")
    for name, r in results.items():
        mbs = size_mb / r["seconds"]
        ratio = r["seconds"] / results["roadsafe"]["seconds"]
        print(f"{name:<10} {r['seconds']:>8.2f} {mbs:>7.0f} {mbs / threads[name]:>10.0f} {r['peak_rss_mb']:>8.0f} "
              f"{ratio:>11.1f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"size_mb": size_mb, "cores": cores, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
