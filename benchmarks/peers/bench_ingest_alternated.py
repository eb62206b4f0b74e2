"""The ingest benchmark's readers timed alternately, each run in a fresh process: wall and CPU seconds.

On a machine other work shares, a contender timed in a block of its own runs meets a different load from the next;
taking turns (roadsafe, pandas-pyarrow raw, polars raw, roadsafe, ...) gives each the same spread of loads. Beside the
wall time each run reports its CPU time (all its threads): the work done, which shared cores disturb much less.
``--before`` adds roadsafe from another build's ``bindings`` folder (e.g. the main branch's), to time a change.

    python benchmarks/peers/bench_ingest_alternated.py --input real --repeat 7 [--before /path/to/other/bindings]
    python benchmarks/peers/bench_ingest_alternated.py --input generated --years 1
    python benchmarks/peers/bench_ingest_alternated.py --input second --years 10 --repeat 3

Contenders, files and the agreement check are bench_ingest.py's (run it for the full table and the check).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BINDINGS = HERE.parents[1] / "bindings"

# One run: bench_ingest's reader for `name`, modules imported before the clock, as its own children do.
CHILD = r"""
import importlib, json, sys, time
sys.path.insert(0, sys.argv[3])
import bench_ingest as b
name, files = sys.argv[1], json.loads(sys.argv[2])
for module in b.IMPORTS[name]:
    importlib.import_module(module)
t0, c0 = time.perf_counter(), time.process_time()
b.CONTENDERS[name][0](files)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
"""


def run_once(name: str, files: dict, bindings: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(bindings))
    out = subprocess.run([sys.executable, "-c", CHILD, name, json.dumps(files), str(HERE)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", choices=["real", "generated", "second"], default="real")
    ap.add_argument("--years", type=int, default=1, help="generated years (of --per-year collisions)")
    ap.add_argument("--per-year", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--before", type=Path, help="another build's bindings folder, timed as 'roadsafe before'")
    ap.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "roadsafe-bench"))
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    import bench_ingest as b

    directory = Path(args.data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    if args.input == "real":
        files = b.national_2015(directory, b.NATIONAL)
    else:
        make = b.generate if args.input == "generated" else b.generate_second
        files = make(directory, args.years, args.per_year, args.seed)
    runs = [("roadsafe", BINDINGS, "roadsafe"), ("pandas pyarrow raw", BINDINGS, "pandas pyarrow raw"),
            ("polars raw", BINDINGS, "polars raw")]
    if args.before:
        runs.insert(0, ("roadsafe before", args.before, "roadsafe"))
    best = {label: {"wall": float("inf"), "cpu": float("inf")} for label, _, _ in runs}
    loads = []
    for _ in range(args.repeat):
        for label, bindings, name in runs:
            result = run_once(name, files, bindings)
            for key in ("wall", "cpu"):
                best[label][key] = min(best[label][key], result[key])
        loads.append(os.getloadavg()[0])
    size_mb = sum(os.path.getsize(files[name]) for name, _ in b.TABLES) / 1e6
    print(f"{args.input}: {size_mb:.0f} MB, best of {args.repeat} taking turns, 1-minute load average "
          f"{min(loads):.1f}-{max(loads):.1f}")
    print(f"{'contender':<20} {'wall s':>7} {'vs roadsafe':>11} {'CPU s':>7} {'vs roadsafe':>11} {'MB per CPU-s':>12}")
    ref = best["roadsafe"]
    for label, r in best.items():
        print(f"{label:<20} {r['wall']:>7.3f} {r['wall'] / ref['wall']:>10.2f}x {r['cpu']:>7.3f} "
              f"{r['cpu'] / ref['cpu']:>10.2f}x {size_mb / r['cpu']:>12.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
