"""What millions of report entries cost a load: the same generated files, clean and with codes the data guide
does not list, read by roadsafe.read_stats19 in turn.

The flagged copy replaces, in every row, the values of a few coded fields (by default one of the vehicle file and
one of the casualty file; ``--plant`` chooses) by a code of the same width that the DfT data guide does not list,
so the files keep their size and every such value is one "code is not in the data guide's list" entry. Each load
runs in a fresh child process (imports before the clock starts); the cases alternate, best of ``--repeat``, in
wall-clock time and in CPU time (all threads: steadier than wall time on a shared machine). The flagged load must
report exactly the values planted before a time is shown. Beside the load: the first ``ds.report.entries`` (the
entries DataFrame) and ``str(ds.report)`` (the printed report and its summary).

    python benchmarks/peers/bench_report_entries.py [--years 10] [--per-year 100000] [--repeat 3]
    python benchmarks/peers/bench_report_entries.py --plant vehicles:sex_of_driver vehicles:vehicle_left_hand_drive \
        casualties:casualty_class casualties:sex_of_casualty       # two fields a file: 1.5 entries a row
    python benchmarks/peers/bench_report_entries.py --compare /path/to/other/bindings   # e.g. main's build too

``--compare`` times another roadsafe package (a folder holding ``roadsafe/`` with its compiled module) on the
same files, alternating with this one.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
BINDINGS = HERE.parents[2] / "bindings"
CODE_LIST = HERE.parents[2] / "datasets" / "stats19" / "dft_code_list_2024.csv"
# file:field, coded fields the generator fills in every row (with listed codes).
DEFAULT_PLANT = ["vehicles:sex_of_driver", "casualties:casualty_class"]
TABLE_OF = {"collisions": "collision", "vehicles": "vehicle", "casualties": "casualty"}


def guide_codes() -> dict[tuple[str, str], set[int]]:
    """(table, field) -> the codes the data guide lists."""
    codes: dict[tuple[str, str], set[int]] = {}
    with open(CODE_LIST, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            try:
                codes.setdefault((row["table"] or "collision", row["field name"]), set()).add(int(row["code/format"]))
            except ValueError:
                continue
    return codes


def unlisted_code(listed: set[int], width: int) -> str:
    """The smallest non-negative code of ``width`` digits the guide does not list."""
    for c in range(0 if width == 1 else 10 ** (width - 1), 10 ** width):
        if c not in listed:
            return str(c)
    raise ValueError(f"every {width}-digit code is listed")


def plant_unlisted_codes(source: Path, target: Path, table: str, fields: list[str]) -> int:
    """Copies ``source`` to ``target`` with every listed code of ``fields`` replaced by an unlisted one of the
    same width (missing values, -1, left alone). Returns how many values were replaced."""
    listed = guide_codes()
    planted = 0
    with open(source, encoding="utf-8", newline="") as src, open(target, "w", encoding="utf-8", newline="") as out:
        header = src.readline()
        out.write(header)
        names = header.rstrip("\r\n").split(",")
        columns = [(names.index(f), listed[(table, f)]) for f in fields]
        for line in src:
            values = line.rstrip("\n").split(",")
            for i, codes in columns:
                v = values[i]
                if v.isdigit() and int(v) in codes:
                    values[i] = unlisted_code(codes, len(v))
                    planted += 1
            out.write(",".join(values) + "\n")
    return planted


def prepare(directory: Path, years: int, per_year: int, seed: int, plant: list[str]) -> tuple[dict, dict, int]:
    """Clean generated files and their flagged copy (cached in ``directory``), and the values planted."""
    sys.path.insert(0, str(BINDINGS))
    from roadsafe import _engine

    directory.mkdir(parents=True, exist_ok=True)
    clean_dir, flagged_dir = directory / "clean", directory / "flagged"
    stamp = directory / "planted.json"
    key = {"years": years, "per_year": per_year, "seed": seed, "plant": sorted(plant)}
    fields: dict[str, list[str]] = {}
    for item in plant:
        name, field = item.split(":")
        fields.setdefault(name, []).append(field)
    saved = json.loads(stamp.read_text()) if stamp.exists() else None
    if saved and saved["key"] == key:
        return saved["clean"], saved["flagged"], saved["planted"]
    if saved and {k: v for k, v in saved["key"].items() if k != "plant"} == {k: v for k, v in key.items() if k != "plant"}:
        clean = saved["clean"]  # the same generated files: only the planted fields differ
    else:
        info = _engine.synth.write_stats19_synthetic(str(clean_dir), first_year=2014, years=years,
                                                     collisions_per_year=per_year, seed=seed)
        clean = {name: str(info[name]) for name in TABLE_OF}
    flagged_dir.mkdir(exist_ok=True)
    flagged, planted = {}, 0
    for name, path in clean.items():
        flagged[name] = str(flagged_dir / Path(path).name)
        if name in fields:
            planted += plant_unlisted_codes(Path(path), Path(flagged[name]), TABLE_OF[name], fields[name])
        else:
            Path(flagged[name]).write_bytes(Path(path).read_bytes())
    for name in clean:
        assert os.path.getsize(clean[name]) == os.path.getsize(flagged[name]), name
    stamp.write_text(json.dumps({"key": key, "clean": clean, "flagged": flagged, "planted": planted}))
    return clean, flagged, planted


def child(files: dict) -> dict:
    """One load in this process: seconds to read, to build the entries DataFrame, to print the report."""
    import roadsafe as rs

    paths = [files[name] for name in TABLE_OF]
    start, cpu = time.perf_counter(), time.process_time()
    ds = rs.read_stats19(paths, progress=False)
    load, load_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    entries = ds.report.entries
    frame = time.perf_counter() - start
    start = time.perf_counter()
    text = str(ds.report)
    printed = time.perf_counter() - start
    return {"load": load, "load_cpu": load_cpu, "entries_frame": frame, "printed_report": printed, "entries": len(entries),
            "rows": len(ds.collisions) + len(ds.vehicles) + len(ds.casualties), "report_lines": text.count("\n") + 1,
            "timings": dict(ds._engine.timings)}


def run_child(package: Path, files: dict) -> dict:
    env = dict(os.environ, PYTHONPATH=str(package))
    out = subprocess.run([sys.executable, str(HERE), "--child", json.dumps(files)], env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--per-year", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--plant", nargs="+", default=DEFAULT_PLANT, metavar="FILE:FIELD",
                    help="the coded fields given unlisted codes (files: vehicles, casualties, collisions)")
    ap.add_argument("--compare", type=Path, action="append", default=[],
                    help="another roadsafe package folder to time on the same files (repeatable)")
    ap.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "roadsafe-bench-report")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0

    clean, flagged, planted = prepare(args.data_dir, args.years, args.per_year, args.seed, args.plant)
    mb = sum(os.path.getsize(p) for p in clean.values()) / 1e6
    print(f"{args.years} generated years, {mb:,.0f} MB; {planted:,} values planted in the flagged copy "
          f"({', '.join(args.plant)}); load average {os.getloadavg()[0]:.2f}")
    packages = {"this build": BINDINGS, **{str(p): p for p in args.compare}}
    best: dict = {(p, case): None for p in packages for case in ("clean", "flagged")}
    for _ in range(args.repeat):
        for name, package in packages.items():
            for case, files in (("clean", clean), ("flagged", flagged)):
                r = run_child(package, files)
                expected = planted if case == "flagged" else 0
                if r["entries"] != expected:
                    raise SystemExit(f"{name}, {case}: {r['entries']:,} entries, expected {expected:,}")
                b = best[(name, case)]  # the fastest load, with its stage timings; the least CPU apart
                if b is None:
                    best[(name, case)] = r
                else:
                    cpu = min(b["load_cpu"], r["load_cpu"])
                    best[(name, case)] = {**(r if r["load"] < b["load"] else b), "load_cpu": cpu}
    print("\n| roadsafe | clean load s | flagged load s | flagged / clean | CPU s clean | CPU s flagged | CPU flagged / clean "
          "| entries DataFrame s | printed report s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    results = {}
    for name in packages:
        c, f = best[(name, "clean")], best[(name, "flagged")]
        results[name] = {"clean": c, "flagged": f, "ratio": f["load"] / c["load"],
                         "cpu_ratio": f["load_cpu"] / c["load_cpu"]}
        print(f"| {name} | {c['load']:.2f} | {f['load']:.2f} | {f['load'] / c['load']:.2f}x | {c['load_cpu']:.2f} | "
              f"{f['load_cpu']:.2f} | {f['load_cpu'] / c['load_cpu']:.2f}x | {f['entries_frame']:.2f} | "
              f"{f['printed_report']:.2f} |")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"mb": mb, "planted": planted, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
