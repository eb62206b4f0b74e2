"""What the `roadsafe` commands share: exit codes, the usage error, the input options and loading with the
load report, a stage-by-stage progress bar, and the cluster-site rule options. Imports no command.
"""
from __future__ import annotations

import argparse
import contextlib
from typing import Any, Callable, Iterator, Optional

EXIT_INTERNAL = 1  # a bug: the message asks for a report with --debug
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3
EXIT_FILE_ERROR = 4
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it


class UsageError(Exception):
    """The command line itself is wrong (exit code 2, like argparse's own errors)."""


def number(kind: Callable[[str], Any], above: Optional[float] = None, at_least: Optional[float] = None,
           at_most: Optional[float] = None) -> Callable[[str], Any]:
    """An argparse type: a number of ``kind`` in range, so `--radius -5` is a usage error (exit 2) naming
    the option, before any work."""
    def parse(text: str) -> Any:
        noun = "a whole number" if kind is int else "a number"
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {noun}, not {text!r}") from None
        if value != value or (above is not None and value <= above) or (at_least is not None and value < at_least) \
                or (at_most is not None and value > at_most):
            bounds = [f"above {above:g}" if above is not None else "", f"at least {at_least:g}" if at_least is not None
                      else "", f"at most {at_most:g}" if at_most is not None else ""]
            raise argparse.ArgumentTypeError(f"must be {noun} {' and '.join(b for b in bounds if b)}, not {text!r}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


POSITIVE = number(float, above=0)
COUNT = number(int, at_least=1)
NON_NEGATIVE_COUNT = number(int, at_least=0)


def add_input_arguments(p: argparse.ArgumentParser) -> None:
    """The input options every command takes: FILE names or --dataset, --profile, --strict, --quiet."""
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
    p.add_argument("--sheet", metavar="SHEET",
                   help="the sheet to read from a spreadsheet FILE (.xlsx, .ods, .xls); default: the first with rows")
    p.add_argument("--quiet", action="store_true", help="do not print the load report")
    area = p.add_argument_group(
        "area and period", "keep only the collisions of an area and period (options combine); the output "
                           "says what was selected")
    area.add_argument("--police-force", dest="police_force", metavar="FORCE", action="append",
                      help="a police force by DfT code (13) or name (\"West Yorkshire\"); repeat for several")
    area.add_argument("--highway-authority", dest="highway_authority", metavar="AUTHORITY", action="append",
                      help="a highway authority (county or unitary council) by ONS code (E10000016) or name (Kent)")
    area.add_argument("--district", metavar="DISTRICT", action="append",
                      help="a local authority district by DfT number (204), ONS code (E08000035) or name (Leeds)")
    area.add_argument("--area", metavar="FILE", help="a polygon file GDAL reads (any CRS): the collisions inside it")
    area.add_argument("--from", dest="start", metavar="DATE", help="first day to keep (YYYY-MM-DD)")
    area.add_argument("--to", dest="end", metavar="DATE", help="last day to keep (YYYY-MM-DD)")


def load(args: argparse.Namespace) -> Any:
    """Load the police data the command line names (FILE names, or --dataset), cut to the area and period
    the command line selects."""
    from ..errors import InvalidInputError
    from ..io.datasets import cambridgeshire
    from ..io.read_stats19 import read_stats19

    if args.dataset and args.inputs:
        raise UsageError("give either FILE names or --dataset, not both")
    if args.dataset == "cambridgeshire":
        ds = cambridgeshire()
    elif not args.inputs:
        raise UsageError("no input: give STATS19 FILE names or --dataset cambridgeshire "
                         f"(see roadsafe {args.command} --help)")
    else:
        ds = read_stats19(args.inputs, profile=args.profile, strict=args.strict, sheet=args.sheet)
        if not any(len(t) for t in (ds.collisions, ds.vehicles, ds.casualties)):
            problems = ds.report.summary().head(3)
            why = "; ".join(f"{r.count:,} x {r.outcome}: {r.column}: {r.reason} (first at line {r.first_line})"
                            for r in problems.itertuples())
            raise InvalidInputError(f"no rows were loaded from {', '.join(args.inputs)}: "
                                    + (why or "the files hold a header and no rows"))
    chosen = {"police_force": args.police_force, "highway_authority": args.highway_authority,
              "local_authority_district": args.district, "area": args.area, "start": args.start, "end": args.end}
    if not any(v is not None for v in chosen.values()):
        return ds
    ds = ds.select(**chosen)
    if args.quiet:  # otherwise the load report, printed by the command, ends with the selection
        print("Selected: " + "; ".join(ds.selection))
    return ds


def load_and_report(args: argparse.Namespace) -> Any:
    """Load the police data the command line names and print its load report (unless --quiet)."""
    ds = load(args)
    if not args.quiet:
        print(ds.report)
        print()
    return ds


@contextlib.contextmanager
def steps(total: int, show: bool, desc: str) -> Iterator[Callable[[str], None]]:
    """A progress bar that moves one step per named stage (shown unless --quiet)."""
    if not show:
        yield lambda _stage: None
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=desc, bar_format="{desc}: {bar:20} {n_fmt}/{total_fmt} {postfix} [{elapsed}]",
               leave=False)
    started = 0

    def advance(stage: str) -> None:  # a stage starts: the one before it is done
        nonlocal started
        if started and bar.n < total:
            bar.update(1)
        started += 1
        bar.set_postfix_str(stage)

    try:
        yield advance
    finally:
        bar.close()


