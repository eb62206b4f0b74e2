"""The hotspot methods of `roadsafe hotspots` besides cluster sites (``--method``).

    roadsafe hotspots --dataset cambridgeshire --method kde --cell 50 --bandwidth 300 --out kde.tif
    roadsafe hotspots --dataset cambridgeshire --method network-kde --lixel 20 --out nkde.gpkg
    roadsafe hotspots --dataset cambridgeshire --method gi --cell 500 --permutations 999 --out gi.gpkg
    roadsafe hotspots --dataset cambridgeshire --method gi --units segments --segment-length 100 --out gi.gpkg
    roadsafe hotspots --dataset cambridgeshire --method dbscan --eps 50 --min-samples 5 --out clusters.csv

``add_method_arguments(parser)`` adds the options to the `hotspots` subparser (which already has
``--out`` and ``--top``); ``run_method(args, ds)`` runs a method other than ``sites`` on a loaded
dataset, prints a short summary and writes ``--out``.
"""
from __future__ import annotations

import argparse
import os
from typing import Any, Optional

from ..io.output_files import written_whole
from .common import NON_NEGATIVE_COUNT, POSITIVE, UsageError, record_selection, write_result, write_table

METHODS = ("sites", "kde", "network-kde", "gi", "dbscan")

# The file types each method writes with --out.
_OUT_TYPES = {
    "kde": (".tif", ".tiff"),
    "network-kde": (".gpkg",),
    "gi": (".gpkg", ".csv"),
    "dbscan": (".gpkg", ".csv"),
}


