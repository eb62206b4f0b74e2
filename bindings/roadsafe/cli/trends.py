"""`roadsafe trends`: counts by severity per period, by target group, with the performance block.

    roadsafe trends --dataset cambridgeshire
    roadsafe trends dft-collision-2023.csv --by calendar_year --out ksi.csv
    roadsafe trends --dataset cambridgeshire --groups pedestrians,children --summary
"""
from __future__ import annotations

import argparse
from typing import Optional

from ..io.coverage import describe_spans
from .common import UsageError, add_input_arguments, load, write_table


def _split_groups(text: Optional[str]) -> Optional[list[str]]:
    if not text:
        return None
    return [g.strip() for g in text.split(",") if g.strip()]


def _print_table(table, title: str) -> None:
    shown = ["fatal", "serious", "slight", "ksi", "ksi_lower", "ksi_upper"]
    shown += [c for c in ("serious_adjusted", "ksi_adjusted") if c in table.columns]
    shown += ["partial"]
    print(title)
    print(table[shown].round(1).to_string(na_rep="no data"))


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
    from ..trends.groups import GroupUnavailable
    from ..trends.performance import performance_summary
    from ..trends.periods import ksi_table

    groups = _split_groups(args.groups)
    if (args.baseline or args.as_of or args.summary_out) and not args.summary:
        raise UsageError("--baseline, --as-of and --summary-out go with --summary")
    ds = load(args)
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
    if table.attrs.get("unknown_severity"):
        records = ds.casualties if args.unit == "casualty" else ds.collisions
        print(f"{table.attrs['unknown_severity']:,} of {len(records):,} {args.unit}s have no known severity (fatal, "
              "serious or slight) and are not counted (see the load report)")
    if table.attrs.get("undated"):
        print(f"{table.attrs['undated']:,} of {len(ds.collisions):,} collisions have no date and are not counted "
              "(see the load report)")
    if table["partial"].any():
        print("partial = the records cover only part of this period (no data = none of it); the records cover "
              + describe_spans(ds.coverage))
    if args.out:
        write_table(args.out, table)
    if args.summary:
        summary = performance_summary(ds, as_of=args.as_of, baseline=_split_groups(args.baseline),
                                      unit=args.unit, groups=groups)
        print()
        _print_summary(summary, f"Performance summary as of {summary.attrs['as_of']:%d %B %Y} "
                                f"({noun.lower()}; verdict at the 95% level, allowing for multi-casualty collisions)")
        if args.summary_out:
            write_table(args.summary_out, summary, index=False)
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the `trends` command to the `roadsafe` parser."""
    trends = sub.add_parser(
        "trends", help="count collisions by severity per month, quarter or year",
        description="Load collision records, print the load report (what was read, what was rejected "
                    "and why), then count fatal, serious and slight collisions per period.")
    add_input_arguments(trends)
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
