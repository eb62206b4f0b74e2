"""`roadsafe link`: link police records to a trauma registry and print the model and severity table.

    roadsafe link --dataset cambridgeshire --trauma trauma.csv --injuries injuries.csv --unit collision
    roadsafe link collisions.csv casualties.csv --trauma trauma.csv --out links.csv
    roadsafe link --dataset cambridgeshire --trauma trauma.csv --min-precision 0.95   # threshold from the model
"""
from __future__ import annotations

import argparse

from .common import UsageError, add_input_arguments, load, number, write_table


def _print_severity(table) -> None:
    shown = ["fatal", "serious", "ksi", "severe_mais3", "severe_mais3_expected", "severe_mais3_lower",
             "severe_mais3_upper", "killed_plus_severe", "patients", "linked_patients", "linkage_rate",
             "not_in_police", "not_in_police_lower", "not_in_police_upper"]
    out = table[shown].copy()
    for c in ("severe_mais3_expected", "severe_mais3_lower", "severe_mais3_upper"):
        out[c] = out[c].round(1)
    out["linkage_rate"] = (100 * out["linkage_rate"]).round(1)
    out = out.rename(columns={"severe_mais3_expected": "expected", "severe_mais3_lower": "lower",
                              "severe_mais3_upper": "upper"})
    for c in ("not_in_police", "not_in_police_lower", "not_in_police_upper"):
        out[c] = out[c].round(0)
    print(out.rename(columns={"linkage_rate": "linked_%"}).to_string())


def _link(args: argparse.Namespace) -> int:
    from ..linkage.links import link, severity_table
    from ..linkage.trauma import read_trauma

    for option, value in (("--threshold", args.threshold), ("--min-precision", args.min_precision)):
        if value is not None and not (0 < value < 1):
            raise UsageError(f"{option} must lie between 0 and 1")
    ds = load(args)
    has_casualties = len(getattr(ds, "casualties", [])) > 0
    if args.unit == "casualty" and not has_casualties:
        raise UsageError("--unit casualty needs a casualty table and these police data have none: "
                         "use --unit collision")
    if args.unit == "auto":  # the finest level the data support
        args.unit = "casualty" if has_casualties else "collision"
        print(f"Linking police {args.unit} records (--unit auto: "
              f"{'the data have a casualty table' if has_casualties else 'the data have no casualty table'})")
    trauma = read_trauma(args.trauma, args.injuries)
    if not args.quiet:
        print(ds.report)
        print(trauma.report)
        print()
    links = link(ds, trauma, unit=args.unit, threshold=args.threshold, seed=args.seed,
                 min_precision=args.min_precision)
    print(links.model.summary())
    print()
    firm = int((links.pairs["band"] == "firm").sum())
    print(f"{len(links.pairs):,} of {len(links.patients):,} patients linked to a police {args.unit} "
          f"({firm:,} firm at probability >= {links.firm:g}, {len(links.pairs) - firm:,} probable at >= "
          f"{links.threshold:.4g}); {len(links.review):,} pairs in the review band {links.review_band}")
    print(f"Operating point: {links.operating_point} (from the match probabilities; they hold when the "
          "probabilities are calibrated)")
    print()
    table = severity_table(ds, links, by="financial_year")
    print(f"Severity by financial year ({args.unit} level): police KSI and MAIS 3+ (severe) linked records")
    _print_severity(table)
    print("severe_mais3 = non-fatal police records linked to a MAIS 3+ patient; killed_plus_severe = fatal + "
          "severe_mais3;\nexpected (lower, upper) = severe_mais3 expected from the match probabilities, with its 95% "
          "interval (unbiased when links are missed);\nnot_in_police = capture-recapture (Chapman) estimate of seriously injured casualties "
          "never in police data, with its 95% interval (a lower bound: see rs.severity_table)")
    if args.out:
        columns = [c for c in ("collision_index", "collision_reference", "casualty_reference", "trauma_id",
                               "match_weight", "match_probability", "band") if c in links.pairs.columns]
        write_table(args.out, links.pairs[columns], index=False)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `link` command to the `roadsafe` parser."""
    p = sub.add_parser(
        "link", help="link police records to a hospital trauma registry (MAIS 3+) and compare severities",
        description="Load police records and a trauma registry, link them (Fellegi-Sunter with EM: time, "
                    "place, age, sex and road user), print the fitted model and police vs clinical severity by "
                    "financial year, with a capture-recapture estimate of serious casualties police never saw.")
    add_input_arguments(p)
    p.add_argument("--trauma", required=True, metavar="FILE", help="the registry's patient file (CSV)")
    p.add_argument("--injuries", metavar="FILE",
                   help="the registry's injuries file (MAIS and ISS are then derived from the injuries)")
    p.add_argument("--unit", default="auto", choices=["auto", "casualty", "collision"],
                   help="link police casualties (needs a casualty table) or collisions (default auto: casualties "
                        "when the data have a casualty table, else collisions)")
    point = p.add_mutually_exclusive_group()
    point.add_argument("--threshold", type=number(float, above=0, at_most=1), metavar="P",
                       help="match probability from which a pair is a link (default 0.5)")
    point.add_argument("--min-precision", type=number(float, above=0, at_most=1), metavar="P",
                       help="instead of --threshold: link from the lowest match probability at which the links' "
                            "expected precision (their mean match probability; no truth needed) is at least P, "
                            "e.g. 0.95")
    p.add_argument("--seed", type=int, default=0, help="seed of the random pairs u is estimated from (default 0)")
    p.add_argument("--out", metavar="CSV", help="also write the links to this CSV file")
    p.set_defaults(run=_link)
