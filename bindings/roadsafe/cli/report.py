"""`roadsafe report`: the two-page board report (PDF).

    roadsafe report --dataset cambridgeshire --out cambridgeshire_report.pdf
    roadsafe report collisions.csv casualties.csv --out report.pdf --as-of 2017-09-30
"""
from __future__ import annotations

import argparse

from .common import (UsageError, add_input_arguments, add_roads_argument, add_site_arguments, load_and_report,
                     sites_from_args, steps)

NAME = "report"

_DESCRIPTION = """\
Load collision records and write a two-page A4 report (PDF) for a partnership board:

  page 1  KSI collisions by financial year (as recorded, and adjusted for the move to injury-based
          severity reporting), the performance block (rolling 12 months, year to date, last full year
          against the previous year and the 3-year average, each marked higher, comparable or lower)
          and the KSI trend chart with the reporting switch marked;
  page 2  the hotspot map with the top cluster sites and their table.

Example:
  roadsafe report --dataset cambridgeshire --out cambridgeshire_report.pdf
"""


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..maps.board_report import board_report

    if not args.out.lower().endswith(".pdf"):
        raise UsageError("--out must end in .pdf")
    if args.injuries and not args.trauma:
        raise UsageError("--injuries goes with --trauma")
    for path in (args.trauma, args.injuries):
        if path and not Path(path).exists():
            raise FileNotFoundError(f"trauma file not found: {path}")
    trauma = (args.trauma, args.injuries) if args.injuries else args.trauma
    ds = load_and_report(args)
    with steps(7, not args.quiet, "writing the report") as advance:
        advance("finding cluster sites")
        sites = sites_from_args(ds, args)
        try:
            report = board_report(ds, args.out, trauma=trauma, as_of=args.as_of, title=args.title, sites=sites,
                                  top=args.top, progress=advance, roads=args.roads)
        except ValueError as e:
            if "linkage" in str(e) or "as_of" in str(e):
                raise UsageError(str(e)) from None
            raise
    print(f"{report.title}: {report.pages} pages")
    print(f"KSI adjusted by {report.adjusted_basis}")
    extra = [c for c in ("ksi_adjusted", "severe_mais3", "killed_plus_severe") if c in report.ksi.columns]
    shown = report.ksi[["fatal", "serious", "slight", "ksi"] + extra]
    print(shown.round(1).to_string())
    print(f"written: {args.out}")
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `roadsafe report` to the command's subparsers."""
    p = sub.add_parser(NAME, help="write a two-page board report (PDF): KSI table, performance, trend, map",
                       description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_arguments(p)
    p.add_argument("--out", required=True, metavar="FILE", help="the PDF file to write")
    p.add_argument("--trauma", metavar="FILE",
                   help="hospital trauma records to link to the casualties, for MAIS 3+ columns (serious injury as "
                        "hospitals measure it)")
    p.add_argument("--injuries", metavar="FILE",
                   help="with --trauma: the registry's injuries file (MAIS is then worked out from the injuries)")
    p.add_argument("--as-of", dest="as_of", metavar="DATE",
                   help="date the performance block is made at (default: the end of the last full month of data)")
    p.add_argument("--title", metavar="TEXT", help="the report's title (default: 'Road safety report: <area>')")
    add_site_arguments(p)
    add_roads_argument(p)
    p.set_defaults(run=_report)