def add_site_arguments(p: argparse.ArgumentParser) -> None:
    """The cluster-site rule options shared by `map` and `report`."""
    p.add_argument("--top", type=NON_NEGATIVE_COUNT, default=10, metavar="N",
                   help="how many sites to number on the map and list in the table (default 10)")
    p.add_argument("--preset", default="urban", metavar="PRESET",
                   help="cluster-site rule: urban (50 m, 5 collisions, 5 years; the default), rural (100 m) "
                        "or rural_200 (200 m)")
    p.add_argument("--radius", type=POSITIVE, metavar="METRES", help="override the preset's radius")
    p.add_argument("--min-collisions", type=COUNT, dest="min_collisions", metavar="N",
                   help="override the preset's minimum number of collisions")
    p.add_argument("--years", type=POSITIVE, metavar="Y",
                   help="override the preset's period: the last Y years of the data (0 = all)")


def add_roads_argument(p: argparse.ArgumentParser) -> None:
    """The user's road network, for `map` and `report` (drawn, and naming the sites)."""
    p.add_argument("--roads", metavar="FILE",
                   help="your road network, drawn on the map and naming the sites: OS Open Roads (GeoPackage), "
                        "OpenStreetMap (.osm.pbf) or any line layer GDAL reads (default: the shipped roads on a map "
                        "in Cambridgeshire, none elsewhere; sites are then named from the roads the collisions record)")


def sites_from_args(ds: Any, args: argparse.Namespace) -> Any:
    from ..hotspots.sites import PRESETS, cluster_sites

    if args.preset not in PRESETS:
        raise UsageError(f"--preset must be one of {', '.join(sorted(PRESETS))}")
    if args.top < 0 or args.top > 40:
        raise UsageError("--top must be between 0 and 40 (a printed table holds no more)")
    from ..severity import adjusted_probabilities

    return cluster_sites(ds, preset=args.preset, radius=args.radius, min_collisions=args.min_collisions,
                         years=args.years, adjusted=adjusted_probabilities(ds))


def check_outputs(args: argparse.Namespace) -> None:
    """Before any work: the folder of every output file the command line names exists and is writable
    (exit 4 otherwise), so an hour's work never ends in "cannot write"."""
    from ..io.output_files import check_output

    for name in ("out", "summary_out", "pdf"):
        path = getattr(args, name, None)
        if path and not getattr(args, "out_is_folder", False):
            check_output(path)


def write_result(out: str, ds: Any, gpkg: Callable[[str], Any], csv: Callable[[str], Any]) -> None:
    """Write a result by --out's suffix: a GeoPackage (recording the selection in it) or a CSV table,
    whole or not at all."""
    from ..io.output_files import written_whole

    with written_whole(out) as tmp:
        if out.lower().endswith(".gpkg"):
            gpkg(str(tmp))
            record_selection(str(tmp), ds)
        else:
            csv(str(tmp))
    print(f"written: {out}")


def write_table(out: str, table: Any, index: bool = True) -> None:
    """Write a pandas table as CSV, whole or not at all."""
    from ..io.output_files import written_whole

    with written_whole(out) as tmp:
        table.to_csv(tmp, index=index)
    print(f"written: {out}")


def record_selection(path: Any, ds: Any) -> None:
    """Write what the data were selected to into a GeoPackage output (its layers' description)."""
    from ..geo.layers import describe_geopackage

    selection = getattr(ds, "selection", None)
    if selection and str(path).lower().endswith(".gpkg"):
        describe_geopackage(path, "Selected from the loaded records: " + "; ".join(selection))
