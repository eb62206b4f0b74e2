"""Ingest benchmark: STATS19 files into DataFrames, roadsafe against the strongest peers.

roadsafe.read_stats19 (labelled, validated, joined Dataset) against pandas' C and pyarrow engines, polars and
DuckDB, on the same files, in one run:

- the real DfT national files for 2015 (collisions, vehicles, casualties; unzipped from
  ``--national``, /work/shared/datasets/national by default), and
- files from roadsafe's generator (``roadsafe._engine.synth``, the DfT 2024+ layout, seeded), and
- files from a second generator written apart from it (``second_stats19_generator.py`` here: the 2021-2023 layout,
  codes drawn from the real 2015 files, 2.45 M codes not in the data guide's list over 10 years, a few malformed
  rows). Peers read it with their own options for bad lines (pandas ``on_bad_lines="skip"``, polars
  ``truncate_ragged_lines`` and ``ignore_errors``, DuckDB ``ignore_errors``); the rows the generator malformed are
  left out of every contender's summary (roadsafe rejects them; pandas' C engine and polars pad short ones), and
  roadsafe's count of flagged codes must equal what the generator planted.

Peers run twice where it matters: *raw* (the file's own codes, what `read_csv` gives with no options beyond
NULL as missing) and *labelled* (every coded field a categorical labelled from the DfT code list, -1/NULL
missing, dates parsed, text fields kept as text, columns under roadsafe's names) -- the work roadsafe does.
Each contender runs in its own child process so its peak memory (max RSS) is its own; modules are imported
before the clock starts. Results are checked to agree before any time is reported: row counts, counts by
collision severity, sums of speed limits, casualty ages and eastings (and, labelled, the Car count, distinct
casualty types, adjusted serious and the date range).

    python benchmarks/peers/bench_ingest.py [--input real generated second] [--years 10] [--per-year 100000] [--repeat 3]
    python benchmarks/peers/bench_ingest.py --quick      # 1 generated year, 2 repeats, no pandas C engine

polars infers types from its default 100 rows and is told which columns are text (schema_overrides, one of the
fixes its error suggests: the generated LSOA columns hold only -1 for thousands of rows, so a larger
infer_schema_length of 10,000 still fails); infer_schema_length=None (read everything first) costs it about 6x.
"""
from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import re
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
NATIONAL = Path("/work/shared/datasets/national")
TABLES = (("collisions", "collision"), ("vehicles", "vehicle"), ("casualties", "casualty"))


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


