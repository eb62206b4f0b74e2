"""`roadsafe evaluate`: did the schemes work? Before/after by Empirical Bayes, with a table and a one-page PDF.

    roadsafe evaluate --dataset cambridgeshire --schemes schemes.gpkg --before-years 2 --after-years 2 \
        --out schemes.csv --pdf schemes.pdf
"""
from __future__ import annotations

import argparse

from .common import NON_NEGATIVE_COUNT, POSITIVE, UsageError, add_input_arguments, load_and_report, steps

NAME = "evaluate"

_DESCRIPTION = """\
Evaluate road safety schemes (cameras, junction changes, speed limits) by their collisions before and after,
with Hauer's Empirical Bayes method so that regression to the mean (sites picked for high counts fall back
without treatment) is not credited to the scheme. The naive and comparison-group estimates are printed beside it.

Schemes: a file GDAL reads (GeoPackage, shapefile, GeoJSON, ...) of points, lines or polygons with a start date
of works (column start, start_date or works_start; YYYY-MM-DD), optionally its end (end, end_date, works_end or
end_of_works) and a name. Collisions within --radius metres count. The before and after periods must be covered
whole by the data.

Predictions come from a negative binomial model fitted on the area's road network (cells of each road class,
junction or not, with a term per year for the trend): the shipped roads in Cambridgeshire, or --roads elsewhere;
or from --reference, a file of similar untreated sites.

Example:
  roadsafe evaluate --dataset cambridgeshire --schemes schemes.gpkg --before-years 2 --after-years 2 \\
      --out schemes.csv --pdf schemes.pdf
"""


def _evaluate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..io.output_files import written_whole
    from ..maps.scheme_report import scheme_report
    from ..schemes.evaluation import evaluate_schemes

    if args.out and not args.out.lower().endswith(".csv"):
        raise UsageError("--out must end in .csv")
    if args.pdf and not args.pdf.lower().endswith(".pdf"):
        raise UsageError("--pdf must end in .pdf")
    for what, path in (("schemes", args.schemes), ("reference sites", args.reference), ("roads", args.roads)):
        if path and not Path(path).exists():
            raise FileNotFoundError(f"{what} file not found: {path}")
    ds = load_and_report(args)
    with steps(3, not args.quiet, "evaluating") as advance:
        advance("counting and fitting")
        ev = evaluate_schemes(ds, args.schemes, before_years=args.before_years, after_years=args.after_years,
                              radius=args.radius, severity=args.severity, reference=args.reference,
                              exclude_months=args.exclude_months, roads=args.roads, seed=args.seed)
        if args.pdf:
            advance("writing the report")
            scheme_report(ev, args.pdf, title=args.title)
    print(ev)
    print()
    print(ev.methods[["observed_before", "observed_after", "expected_after", "percent_change", "percent_lower",
                      "percent_upper"]].round(1).to_string())
    print()
    columns = ["observed_before", "observed_after", "expected_after", "percent_change", "rose"]
    print(ev.schemes[columns].round(1).to_string(max_rows=40))
    if args.out:
        with written_whole(args.out) as tmp:
            ev.schemes.to_csv(tmp)
        print(f"written: {args.out}")
    if args.pdf:
        print(f"written: {args.pdf}")
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `roadsafe evaluate` to the command's subparsers."""
    p = sub.add_parser(NAME, help="did the schemes work? before/after by Empirical Bayes (table and one-page PDF)",
                       description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_arguments(p)
    p.add_argument("--schemes", required=True, metavar="FILE", help="the schemes: points, lines or polygons with dates")
    p.add_argument("--before-years", dest="before_years", type=POSITIVE, default=3, metavar="Y",
                   help="years before the works (default 3)")
    p.add_argument("--after-years", dest="after_years", type=POSITIVE, default=3, metavar="Y",
                   help="years after the works (default 3)")
    p.add_argument("--exclude-months", dest="exclude_months", type=NON_NEGATIVE_COUNT, default=0, metavar="M",
                   help="months just before the works left out of the before period: the site-selection period "
                        "(the four-period method; default 0)")
    p.add_argument("--radius", type=POSITIVE, default=50, metavar="METRES",
                   help="collisions within this distance of a scheme count (default 50)")
    p.add_argument("--severity", choices=["all", "ksi"], default="all",
                   help="all injury collisions (default) or KSI (fatal and serious) only")
    p.add_argument("--reference", metavar="FILE", help="similar untreated sites to fit the prediction model on")
    p.add_argument("--roads", metavar="FILE",
                   help="the road network to fit the prediction model on (default: the shipped roads in "
                        "Cambridgeshire)")
    p.add_argument("--seed", type=int, default=0, help="seed for drawing the road-network cells (default 0)")
    p.add_argument("--out", metavar="FILE", help="the table of schemes to write (.csv)")
    p.add_argument("--pdf", metavar="FILE", help="the one-page report to write (.pdf)")
    p.add_argument("--title", metavar="TEXT", help="the report's title")
    p.set_defaults(run=_evaluate)
