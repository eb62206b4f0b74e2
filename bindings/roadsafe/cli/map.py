"""`roadsafe map`: print a hotspot map (PDF or PNG) for a meeting.

    roadsafe map --dataset cambridgeshire --out hotspots.pdf
    roadsafe map --dataset cambridgeshire --out hotspots.pdf --paper A3 --top 20
    roadsafe map --dataset cambridgeshire --out city.png --extent 540000,252000,552000,264000
    roadsafe map collisions.csv --out map.pdf --layer schemes.gpkg --layer cameras.shp
"""
from __future__ import annotations

import argparse
from typing import Any, Optional

from .common import (COUNT, POSITIVE, UsageError, add_input_arguments, add_roads_argument, add_site_arguments, load_and_report,
                     sites_from_args, steps)

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


def check_layers(paths: Optional[list[str]]) -> None:
    """Fail before the slow work when a --layer file is missing (exit code 4, naming the file)."""
    from pathlib import Path

    for path in paths or []:
        if not Path(path).exists():
            raise FileNotFoundError(f"map layer file not found: {path}")


def _map(args: argparse.Namespace) -> int:
    from ..maps.printed_map import hotspot_map

    if not args.out.lower().endswith((".pdf", ".png")):
        raise UsageError("--out must end in .pdf (for printing) or .png")
    extent = _extent(args.extent)
    shading = None if args.shading == "none" else args.shading.replace("-", "_")
    check_layers(args.layer)
    ds = load_and_report(args)
    with steps(8, not args.quiet, "drawing the map") as advance:
        advance("finding cluster sites")
        sites = sites_from_args(ds, args)
        try:
            fig = hotspot_map(ds, out=args.out, paper=args.paper, title=args.title, shading=shading, sites=sites,
                              top=args.top, extent=extent, layers=args.layer, dpi=args.dpi,
                              bandwidth=args.bandwidth, progress=advance, roads=args.roads)
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
    add_input_arguments(p)
    p.add_argument("--out", required=True, metavar="FILE",
                   help="the file to write: .pdf (for printing) or .png (for slides and e-mail)")
    p.add_argument("--paper", default="A4", choices=["A4", "A3"], help="paper size, landscape (default A4)")
    p.add_argument("--title", metavar="TEXT", help="the map's title (default: 'Injury collision hotspots: <area>')")
    p.add_argument("--shading", default="kde", choices=["kde", "network-kde", "none"],
                   help="background shading: kde = collision density (the default), network-kde = density along "
                        "the roads, none = no shading")
    p.add_argument("--bandwidth", type=POSITIVE, metavar="METRES",
                   help="how far each collision's shading spreads (default: chosen from the map's size, "
                        "300 m for a town to about 1 km for a county)")
    p.add_argument("--extent", metavar="AREA",
                   help="what the map covers: county (the default), sites (just around the numbered sites), or "
                        "XMIN,YMIN,XMAX,YMAX in British National Grid metres")
    p.add_argument("--layer", action="append", metavar="FILE",
                   help="draw an extra layer from a GIS file (GeoPackage, shapefile, GeoJSON, ...); repeat for more")
    p.add_argument("--dpi", type=COUNT, default=200, metavar="DPI", help="resolution of a PNG (default 200)")
    add_roads_argument(p)
    add_site_arguments(p)
    p.set_defaults(run=_map)