def field_aliases() -> dict[tuple[str, str], str]:
    """(table, normalised header) -> roadsafe's field name, from fields.csv (names of every DfT generation)."""
    out: dict[tuple[str, str], str] = {}
    with open(DATASETS / "stats19" / "fields.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for name in [row["field"], *filter(None, row["aliases"].split(";"))]:
                out[(row["table"], name)] = row["field"]
    return out


def normalised(header: str) -> str:
    """Accident_Severity, Local_Authority_(District), Vehicle_Location-Restricted_Lane -> snake case."""
    return re.sub(r"[^a-z0-9]+", "_", header.lower().lstrip("\ufeff")).strip("_")


def field_names(columns, table: str, aliases) -> dict[str, str]:
    """The file's header names -> roadsafe's field names (headers roadsafe does not know are left alone)."""
    return {c: aliases.get((table, normalised(c)), c) for c in columns}


def text_headers(path: str, table: str, aliases) -> list[str]:
    """This file's header names of text fields (codes such as LSOAs look numeric in early years)."""
    texts = {row["field"] for row in csv.DictReader(open(DATASETS / "stats19" / "fields.csv", encoding="utf-8"))
             if row["type"] in ("index", "text")}
    with open(path, encoding="utf-8-sig") as f:
        header = f.readline().strip().split(",")
    return [c for c, field in field_names(header, table, aliases).items() if field in texts]


def summarise(frames: dict) -> dict:
    """What all labelled contenders must agree on: row counts, label counts, numeric sums, date range."""
    c, v, k = (_pandas(frames[name]) for name, _ in TABLES)
    # Codes not in the guide's list: roadsafe keeps them as "code N (not in the data guide)", peers' label maps
    # make them missing. Both keep the row, so the label counts compare the guide's labels only.
    severities = set(code_labels()[("collision", "collision_severity")].values())
    casualty_types = set(code_labels()[("casualty", "casualty_type")].values())
    severity = c["collision_severity"].value_counts().sort_index()
    types = k["casualty_type"].dropna().astype(str)
    out = {
        "rows": [len(c), len(v), len(k)],
        "collision_severity": {str(a): int(b) for a, b in severity.items() if str(a) in severities},
        "casualty_type": int(types[types.isin(casualty_types)].nunique()),
        "vehicle_type_car": int((v["vehicle_type"] == "Car").sum()),
        "speed_limit_sum": int(c["speed_limit"].fillna(0).astype("int64").sum()),
        "age_of_casualty_sum": int(k["age_of_casualty"].fillna(0).astype("int64").sum()),
        "easting_sum": round(float(c["location_easting_osgr"].sum()), 1),
        "dates": [str(c["date"].min().date()), str(c["date"].max().date())],
    }
    if "casualty_adjusted_serious" in k.columns and k["casualty_adjusted_serious"].notna().any():
        out["adjusted_serious_sum"] = round(float(k["casualty_adjusted_serious"].sum()), 3)
    return out


def summarise_raw(frames: dict) -> dict:
    """What raw readers (the file's own codes) must agree on with roadsafe's labelled tables."""
    import pandas as pd

    aliases, severity_labels = field_aliases(), code_labels()[("collision", "collision_severity")]
    tables = {name: _pandas(frames[name]) for name, _ in TABLES}
    c, v, k = (tables[name].rename(columns=field_names(tables[name].columns, table, aliases)) for name, table in TABLES)

    def number(s):
        n = pd.to_numeric(s, errors="coerce")
        return n.where(n != -1)

    severity = number(c["collision_severity"]).map(severity_labels).value_counts().sort_index()
    return {"rows": [len(c), len(v), len(k)],
            "collision_severity": {str(a): int(b) for a, b in severity.items()},
            "speed_limit_sum": int(number(c["speed_limit"]).fillna(0).astype("int64").sum()),
            "age_of_casualty_sum": int(number(k["age_of_casualty"]).fillna(0).astype("int64").sum()),
            "easting_sum": round(float(number(c["location_easting_osgr"]).sum()), 1)}


def bad_line_options(files: dict, reader: str) -> dict:
    """Each peer's own option for rows with too many or too few fields, on the input that has them."""
    if not files.get("planted"):
        return {}
    return {"pandas": {"on_bad_lines": "skip"}, "polars": {"truncate_ragged_lines": True, "ignore_errors": True},
            "duckdb": {"ignore_errors": True}}[reader]


def without_malformed(frames: dict, files: dict) -> dict:
    """The tables without the rows the generator malformed (kept, padded, by some peers; rejected by roadsafe)."""
    if not files.get("planted"):
        return frames
    malformed = json.loads(Path(files["planted"]).read_text())["malformed"]
    out = dict(frames)
    for name, table in TABLES:
        df = _pandas(frames[name])
        if not malformed.get(table):
            continue
        index = "collision_index" if "collision_index" in df.columns else "accident_index"
        keys = [index, "vehicle_reference", "casualty_reference"][: {"collision": 1, "vehicle": 2, "casualty": 3}[table]]
        bad = {tuple(map(str, key)) for _, key, _ in malformed[table]}
        suspects = df.index[df[index].isin({key[0] for key in bad}).to_numpy()]
        as_text = [df.loc[suspects, k].astype("string").str.replace(r"\.0$", "", regex=True) for k in keys]
        out[name] = df.drop(index=[row for row, *key in zip(suspects, *as_text) if tuple(key) in bad])
    return out


def _pandas(df):
    """polars frames are compared through pandas (outside the clock)."""
    return df if hasattr(df, "iloc") else df.to_pandas()


def run_roadsafe(files: dict) -> dict:
    import roadsafe as rs

    ds = rs.read_stats19([files["collisions"], files["vehicles"], files["casualties"]], progress=False)
    return {"collisions": ds.collisions, "vehicles": ds.vehicles, "casualties": ds.casualties, "report": ds.report}


def _label(df, table: str, labels, cats) -> None:
    """Coded fields (under roadsafe's names) -> categoricals of the code list's labels, in place."""
    import pandas as pd

    for field in cats.get(table, []):
        if field not in df.columns:
            continue
        mapping = labels.get((table, field), {})
        codes = pd.to_numeric(df[field], errors="coerce").where(lambda s: s != -1)
        df[field] = pd.Categorical(codes.map(mapping), categories=list(dict.fromkeys(mapping.values())))


ADJUSTED = {"casualty_adjusted_severity_serious": "casualty_adjusted_serious",
            "casualty_adjusted_severity_slight": "casualty_adjusted_slight"}


def _pandas_labelled(files: dict, engine: str) -> dict:
    import pandas as pd

    labels, cats, aliases = code_labels(), categorical_fields(), field_aliases()
    frames = {}
    for name, table in TABLES:
        texts = text_headers(files[name], table, aliases)
        if engine == "c":
            df = pd.read_csv(files[name], na_values=["-1", "NULL"], low_memory=False, dtype={c: str for c in texts},
                             **bad_line_options(files, "pandas"))
        else:  # pandas 3.1's pyarrow engine with a dtype= for some columns fails casting others: text afterwards
            df = pd.read_csv(files[name], engine=engine, na_values=["-1", "NULL"], **bad_line_options(files, "pandas"))
            for c in texts:
                if df[c].dtype != "str":
                    df[c] = df[c].astype("str")
        df = df.rename(columns=field_names(df.columns, table, aliases)).rename(columns=ADJUSTED)
        _label(df, table, labels, cats)
        if "date" in df.columns:
            df["date"] = pd.to_datetime(df["date"], format="%d/%m/%Y")
        frames[name] = df
    return frames


def run_pandas(files: dict) -> dict:
    return _pandas_labelled(files, "c")


def run_pandas_pyarrow(files: dict) -> dict:
    return _pandas_labelled(files, "pyarrow")


def run_pandas_pyarrow_raw(files: dict) -> dict:
    import pandas as pd

    return {name: pd.read_csv(files[name], engine="pyarrow", na_values=["NULL", ""], keep_default_na=False,
                              **bad_line_options(files, "pandas"))
            for name, _ in TABLES}


def run_polars_raw(files: dict) -> dict:
    import polars as pl

    # Text columns named, as polars' error suggests: generated LSOA columns hold only -1 for thousands of rows.
    aliases = field_aliases()
    return {name: pl.read_csv(files[name], null_values=["NULL"],
                              schema_overrides={c: pl.String for c in text_headers(files[name], table, aliases)},
                              **bad_line_options(files, "polars"))
            for name, table in TABLES}


def run_polars(files: dict) -> dict:
    """polars with the same labels: Enum columns (polars' categorical of fixed labels), dates parsed."""
    import polars as pl

    labels, cats, aliases = code_labels(), categorical_fields(), field_aliases()
    frames = {}
    for name, table in TABLES:
        df = pl.read_csv(files[name], null_values=["-1", "NULL"],
                         schema_overrides={c: pl.String for c in text_headers(files[name], table, aliases)},
                         **bad_line_options(files, "polars"))
        df = df.rename(field_names(df.columns, table, aliases))
        df = df.rename({k: v for k, v in ADJUSTED.items() if k in df.columns})
        labelled = []
        for field in cats.get(table, []):
            if field in df.columns:
                mapping = labels.get((table, field), {})
                enum = pl.Enum(list(dict.fromkeys(mapping.values())))
                labelled.append(pl.col(field).cast(pl.Int64, strict=False)
                                .replace_strict(mapping, default=None, return_dtype=pl.String).cast(enum))
        if "date" in df.columns:
            labelled.append(pl.col("date").str.to_date("%d/%m/%Y"))
        frames[name] = df.with_columns(labelled)
    return frames


def run_duckdb(files: dict) -> dict:
    import duckdb

    labels, cats, aliases = code_labels(), categorical_fields(), field_aliases()
    con = duckdb.connect()
    frames = {}
    for name, table in TABLES:
        rel = con.read_csv(files[name], na_values=["-1", "NULL", ""], date_format="%d/%m/%Y",
                           dtype={c: "VARCHAR" for c in text_headers(files[name], table, aliases)},
                           **bad_line_options(files, "duckdb"))
        df = rel.df()
        df = df.rename(columns=field_names(df.columns, table, aliases)).rename(columns=ADJUSTED)
        _label(df, table, labels, cats)
        frames[name] = df
    return frames


# name -> (function, labelled?, threads it parses with: None = all cores)
CONTENDERS = {"roadsafe": (run_roadsafe, True, None),
              "pandas C + labels": (run_pandas, True, 1),
              "pandas pyarrow raw": (run_pandas_pyarrow_raw, False, None),
              "pandas pyarrow + labels": (run_pandas_pyarrow, True, None),
              "polars raw": (run_polars_raw, False, None),
              "polars + labels": (run_polars, True, None),
              "duckdb + labels": (run_duckdb, True, None)}


# Imported before the clock starts: the benchmark times reading, not interpreter start-up.
IMPORTS = {"roadsafe": ["pandas", "pyarrow", "roadsafe"], "pandas C + labels": ["pandas"],
           "pandas pyarrow raw": ["pandas", "pyarrow"], "pandas pyarrow + labels": ["pandas", "pyarrow"],
           "polars raw": ["polars"], "polars + labels": ["polars"], "duckdb + labels": ["pandas", "duckdb"]}


def _child(name: str, files: dict, queue) -> None:
    import importlib

    for module in IMPORTS[name]:
        importlib.import_module(module)
    t0 = time.perf_counter()
    run, labelled, _ = CONTENDERS[name]
    frames = run(files)
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the read's own, not the checks' below
    kept = without_malformed(frames, files)
    summary = summarise(kept) if labelled else summarise_raw(kept)
    if "report" in frames:  # roadsafe: what it reported, for the second generator's planted problems
        problems = frames["report"].summary()
        summary["not_in_guide"] = int(problems[problems["reason"].str.startswith("code is not in the data guide")]["count"].sum())
        summary["rejected"] = frames["report"].rows_rejected
    queue.put({"name": name, "seconds": elapsed, "summary": summary, "peak_rss_mb": peak_mb})


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

    folder = directory / f"synthetic-{years}x{per_year}-seed{seed}"  # one per size: the file names do not say it
    marker = folder / "files.json"
    if marker.exists():
        return json.loads(marker.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    info = _engine.synth.write_stats19_synthetic(str(folder), first_year=2014, years=years,
                                                collisions_per_year=per_year, seed=seed)
    files = {"collisions": info["collisions"], "vehicles": info["vehicles"], "casualties": info["casualties"]}
    marker.write_text(json.dumps(files))
    return files


def generate_second(directory: Path, years: int, per_year: int, seed: int) -> dict:
    """Files from the second, separately written generator (2021-2023 layout), made once per size and seed."""
    from second_stats19_generator import generate as generate_files

    folder = directory / f"second-{years}x{per_year}-seed{seed}"
    marker = folder / "files.json"
    if marker.exists():
        return json.loads(marker.read_text())
    files, _ = generate_files(folder, first_year=2014, years=years, collisions_per_year=per_year, seed=seed)
    files["planted"] = str(folder / "planted.json")
    marker.write_text(json.dumps(files))
    return files


def national_2015(directory: Path, national: Path) -> dict:
    """The real DfT 2015 files, unzipped once (polars and pyarrow read plain CSV only)."""
    files = {}
    for name, stem in (("collisions", "Accidents"), ("vehicles", "Vehicles"), ("casualties", "Casualties")):
        target = directory / f"{stem}_2015.csv"
        if not target.exists():
            with zipfile.ZipFile(national / f"RoadSafetyData_{stem}_2015.zip") as z:
                z.extract(f"{stem}_2015.csv", directory)
        files[name] = str(target)
    return files


def agrees(reference: dict, summary: dict) -> bool:
    """Equal on every figure both contenders give (raw readers give no labels or dates)."""
    return all(summary[key] == reference[key] for key in summary if key in reference)


def compare(title: str, files: dict, contenders: list[str], repeat: int) -> dict:
    size_mb = sum(os.path.getsize(files[name]) for name, _ in TABLES) / 1e6
    cores = os.cpu_count() or 1
    print(f"\n== {title}: {size_mb:.0f} MB in 3 files; {cores} cores; best of {repeat}")
    results = {}
    for name in contenders:
        runs = [measure(name, files) for _ in range(repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
        results[name] = best
    reference = results["roadsafe"]["summary"]
    if files.get("planted"):
        planted = json.loads(Path(files["planted"]).read_text())
        malformed = sum(len(rows) for rows in planted["malformed"].values())
        if (reference["not_in_guide"], reference["rejected"]) != (planted["flagged_total"], malformed):
            raise SystemExit(f"roadsafe reported {reference['not_in_guide']:,} codes not in the guide and rejected "
                             f"{reference['rejected']} rows; the generator planted {planted['flagged_total']:,} and "
                             f"{malformed} malformed rows")
        print(f"roadsafe reported every planted problem: {reference['not_in_guide']:,} codes not in the guide's list, "
              f"{reference['rejected']} malformed rows rejected")
    for name, r in results.items():
        if not agrees(reference, r["summary"]):
            raise SystemExit(f"RESULTS DIFFER: {name}\n  roadsafe: {reference}\n  {name}: {r['summary']}")
    print(f"results agree: {reference['rows'][0]:,} collisions, {reference['rows'][1]:,} vehicles, "
          f"{reference['rows'][2]:,} casualties; severity {reference['collision_severity']}")
    print(f"{'contender':<24} {'seconds':>8} {'MB/s':>7} {'MB/s/core':>10} {'of 1 GB/s/core':>15} {'peak MB':>8} "
          f"{'vs roadsafe':>12}")
    for name, r in results.items():
        mbs = size_mb / r["seconds"]
        per_core = mbs / (CONTENDERS[name][2] or cores)
        ratio = r["seconds"] / results["roadsafe"]["seconds"]
        print(f"{name:<24} {r['seconds']:>8.3f} {mbs:>7.0f} {per_core:>10.0f} {per_core / 1000:>14.0%} "
              f"{r['peak_rss_mb']:>8.0f} {ratio:>11.2f}x")
    return {"size_mb": size_mb, "cores": cores, "results": results}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", nargs="+", choices=["real", "generated", "second"], default=["real", "generated", "second"])
    ap.add_argument("--national", type=Path, default=NATIONAL, help="the folder of the DfT 2015 zip files")
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--per-year", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--quick", action="store_true", help="1 generated year, 2 repeats, no pandas C engine")
    ap.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "roadsafe-bench"))
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    if args.quick:
        args.years, args.repeat = 1, 2
    contenders = [c for c in CONTENDERS if not (args.quick and c == "pandas C + labels")]
    directory = Path(args.data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    if "real" in args.input:
        out["real"] = compare("real DfT national files, 2015", national_2015(directory, args.national), contenders,
                              max(args.repeat, 5))
    if "generated" in args.input:
        files = generate(directory, args.years, args.per_year, args.seed)
        out["generated"] = compare(f"roadsafe's generator, {args.years} years x {args.per_year:,} collisions, "
                                   f"seed {args.seed}", files, contenders, args.repeat)
    if "second" in args.input:
        files = generate_second(directory, args.years, args.per_year, args.seed)
        out["second"] = compare(f"the second generator, {args.years} years x {args.per_year:,} collisions, "
                                f"seed {args.seed}", files, contenders, args.repeat)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
