"""The `roadsafe` command.

    roadsafe trends --dataset cambridgeshire            # the shipped Cambridgeshire data
    roadsafe trends dft-collision-2023.csv --by calendar_year --out ksi.csv
    roadsafe trends export.csv --profile my_force.ini
    roadsafe trends --dataset cambridgeshire --groups pedestrians,children --summary
    roadsafe hotspots --dataset cambridgeshire --method network-kde --out nkde.gpkg
    roadsafe map --dataset cambridgeshire --out hotspots.pdf
    roadsafe report --dataset cambridgeshire --out report.pdf --trauma trauma.csv
    roadsafe link --dataset cambridgeshire --trauma trauma.csv --unit collision --out links.csv
    roadsafe evaluate --dataset cambridgeshire --schemes schemes.gpkg --before-years 2 --after-years 2 --pdf s.pdf
    roadsafe drivers Accidents_2015.csv Vehicles_2015.csv Casualties_2015.csv --pdf drivers.pdf

Each command lives in its own module of this package with a register() that adds its subparser;
this module only builds the parser and dispatches, turning errors into exit codes.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from typing import Optional, Sequence

from .. import errors
from . import dashboard, drivers, evaluate, hotspots, link, report, synth_trauma, trends
from . import map as map_command  # plain `map` would hide the builtin
from .common import (EXIT_BAD_INPUT, EXIT_FILE_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, UsageError,
                     check_outputs)

_DESCRIPTION = """\
roadsafe reads police road-collision records (STATS19 files from the Department for Transport,
or your own force's export through a mapping profile) and turns them into what a road safety
partnership needs: KSI tables with intervals, hotspots, printable maps and a board report, and
links with hospital trauma records (MAIS 3+).

Start with:  roadsafe trends --dataset cambridgeshire
Print a map: roadsafe map --dataset cambridgeshire --out hotspots.pdf
A report:    roadsafe report --dataset cambridgeshire --out report.pdf
Schemes:     roadsafe evaluate --dataset cambridgeshire --schemes schemes.gpkg --pdf schemes.pdf
A dashboard: roadsafe dashboard --dataset cambridgeshire --out dashboard.html
Drivers:     roadsafe drivers --dataset cambridgeshire --by vehicle_type

Each command has its own help:  roadsafe map --help
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roadsafe", description=_DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true",
                        help="on an error, show Python's traceback too (for a bug report)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in (trends, hotspots, link, map_command, report, dashboard, evaluate, drivers, synth_trauma):
        command.register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse's usage errors (exit 2) and --help (0), returned like any other exit
        return int(e.code or 0)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        check_outputs(args)
        return args.run(args)
    except Exception as e:  # one boundary: a plain message and a documented exit code, never a traceback
        if args.debug:
            traceback.print_exc()
        code, message = _exit_for(e)
        print(f"roadsafe: {message}", file=sys.stderr)
        return code
    except KeyboardInterrupt:
        print("roadsafe: interrupted; nothing was written under the output's name", file=sys.stderr)
        return EXIT_INTERRUPTED


def _exit_for(e: Exception) -> tuple[int, str]:
    """The exit code and the message a user sees for an error (``roadsafe.errors`` first)."""
    if isinstance(e, UsageError):
        return EXIT_USAGE, str(e)
    if isinstance(e, errors.RoadsafeIOError):
        what = "cannot write" if str(e).startswith("cannot write") else "cannot read input"
        return EXIT_FILE_ERROR, str(e) if what == "cannot write" else f"{what}: {e}"
    if isinstance(e, errors.RoadsafeError):
        return EXIT_BAD_INPUT, f"bad input: {e}"
    if isinstance(e, (FileNotFoundError, PermissionError, IsADirectoryError)):
        return EXIT_FILE_ERROR, str(e)
    if isinstance(e, ValueError):  # the library's own checks of values and options
        return EXIT_BAD_INPUT, f"bad input: {e}"
    return EXIT_INTERNAL, (f"internal error ({type(e).__name__}: {e}); please report it, with the output of the "
                           "same command run with --debug")
