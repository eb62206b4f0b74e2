"""`roadsafe dashboard`: the board's dashboard, one HTML file that works offline (from an e-mail attachment).

    roadsafe dashboard --dataset cambridgeshire --out cambridgeshire_dashboard.html
    roadsafe dashboard Accidents_2015.csv Casualties_2015.csv --police-force "West Yorkshire" --out wy.html
"""
from __future__ import annotations

import argparse

from .common import NON_NEGATIVE_COUNT, UsageError, add_input_arguments, add_roads_argument, load_and_report, steps

NAME = "dashboard"

_DESCRIPTION = """\
Load collision records and write the board's dashboard: one HTML file with every script, style and map
shape inside it (no network, no server). How are we doing (the KSI trend with intervals, as recorded and
adjusted, and the performance block), when (month, hour x weekday), who (road user, age band, sex), where
(a map of the collisions on the area's boundaries with the numbered cluster sites and their table), and
rates per 100,000 residents and per billion vehicle-miles against GB and similar authorities. Filters for
years, severity, road user and district update the charts, the map and the site table together.

Example:
  roadsafe dashboard --dataset cambridgeshire --out cambridgeshire_dashboard.html
"""


def _dashboard(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..maps.dashboard import dashboard

    if not args.out.lower().endswith((".html", ".htm")):
        raise UsageError("--out must end in .html")
    for path in (args.trauma, args.injuries):
        if path and not Path(path).exists():
            raise FileNotFoundError(f"trauma file not found: {path}")
    if args.injuries and not args.trauma:
        raise UsageError("--injuries goes with --trauma")
    trauma = (args.trauma, args.injuries) if args.injuries else args.trauma
    ds = load_and_report(args)
    with steps(6, not args.quiet, "writing the dashboard") as advance:
        result = dashboard(ds, args.out, title=args.title, by=args.by, trauma=trauma, roads=args.roads,
                           top=args.top, as_of=args.as_of, progress=advance)
    print(f"{result.collisions:,} collisions, {result.ksi:,} KSI, {result.sites} numbered sites; "
          f"{result.size_bytes / 1e6:.1f} MB in {result.seconds:.1f} s")
    for note in result.notes:
        print(f"note: {note}")
    print(f"written: {args.out}")
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `roadsafe dashboard` to the command's subparsers."""
    p = sub.add_parser(NAME, help="write the board's dashboard: one offline HTML file with filters, charts and a map",
                       description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_arguments(p)
    p.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write")
    p.add_argument("--by", choices=("financial_year", "calendar_year"), default="financial_year",
                   help="years of the trend and the year filters (default: financial_year)")
    p.add_argument("--trauma", metavar="FILE", help="hospital trauma records to link, for a MAIS 3+ table")
    p.add_argument("--injuries", metavar="FILE", help="with --trauma: the registry's injuries file")
    p.add_argument("--as-of", dest="as_of", metavar="DATE",
                   help="date the performance block is made at (default: the end of the last full month of data)")
    p.add_argument("--top", type=NON_NEGATIVE_COUNT, default=10, metavar="N", help="cluster sites numbered on the map (default 10)")
    p.add_argument("--title", metavar="TEXT", help="the page's title (default: 'Road safety dashboard: <area>')")
    add_roads_argument(p)
    p.set_defaults(run=_dashboard)
