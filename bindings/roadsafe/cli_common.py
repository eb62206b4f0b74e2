"""Helpers shared by the `roadsafe` commands that live outside cli.py (`map`, `report`): loading with
the load report, a stage-by-stage progress bar, and the cluster-site rule options.
"""
from __future__ import annotations

import argparse
import contextlib
from typing import Any, Callable, Iterator

from .cli import UsageError, _load


def load_and_report(args: argparse.Namespace) -> Any:
    """Load the police data the command line names and print its load report (unless --quiet)."""
    ds = _load(args)
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
    p.add_argument("--top", type=int, default=10, metavar="N",
                   help="how many sites to number on the map and list in the table (default 10)")
    p.add_argument("--preset", default="urban", metavar="PRESET",
                   help="cluster-site rule: urban (50 m, 5 collisions, 5 years; the default), rural (100 m) "
                        "or rural_200 (200 m)")
    p.add_argument("--radius", type=float, metavar="METRES", help="override the preset's radius")
    p.add_argument("--min-collisions", type=int, dest="min_collisions", metavar="N",
                   help="override the preset's minimum number of collisions")
    p.add_argument("--years", type=float, metavar="Y",
                   help="override the preset's period: the last Y years of the data (0 = all)")


def sites_from_args(ds: Any, args: argparse.Namespace) -> Any:
    from .hotspots import PRESETS, cluster_sites

    if args.preset not in PRESETS:
        raise UsageError(f"--preset must be one of {', '.join(sorted(PRESETS))}")
    if args.top < 0 or args.top > 40:
        raise UsageError("--top must be between 0 and 40 (a printed table holds no more)")
    from .maps import adjusted_probabilities

    return cluster_sites(ds, preset=args.preset, radius=args.radius, min_collisions=args.min_collisions,
                         years=args.years, adjusted=adjusted_probabilities(ds))
