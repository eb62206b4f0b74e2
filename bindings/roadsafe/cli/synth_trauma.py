"""`roadsafe synth-trauma`: write a seeded synthetic trauma registry (with ground truth) for police records.

    roadsafe synth-trauma --dataset cambridgeshire --out synthetic_registry/
    roadsafe synth-trauma collisions.csv casualties.csv --out reg/ --seed 3 --noise 2
    roadsafe link collisions.csv casualties.csv --trauma reg/trauma.csv --injuries reg/injuries.csv
"""
from __future__ import annotations

import argparse

from .common import UsageError, add_input_arguments, load, number


def _synth_trauma(args: argparse.Namespace) -> int:
    from ..linkage.trauma import generate_trauma

    ds = load(args)
    if args.unit == "casualty" and len(getattr(ds, "casualties", [])) == 0:
        raise UsageError("--unit casualty needs a casualty table and these police data have none: "
                         "use --unit collision (or auto)")
    if not args.quiet:
        print(ds.report)
        print()
    g = generate_trauma(ds, args.out, seed=args.seed, noise=args.noise, unit=args.unit)
    c = g.counts
    print(f"Synthetic trauma registry (seed {g.seed}, noise {g.noise:g}, from police {g.unit} records): "
          f"{c['patients']:,} patients, {c['with_police_record']:,} of them with a police record, "
          f"{c['injuries']:,} injuries")
    for path in (g.patients_path, g.injuries_path, g.truth_path):
        print(f"written: {path}")
    print("truth.csv gives each patient's police record (empty for patients the police never recorded); "
          "the model is described in docs/synthetic_trauma.md")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `synth-trauma` command to the `roadsafe` parser."""
    p = sub.add_parser(
        "synth-trauma", help="write a synthetic hospital trauma registry for police records, with the true links",
        description="Load police records and write a seeded synthetic trauma registry for them (trauma.csv, "
                    "injuries.csv in the format `roadsafe link --trauma` reads) and truth.csv, the police record "
                    "each patient came from, for testing linkage. Nothing in it describes a real patient.")
    add_input_arguments(p)
    p.add_argument("--out", required=True, metavar="DIR", help="directory to write the three files into")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0); the same seed gives the same files")
    p.add_argument("--noise", type=number(float, at_least=0), default=1.0, metavar="X",
                   help="recording-error multiplier: 0 = perfect recording, 1 = realistic (default), 2 = twice as noisy")
    p.add_argument("--unit", default="auto", choices=["auto", "casualty", "collision"],
                   help="generate patients from police casualties or from collisions (default auto: casualties "
                        "when there is a casualty table)")
    p.set_defaults(run=_synth_trauma, out_is_folder=True)
