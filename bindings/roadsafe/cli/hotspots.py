"""`roadsafe hotspots`: cluster sites as UK authorities define them, or another method (``--method``).

    roadsafe hotspots --dataset cambridgeshire --preset urban --out sites.gpkg
    roadsafe hotspots --dataset cambridgeshire --method network-kde --out nkde.gpkg
"""
from __future__ import annotations

import argparse

from .common import COUNT, NON_NEGATIVE_COUNT, POSITIVE, UsageError, add_input_arguments, load_and_report, write_result
from .hotspot_methods import add_method_arguments, check_method_arguments, run_method


def _hotspots(args: argparse.Namespace) -> int:
    from ..hotspots.sites import PRESETS, cluster_sites, period_text

    if args.method != "sites":
        check_method_arguments(args)
        return run_method(args, load_and_report(args))
    if args.units != "cells":
        raise UsageError("--units segments applies to --method gi")
    if args.preset not in PRESETS:
        raise UsageError(f"--preset must be one of {', '.join(sorted(PRESETS))}")
    if args.out and not args.out.lower().endswith((".gpkg", ".csv")):
        raise UsageError("--out must end in .gpkg (for QGIS) or .csv")
    ds = load_and_report(args)
    result = cluster_sites(ds, preset=args.preset, radius=args.radius, min_collisions=args.min_collisions,
                           years=args.years)
    span = period_text(result.period, ds.collisions, result.years)
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
        def sites_csv(path: str) -> None:
            table = result.sites.drop(columns="geometry")
            table["collision_ids"] = table["collision_ids"].map(lambda ids: ",".join(map(str, ids)))
            table.to_csv(path, index=False)

        write_result(args.out, ds, result.to_gpkg, sites_csv)
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the `hotspots` command to the `roadsafe` parser."""
    hotspots = sub.add_parser(
        "hotspots", help="find cluster sites: places with several collisions close together",
        description="Load collision records and find cluster sites as UK authorities define them: N or more "
                    "collisions within R metres over the last Y years, each collision in at most one site, "
                    "the densest sites first. Each site gets its counts by severity and a cost.")
    add_input_arguments(hotspots)
    hotspots.add_argument("--preset", default="urban", metavar="PRESET",
                          help="urban (50 m, 5 collisions, 5 years; the default), rural (100 m) or rural_200 (200 m)")
    hotspots.add_argument("--radius", type=POSITIVE, metavar="METRES", help="override the preset's radius")
    hotspots.add_argument("--min-collisions", type=COUNT, dest="min_collisions", metavar="N",
                          help="override the preset's minimum number of collisions")
    hotspots.add_argument("--years", type=POSITIVE, metavar="Y",
                          help="override the preset's period: the last Y years of the data (0 = all)")
    hotspots.add_argument("--top", type=NON_NEGATIVE_COUNT, default=20, metavar="N", help="how many sites to print (default 20)")
    hotspots.add_argument("--out", metavar="FILE",
                          help="also write the result to FILE: sites, gi and dbscan to .gpkg (a GeoPackage layer "
                               "for QGIS) or .csv; kde to .tif (GeoTIFF); network-kde to .gpkg")
    add_method_arguments(hotspots)
    hotspots.set_defaults(run=_hotspots)
