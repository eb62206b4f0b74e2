"""The `roadsafe` command.

    roadsafe trends --dataset cambridgeshire            # the shipped Cambridgeshire data
    roadsafe trends dft-collision-2023.csv --by calendar_year --out ksi.csv
    roadsafe trends export.csv --profile my_force.ini
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
or your own force's export through a mapping profile) and turns them into the tables a road
safety partnership needs.

Start with:  roadsafe trends --dataset cambridgeshire
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


def _trends(args: argparse.Namespace) -> int:
    from .periods import ksi_table

    ds = _load(args)
    if not args.quiet:
        print(ds.report)
        print()
    table = ksi_table(ds, by=args.by)
    title = f"Collisions by severity and {args.by.replace('_', ' ')}"
    if ds.name:
        title += f": {ds.name}"
    print(title)
    print(table.to_string())
    if table["partial"].any():
        print("partial = the data cover only part of this period")
    if args.out:
        table.to_csv(args.out)
        print(f"written: {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
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
    trends.add_argument("--out", metavar="CSV", help="also write the table to this CSV file")
    trends.set_defaults(run=_trends)
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
