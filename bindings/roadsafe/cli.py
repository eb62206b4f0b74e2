"""The `roadsafe` command.

    roadsafe trends --dataset cambridgeshire            # the shipped Cambridgeshire data
    roadsafe trends dft-collision-2023.csv --by calendar_year --out ksi.csv
    roadsafe trends export.csv --profile my_force.ini
    roadsafe trends --dataset cambridgeshire --groups pedestrians,children --summary
    roadsafe hotspots --dataset cambridgeshire --method network-kde --out nkde.gpkg
    roadsafe map --dataset cambridgeshire --out hotspots.pdf
    roadsafe report --dataset cambridgeshire --out report.pdf --trauma trauma.csv
    roadsafe link --dataset cambridgeshire --trauma trauma.csv --unit collision --out links.csv

Each command other than trends and hotspots lives in its own module (cli_<name>.py) with a
register() that adds its subparser here.
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from . import errors

EXIT_USAGE = 2
EXIT_BAD_INPUT = 3
EXIT_FILE_ERROR = 4

_DESCRIPTION = """\
roadsafe reads police road-collision records (STATS19 files from the Department for Transport,
or your own force's export through a mapping profile) and turns them into what a road safety
partnership needs: KSI tables with intervals, hotspots, printable maps and a board report, and
links with hospital trauma records (MAIS 3+).

Start with:  roadsafe trends --dataset cambridgeshire
Print a map: roadsafe map --dataset cambridgeshire --out hotspots.pdf
A report:    roadsafe report --dataset cambridgeshire --out report.pdf

Each command has its own help:  roadsafe map --help
"""


class UsageError(Exception):
    """The command line itself is wrong (exit code 2, like argparse's own errors)."""


def _add_input_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", metavar="FILE",
                   help="STATS19 CSV files (collision, vehicle and casualty files of any DfT year; "
                        ".zip and .gz work too)")
    p.add_argument("--dataset", choices=["cambridgeshire"],
                   help="use data shipped with roadsafe instead of files: cambridgeshire = every injury "
                        "collision in Cambridgeshire & Peterborough, 2012 to October 2017")
    p.add_argument("--profile", metavar="PROFILE",
                   help="read a local export through a column-mapping profile (a .ini file, or the name "
                        "of a shipped one such as cambridgeshire_insight)")
    p.add_argument("--strict", action="store_true",
                   help="stop at the first problem in the input instead of reporting it and carrying on")
    p.add_argument("--quiet", action="store_true", help="do not print the load report")


def _load(args: argparse.Namespace):
    from .dataset import read_stats19
    from .datasets import cambridgeshire

    if args.dataset and args.inputs:
        raise UsageError("give either FILE names or --dataset, not both")
    if args.dataset == "cambridgeshire":
        return cambridgeshire()
    if not args.inputs:
        raise UsageError("no input: give STATS19 FILE names or --dataset cambridgeshire "
                         f"(see roadsafe {args.command} --help)")
    return read_stats19(args.inputs, profile=args.profile, strict=args.strict)


def _split_groups(text: Optional[str]) -> Optional[list[str]]:
    if not text:
        return None
    return [g.strip() for g in text.split(",") if g.strip()]


def _print_table(table, title: str) -> None:
    shown = ["fatal", "serious", "slight", "ksi", "ksi_lower", "ksi_upper"]
    shown += [c for c in ("serious_adjusted", "ksi_adjusted") if c in table.columns]
    shown += ["partial"]
    print(title)
    print(table[shown].round(1).to_string())


def _print_summary(summary, title: str) -> None:
    print(title)
    cols = [c for c in ("group",) if c in summary.columns]
    cols += ["measure", "comparison", "current_period", "current", "reference", "change_percent", "p_value",
             "verdict"]
    shown = summary[cols].copy()
    shown["current"] = shown["current"].round(1)
    shown["reference"] = shown["reference"].round(1)
    shown["change_percent"] = shown["change_percent"].round(1)
    shown["p_value"] = shown["p_value"].round(3)
    print(shown.to_string(index=False))


def _trends(args: argparse.Namespace) -> int:
    from .groups import GroupUnavailable
    from .performance import performance_summary
    from .periods import ksi_table

    groups = _split_groups(args.groups)
    if (args.baseline or args.as_of or args.summary_out) and not args.summary:
        raise UsageError("--baseline, --as-of and --summary-out go with --summary")
    ds = _load(args)
    if not args.quiet:
        print(ds.report)
        print()
    noun = "Casualties" if args.unit == "casualty" else "Collisions"
    try:
        table = ksi_table(ds, by=args.by, unit=args.unit, groups=groups)
    except GroupUnavailable as e:
        raise UsageError(str(e)) from None
    except ValueError as e:
        if "unit='casualty'" in str(e):
            raise UsageError(str(e)) from None
        raise
    title = f"{noun} by severity and {args.by.replace('_', ' ')}"
    if ds.name:
        title += f": {ds.name}"
    if groups is None:
        _print_table(table, title)
    else:
        for name, block in table.groupby(level="group", sort=False):
            print()
            _print_table(block.droplevel("group"),
                         f"{title} -- group: {name} (chosen from {block['group_basis'].iloc[0]} fields)")
    print("ksi_lower, ksi_upper = 95% interval for the KSI count")
    if table["partial"].any():
        print("partial = the data cover only part of this period")
    if args.out:
        table.to_csv(args.out)
        print(f"written: {args.out}")
    if args.summary:
        summary = performance_summary(ds, as_of=args.as_of, baseline=_split_groups(args.baseline),
                                      unit=args.unit, groups=groups)
        print()
        _print_summary(summary, f"Performance summary as of {summary.attrs['as_of']:%d %B %Y} "
                                f"({noun.lower()}; verdict at the 95% level, allowing for multi-casualty collisions)")
        if args.summary_out:
            summary.to_csv(args.summary_out, index=False)
            print(f"written: {args.summary_out}")
    return 0


def _hotspots(args: argparse.Namespace) -> int:
    from .cli_hotspots_methods import check_method_arguments, run_method
    from .hotspots import PRESETS, cluster_sites

    if args.method != "sites":
        check_method_arguments(args)
        ds = _load(args)
        if not args.quiet:
            print(ds.report)
            print()
        return run_method(args, ds)
    if args.units != "cells":
        raise UsageError("--units segments applies to --method gi")
    if args.preset not in PRESETS:
        raise UsageError(f"--preset must be one of {', '.join(sorted(PRESETS))}")
    if args.out and not args.out.lower().endswith((".gpkg", ".csv")):
        raise UsageError("--out must end in .gpkg (for QGIS) or .csv")
    ds = _load(args)
    if not args.quiet:
        print(ds.report)
        print()
    result = cluster_sites(ds, preset=args.preset, radius=args.radius, min_collisions=args.min_collisions,
                           years=args.years)
    start, end = result.period
    span = f"{start:%d %B %Y} to {end:%d %B %Y}" if start is not None and end is not None else "all dates"
    print(f"Cluster sites: {result.min_collisions} or more collisions within {result.radius:g} m, {span}"
          + (f" ({ds.name})" if ds.name else ""))
    print(f"{len(result.sites):,} sites; {result.collisions_used:,} collisions considered, {result.skipped:,} without a "
          f"usable location, {result.outside_period:,} outside the period; cost = DfT average value of prevention, "
          f"{result.price_year} prices")
    columns = [c for c in ("site_id", "collisions", "fatal", "serious", "slight", "cost_gbp", "centroid_x",
                           "centroid_y", "road_users") if c in result.sites.columns]
    if len(result.sites):
        top = result.sites[columns].head(args.top).copy()
        top["cost_gbp"] = top["cost_gbp"].map(lambda v: f"{v:,.0f}")
        top[["centroid_x", "centroid_y"]] = top[["centroid_x", "centroid_y"]].round(0).astype("int64")
        print(top.to_string(index=False))
    if args.out:
        if args.out.lower().endswith(".gpkg"):
            result.to_gpkg(args.out)
        else:
            table = result.sites.drop(columns="geometry")
            table["collision_ids"] = table["collision_ids"].map(lambda ids: ",".join(map(str, ids)))
            table.to_csv(args.out, index=False)
        print(f"written: {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    # The other commands live in their own modules, which import this one's helpers.
    from .cli_hotspots_methods import add_method_arguments
    from .cli_link import register as register_link
    from .cli_map import register as register_map
    from .cli_report import register as register_report
    from .cli_trauma import register as register_synth_trauma

    parser = argparse.ArgumentParser(prog="roadsafe", description=_DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    trends = sub.add_parser(
        "trends", help="count collisions by severity per month, quarter or year",
        description="Load collision records, print the load report (what was read, what was rejected "
                    "and why), then count fatal, serious and slight collisions per period.")
    _add_input_arguments(trends)
    trends.add_argument("--by", default="financial_year",
                        choices=["month", "quarter", "calendar_year", "financial_year"],
                        help="the period to count by (financial years run April to March; default: financial_year)")
    trends.add_argument("--unit", default="collision", choices=["collision", "casualty"],
                        help="count collisions (by collision severity) or casualties (needs a casualty file); "
                             "default: collision")
    trends.add_argument("--groups", metavar="GROUPS",
                        help="comma-separated target groups, one table each: children, young_people, "
                             "older_people, pedestrians, pedal_cyclists, motorcyclists, car_occupants, "
                             "rural_roads, speed_limit_50, district")
    trends.add_argument("--summary", action="store_true",
                        help="also print the performance block: rolling 12 months, financial year to date, "
                             "current year vs the previous year and the 3-year average, with a verdict "
                             "(higher / comparable / lower)")
    trends.add_argument("--as-of", metavar="DATE", dest="as_of",
                        help="date the performance block is made at (default: the end of the last full month "
                             "of data)")
    trends.add_argument("--baseline", metavar="YEARS",
                        help="with --summary, also compare the current year with the average of these years "
                             "(comma-separated, e.g. 2012-13,2013-14,2014-15)")
    trends.add_argument("--out", metavar="CSV", help="also write the table to this CSV file")
    trends.add_argument("--summary-out", metavar="CSV", dest="summary_out",
                        help="also write the performance block to this CSV file")
    trends.set_defaults(run=_trends)

    hotspots = sub.add_parser(
        "hotspots", help="find cluster sites: places with several collisions close together",
        description="Load collision records and find cluster sites as UK authorities define them: N or more "
                    "collisions within R metres over the last Y years, each collision in at most one site, "
                    "the densest sites first. Each site gets its counts by severity and a cost.")
    _add_input_arguments(hotspots)
    hotspots.add_argument("--preset", default="urban", metavar="PRESET",
                          help="urban (50 m, 5 collisions, 5 years; the default), rural (100 m) or rural_200 (200 m)")
    hotspots.add_argument("--radius", type=float, metavar="METRES", help="override the preset's radius")
    hotspots.add_argument("--min-collisions", type=int, dest="min_collisions", metavar="N",
                          help="override the preset's minimum number of collisions")
    hotspots.add_argument("--years", type=float, metavar="Y",
                          help="override the preset's period: the last Y years of the data (0 = all)")
    hotspots.add_argument("--top", type=int, default=20, metavar="N", help="how many sites to print (default 20)")
    hotspots.add_argument("--out", metavar="FILE",
                          help="also write the result to FILE: sites, gi and dbscan to .gpkg (a GeoPackage layer "
                               "for QGIS) or .csv; kde to .tif (GeoTIFF); network-kde to .gpkg")
    add_method_arguments(hotspots)
    hotspots.set_defaults(run=_hotspots)
    for register in (register_link, register_map, register_report, register_synth_trauma):
        register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except UsageError as e:
        print(f"roadsafe: {e}", file=sys.stderr)
        return EXIT_USAGE
    except errors.RoadsafeIOError as e:
        print(f"roadsafe: cannot read input: {e}", file=sys.stderr)
        return EXIT_FILE_ERROR
    except errors.RoadsafeError as e:
        print(f"roadsafe: bad input: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FileNotFoundError as e:
        print(f"roadsafe: {e}", file=sys.stderr)
        return EXIT_FILE_ERROR


if __name__ == "__main__":
    sys.exit(main())