def add_method_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --method and the parameters of each method to the `hotspots` subparser."""
    g = parser.add_argument_group(
        "methods", "--method picks the analysis; sites (cluster sites, the default) uses --preset/--radius/"
                   "--min-collisions/--years, the others the options below")
    g.add_argument("--method", default="sites", choices=METHODS,
                   help="sites: cluster sites (default); kde: planar kernel density raster (--out .tif); "
                        "network-kde: density along roads on lixels (--out .gpkg); gi: Getis-Ord Gi* hot and "
                        "cold grid cells or road segments (--units) with FDR (--out .gpkg or .csv); dbscan: density "
                        "clusters "
                        "(--out .gpkg or .csv)")
    g.add_argument("--cell", type=POSITIVE, metavar="METRES",
                   help="grid cell size: kde raster cells (default 50) or gi grid cells (default 500)")
    g.add_argument("--bandwidth", type=POSITIVE, metavar="METRES",
                   help="kernel bandwidth for kde and network-kde (default 300; network distance for network-kde)")
    g.add_argument("--kernel", default="quartic", choices=["quartic", "gaussian", "triangular"],
                   help="kernel for kde (quartic or gaussian) and network-kde (quartic, triangular or gaussian); "
                        "default quartic")
    g.add_argument("--lixel", type=POSITIVE, default=20.0, metavar="METRES",
                   help="network-kde: longest piece of road the density is given for (default 20)")
    g.add_argument("--units", default="cells", choices=["cells", "segments"],
                   help="gi: the units counted: square grid cells (--cell, default) or road segments of at most "
                        "--segment-length metres (collisions placed on the nearest road within --max-snap)")
    g.add_argument("--segment-length", type=POSITIVE, default=100.0, dest="segment_length", metavar="METRES",
                   help="gi --units segments: longest road segment; each road between junctions is cut into equal "
                        "pieces no longer than this (default 100)")
    g.add_argument("--roads", metavar="FILE",
                   help="your road network, lines GDAL reads (OS Open Roads, OpenStreetMap .osm.pbf, GeoPackage, "
                        "Shapefile...; reprojected to British National Grid if needed): network-kde and gi --units "
                        "segments run on it (default: the shipped Cambridgeshire roads, for data in the county "
                        "only); gi on cells keeps the empty cells near a road")
    g.add_argument("--estimator", default="simple", choices=["simple", "discontinuous", "discontinuous_all_paths"],
                   help="network-kde: simple (kernel of the network distance), discontinuous (Okabe's equal split "
                        "at junctions, along shortest paths) or discontinuous_all_paths (the equal split over every "
                        "path: exact but slow, minutes at large bandwidths); default simple")
    g.add_argument("--max-snap", type=POSITIVE, default=50.0, dest="max_snap", metavar="METRES",
                   help="network-kde and gi --units segments: collisions farther than this from every road are "
                        "reported, not placed "
                        "(default 50)")
    g.add_argument("--distance", type=POSITIVE, metavar="METRES",
                   help="gi: neighbourhood distance band between cell centres (default 3 cells) or between segment "
                        "midpoints, in a straight line, not along the roads (default 3 segment lengths)")
    g.add_argument("--eps", type=POSITIVE, default=50.0, metavar="METRES",
                   help="dbscan: neighbourhood radius (default 50)")
    g.add_argument("--min-samples", type=POSITIVE, default=5.0, dest="min_samples", metavar="N",
                   help="dbscan: collisions within --eps (itself included) that make a core point (default 5)")
    g.add_argument("--permutations", type=NON_NEGATIVE_COUNT, default=999, metavar="N",
                   help="gi: conditional permutations for the pseudo p-values (default 999; 0 = analytic only)")
    g.add_argument("--seed", type=int, default=0, help="gi: random seed for the permutations (default 0)")
    g.add_argument("--weight", metavar="COLUMN",
                   help="weight each collision: a collision column, or 'cost' (DfT value of prevention by severity)")


def _check_out(args: argparse.Namespace) -> None:
    out = getattr(args, "out", None)
    if out and not out.lower().endswith(_OUT_TYPES[args.method]):
        raise UsageError(f"--out for --method {args.method} must end in {' or '.join(_OUT_TYPES[args.method])}")


def check_method_arguments(args: argparse.Namespace) -> None:
    """Usage checks that need no data (call before loading): method, --out type."""
    if args.method not in METHODS or args.method == "sites":
        raise UsageError("run_method handles --method kde, network-kde, gi and dbscan")
    _check_out(args)
    if getattr(args, "units", "cells") == "segments" and args.method != "gi":
        raise UsageError("--units segments applies to --method gi")
    if args.method == "kde" and args.kernel == "triangular":
        raise UsageError("--kernel for kde must be quartic or gaussian")
    if args.permutations < 0:
        raise UsageError("--permutations must be 0 or more")
    if args.roads and not os.path.exists(args.roads):
        raise UsageError(f"--roads: no such file {args.roads}")


def _weight(args: argparse.Namespace) -> Optional[str]:
    return getattr(args, "weight", None)


def _title(ds: Any) -> str:
    return f" ({ds.name})" if getattr(ds, "name", None) else ""


def run_method(args: argparse.Namespace, ds: Any) -> int:
    """Run --method kde, network-kde, gi or dbscan on the loaded dataset; print a summary; write --out."""
    check_method_arguments(args)
    top = int(getattr(args, "top", 20) or 20)
    out = getattr(args, "out", None)
    if args.method == "kde":
        return _kde(args, ds, out)
    if args.method == "network-kde":
        return _network_kde(args, ds, out, top)
    if args.method == "gi":
        return _gi(args, ds, out, top)
    return _dbscan(args, ds, out, top)


def _kde(args: argparse.Namespace, ds: Any, out: Optional[str]) -> int:
    import numpy as np

    from ..hotspots import kde

    cell = args.cell or 50.0
    bandwidth = args.bandwidth or 300.0
    r = kde(ds, cell=cell, bandwidth=bandwidth, kernel=args.kernel, weight=_weight(args), out=out)
    rows, cols = r.shape
    unit = "weight" if _weight(args) else "collisions"
    print(f"Planar kernel density{_title(ds)}: {args.kernel} kernel, bandwidth {bandwidth:g} m, {cols} x {rows} cells "
          f"of {cell:g} m (EPSG:27700)")
    print(f"{r.total_weight:,.0f} {unit} used, {r.skipped:,} without a usable location; peak {np.nanmax(r.density):.1f} "
          f"{unit} per km2")
    if out:
        print(f"written: {out}")
    return 0


def _network_kde(args: argparse.Namespace, ds: Any, out: Optional[str], top: int) -> int:

    from ..hotspots.network_kde import network_kde

    bandwidth = args.bandwidth or 300.0
    r = network_kde(ds, roads=args.roads, lixel=args.lixel, bandwidth=bandwidth, method=args.estimator,
                    kernel=args.kernel, weight=_weight(args), max_snap=args.max_snap)
    n = r.roads.network
    far = int((r.unsnapped["reason"] != "no usable location").sum()) if len(r.unsnapped) else 0
    print(f"Network kernel density{_title(ds)}: {args.estimator} estimator, {args.kernel} kernel, bandwidth "
          f"{bandwidth:g} m along roads, {len(r.lixels):,} lixels of at most {args.lixel:g} m on "
          f"{n.total_length / 1000:,.0f} km "
          f"of road ({r.roads.source})")
    print(f"{len(r.snapped):,} collisions placed on a road; {far:,} more than {args.max_snap:g} m from any road and "
          f"{len(r.unsnapped) - far:,} without a usable location (reported, not placed)")
    best = r.top(top)
    if len(best) and best["density"].iloc[0] > 0:
        shown = best.copy()
        shown["per_km"] = (shown.pop("density") * 1000).round(1)
        shown[["x", "y"]] = shown[["x", "y"]].round(0).astype("int64")
        print(f"Densest lixels (collisions per km of road{', weighted' if _weight(args) else ''}):")
        print(shown.to_string(index=False))
    if out:
        with written_whole(out) as tmp:
            r.to_gpkg(str(tmp), nonzero=True)  # the zero lixels would only repeat the road network: 80 MB for the county
            record_selection(str(tmp), ds)
        print(f"written: {out} (layer lixels: the {int((r.lixels['density'] > 0).sum()):,} lixels with density > 0, "
              f"per metre; layer unsnapped: located collisions not placed on a road)")
    return 0


def _gi(args: argparse.Namespace, ds: Any, out: Optional[str], top: int) -> int:
    import pandas as pd

    if getattr(args, "units", "cells") == "segments":
        return _gi_segments(args, ds, out, top)
    from ..hotspots import gi_star, grid_cells

    cell = args.cell or 500.0
    distance = args.distance or 3 * cell
    weight = _weight(args)
    cells = grid_cells(ds, cell=cell, weight=weight, roads=args.roads)
    r = gi_star(cells, "weighted" if weight else "collisions", distance=distance, permutations=args.permutations,
                seed=args.seed)
    t = r.table
    hot = int((t["hotspot"] == "hot").sum())
    cold = int((t["hotspot"] == "cold").sum())
    perm = f"{args.permutations} permutations, seed {args.seed}" if args.permutations else "analytic p-values"
    print(f"Getis-Ord Gi*{_title(ds)}: {len(t):,} cells of {cell:g} m, neighbours within {distance:g} m, {perm}")
    print(f"{hot:,} hot and {cold:,} cold cells at false discovery rate q <= {r.alpha:g}")
    if hot:
        shown = t[t["hotspot"] == "hot"].sort_values("z", ascending=False).head(top)
        table = pd.DataFrame({
            "x": cells.loc[shown.index, "x"].round(0).astype("int64"),
            "y": cells.loc[shown.index, "y"].round(0).astype("int64"),
            "weighted" if weight else "collisions": shown["value"],
            "z": shown["z"].round(2), "p": shown["p_sim"].round(4), "q": shown["q"].round(4),
        })
        print("Hottest cells (cell centre, BNG metres):")
        print(table.to_string(index=False))
    if out:
        frame = t.drop(columns="geometry") if "geometry" in t.columns else t
        write_result(out, ds, r.to_gpkg,
                     lambda path: frame.assign(x=cells["x"].to_numpy(), y=cells["y"].to_numpy()).to_csv(path, index=False))
    return 0


def _dbscan(args: argparse.Namespace, ds: Any, out: Optional[str], top: int) -> int:
    from ..hotspots import dbscan

    r = dbscan(ds, eps=args.eps, min_samples=args.min_samples, weight=_weight(args))
    lab = r.labels.dropna()
    noise = int((lab == -1).sum())
    print(f"DBSCAN{_title(ds)}: eps {args.eps:g} m, min_samples {args.min_samples:g}: {len(r.clusters):,} clusters; "
          f"{len(lab) - noise:,} collisions clustered, {noise:,} noise, {r.skipped:,} without a usable location")
    if len(r.clusters):
        shown = r.clusters.drop(columns="geometry").sort_values("collisions", ascending=False).head(top).copy()
        shown[["centroid_x", "centroid_y"]] = shown[["centroid_x", "centroid_y"]].round(0).astype("int64")
        print(shown.to_string(index=False))
    if out:
        write_result(out, ds, r.to_gpkg, lambda path: r.clusters.drop(columns="geometry").to_csv(path, index=False))
    return 0


def _gi_segments(args: argparse.Namespace, ds: Any, out: Optional[str], top: int) -> int:
    """Gi* on road segments: counts per segment, neighbours by straight-line distance between midpoints."""

    import numpy as np
    import pandas as pd

    from ..hotspots import gi_star
    from ..hotspots.road_segments import road_segments, write_unsnapped

    length = args.segment_length
    distance = args.distance or 3 * length
    weight = _weight(args)
    segs = road_segments(ds, roads=args.roads, length=length, max_snap=args.max_snap, weight=weight)
    r = gi_star(segs, "weighted" if weight else "collisions", distance=distance, permutations=args.permutations,
                seed=args.seed)
    table = segs.with_gi_star(r)
    far = int((segs.unsnapped["reason"] != "no usable location").sum()) if len(segs.unsnapped) else 0
    hot = int((table["hotspot"] == "hot").sum())
    cold = int((table["hotspot"] == "cold").sum())
    perm = f"{args.permutations} permutations, seed {args.seed}" if args.permutations else "analytic p-values"
    print(f"Getis-Ord Gi*{_title(ds)}: {len(table):,} road segments of at most {length:g} m "
          f"({segs.roads.source}), neighbours within {distance:g} m between midpoints (straight line), {perm}")
    print(f"{len(segs.snapped):,} collisions placed on a road; {far:,} more than {args.max_snap:g} m from any road and "
          f"{len(segs.unsnapped) - far:,} without a usable location (reported, not placed)")
    print(f"{hot:,} hot and {cold:,} cold segments at false discovery rate q <= {r.alpha:g}")
    if hot:
        shown = table[table["hotspot"] == "hot"].sort_values(["z", "value"], ascending=False, kind="stable").head(top)
        cols = {c: shown[c] for c in ("name", "ref", "highway") if c in shown.columns}
        printed = pd.DataFrame({
            "segment_id": shown.index, **cols,
            "x": shown["x"].round(0).astype("int64"), "y": shown["y"].round(0).astype("int64"),
            "length": shown["length"].round(1),
            "weighted" if weight else "collisions": shown["value"],
            # the p the q values come from: the permutation pseudo p, or the two-sided normal p
            "z": shown["z"].round(2), "p": (shown["p_sim"] if args.permutations
                                            else np.minimum(1.0, 2 * shown["p_norm"])).round(4),
            "q": shown["q"].round(4),
        })
        print("Hottest segments (midpoint, BNG metres):")
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(printed.fillna("").to_string(index=False))
    if out:
        if out.lower().endswith(".gpkg"):
            with written_whole(out) as tmp:
                table.reset_index().to_file(tmp, layer="gi_star", driver="GPKG")
                write_unsnapped(segs.unsnapped, str(tmp), "unsnapped")
                record_selection(str(tmp), ds)
            print(f"written: {out} (layer gi_star: one road segment per row with z, p and q; layer unsnapped: "
                  "located collisions not placed on a road)")
        else:
            write_table(out, pd.DataFrame(table.drop(columns="geometry")).reset_index(), index=False)
    return 0

