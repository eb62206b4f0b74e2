"""Start-up benchmark: `import roadsafe` and the command's help against `import pandas, pyarrow`.

Each case runs in a fresh interpreter, the cases in alternation (so a busy machine slows them alike), best of
--repeat: the wall time of the whole process and the sum of `python -X importtime`'s top-level imports.
Bytecode is cached under a temporary prefix, as an installed package has it.

    python benchmarks/peers/bench_import.py [--repeat 7]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {"import pandas, pyarrow": "import pandas, pyarrow",
         "import roadsafe": "import roadsafe",
         "roadsafe --help": "from roadsafe.cli.main import main; main(['--help'])",
         "roadsafe trends --help": "from roadsafe.cli.main import main; main(['trends', '--help'])"}
# What every interpreter imports before the command's own imports.
STARTUP = {"_frozen_importlib_external", "zipimport", "encodings", "encodings.utf_8", "_signal", "io", "site", "_io"}


def import_seconds(stderr: str) -> float:
    """The cumulative time of the top-level imports in -X importtime output, start-up excluded."""
    total = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line.split("|")
        if cumulative.strip().isdigit() and not name.startswith("  ") and name.strip() not in STARTUP:
            total += int(cumulative)
    return total / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    bindings = Path(__file__).resolve().parents[2] / "bindings"
    env = dict(os.environ, PYTHONPATH=str(bindings), PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(),
                                                                                       "roadsafe-bench-pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    wall: dict[str, list[float]] = {k: [] for k in CASES}
    imports: dict[str, list[float]] = {k: [] for k in CASES}
    for round_ in range(a.repeat + 1):  # the first round writes the bytecode cache and is not counted
        for name, code in CASES.items():
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, check=True)
            elapsed = time.perf_counter() - t0
            timed = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=env, capture_output=True,
                                   text=True, check=True)
            if round_:
                wall[name].append(elapsed)
                imports[name].append(import_seconds(timed.stderr))
    base_wall, base_imports = min(wall["import pandas, pyarrow"]), min(imports["import pandas, pyarrow"])
    print(f"best of {a.repeat}, fresh interpreters, cases in alternation")
    print(f"{'case':<24} {'wall s':>7} {'vs pandas':>10} {'importtime s':>13} {'vs pandas':>10}")
    for name in CASES:
        w, i = min(wall[name]), min(imports[name])
        print(f"{name:<24} {w:>7.3f} {w - base_wall:>+10.3f} {i:>13.3f} {i - base_imports:>+10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
