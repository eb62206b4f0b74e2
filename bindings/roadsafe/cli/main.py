"""The `roadsafe` command.

    roadsafe trends --dataset cambridgeshire            # the shipped Cambridgeshire data
    roadsafe trends dft-collision-2023.csv --by calendar_year --out ksi.csv
    roadsafe trends export.csv --profile my_force.ini
    roadsafe trends --dataset cambridgeshire --groups pedestrians,children --summary
    roadsafe hotspots --dataset cambridgeshire --method network-kde --out nkde.gpkg
    roadsafe map --dataset cambridgeshire --out hotspots.pdf
    roadsafe report --dataset cambridgeshire --out report.pdf --trauma trauma.csv
    roadsafe link --dataset cambridgeshire --trauma trauma.csv --unit collision --out links.csv

Each command lives in its own module of this package with a register() that adds its subparser;
this module only builds the parser and dispatches, turning errors into exit codes.
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from .. import errors
from . import hotspots, link, report, synth_trauma, trends
from . import map as map_command  # plain `map` would hide the builtin
from .common import EXIT_BAD_INPUT, EXIT_FILE_ERROR, EXIT_USAGE, UsageError

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roadsafe", description=_DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in (trends, hotspots, link, map_command, report, synth_trauma):
        command.register(sub)
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
