"""`roadsafe map`: print a hotspot map (PDF or PNG) for a meeting.

    roadsafe map --dataset cambridgeshire --out hotspots.pdf
    roadsafe map --dataset cambridgeshire --out hotspots.pdf --paper A3 --top 20
    roadsafe map --dataset cambridgeshire --out city.png --extent 540000,252000,552000,264000
    roadsafe map collisions.csv --out map.pdf --layer schemes.gpkg --layer cameras.shp
"""
from __future__ import annotations

import argparse
import contextlib
from typing import Any, Callable, Iterator, Optional

from .cli import UsageError, _add_input_arguments, _load

NAME = "map"

_DESCRIPTION = """\
Load collision records and draw a map ready to print: collision density shading, the top cluster
sites numbered on the map and listed in a table (location, collisions by severity, cost), district
boundaries, roads and towns, a legend, scale bar, north arrow, grid and the copyright statements.

Cluster sites follow the urban rule (5 or more collisions within 50 m over the last 5 years of the
data) unless you change it with --preset, --radius, --min-collisions or --years.

Examples:
  roadsafe map --dataset cambridgeshire --out hotspots.pdf
  roadsafe map --dataset cambridgeshire --out hotspots.pdf --paper A3 --top 20
  roadsafe map --dataset cambridgeshire --out cambridge.png --extent 540000,252000,552000,264000
"""


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


def _extent(text: Optional[str]) -> Any:
    if text is None or text in ("county", "sites"):
        return text
    parts = text.replace(" ", "").split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4 or not (values[2] > values[0] and values[3] > values[1]):
        raise UsageError("--extent must be county, sites, or XMIN,YMIN,XMAX,YMAX in British National Grid metres "
                         "(e.g. 540000,252000,552000,264000)")
    return tuple(values)


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


def check_layers(paths: Optional[list[str]]) -> None:
    """Fail before the slow work when a --layer file is missing (exit code 4, naming the file)."""
    from pathlib import Path

    for path in paths or []:
        if not Path(path).exists():
            raise FileNotFoundError(f"map layer file not found: {path}")


def _map(args: argparse.Namespace) -> int:
    from .maps import hotspot_map

    if not args.out.lower().endswith((".pdf", ".png")):
        raise UsageError("--out must end in .pdf (for printing) or .png")
    extent = _extent(args.extent)
    shading = None if args.shading == "none" else args.shading.replace("-", "_")
    check_layers(args.layer)
    ds = _load(args)
    if not args.quiet:
        print(ds.report)
        print()
    with steps(8, not args.quiet, "drawing the map") as advance:
        advance("finding cluster sites")
        sites = sites_from_args(ds, args)
        try:
            fig = hotspot_map(ds, out=args.out, paper=args.paper, title=args.title, shading=shading, sites=sites,
                              top=args.top, extent=extent, layers=args.layer, dpi=args.dpi,
                              bandwidth=args.bandwidth, progress=advance)
        except ValueError as e:
            if "network_kde" in str(e) or "extent" in str(e):
                raise UsageError(str(e)) from None
            raise
    info = getattr(fig, "roadsafe_map")
    print(f"{info.paper} landscape map, {len(info.site_numbers)} numbered sites (of {len(sites):,}), "
          f"scale bar {info.scale_bar_label}")
    if len(info.table):
        shown = info.table[["number", "location", "collisions", "fatal", "serious", "slight", "cost_k_gbp"]].copy()
        shown["cost_k_gbp"] = shown["cost_k_gbp"].map(lambda v: f"{v:,.0f}")
        print(shown.rename(columns={"cost_k_gbp": "cost_£k"}).to_string(index=False))
    print(f"written: {args.out}")
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `roadsafe map` to the command's subparsers."""
    p = sub.add_parser(NAME, help="draw a hotspot map to print (PDF or PNG)", description=_DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_input_arguments(p)
    p.add_argument("--out", required=True, metavar="FILE",
                   help="the file to write: .pdf (for printing) or .png (for slides and e-mail)")
    p.add_argument("--paper", default="A4", choices=["A4", "A3"], help="paper size, landscape (default A4)")
    p.add_argument("--title", metavar="TEXT", help="the map's title (default: 'Injury collision hotspots: <area>')")
    p.add_argument("--shading", default="kde", choices=["kde", "network-kde", "none"],
                   help="background shading: kde = collision density (the default), network-kde = density along "
                        "the roads, none = no shading")
    p.add_argument("--bandwidth", type=float, metavar="METRES",
                   help="how far each collision's shading spreads (default: chosen from the map's size, "
                        "300 m for a town to about 1 km for a county)")
    p.add_argument("--extent", metavar="AREA",
                   help="what the map covers: county (the default), sites (just around the numbered sites), or "
                        "XMIN,YMIN,XMAX,YMAX in British National Grid metres")
    p.add_argument("--layer", action="append", metavar="FILE",
                   help="draw an extra layer from a GIS file (GeoPackage, shapefile, GeoJSON, ...); repeat for more")
    p.add_argument("--dpi", type=int, default=200, metavar="DPI", help="resolution of a PNG (default 200)")
    add_site_arguments(p)
    p.set_defaults(run=_map)
