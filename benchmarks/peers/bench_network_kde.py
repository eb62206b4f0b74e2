"""Network KDE benchmark: all 12,108 Cambridgeshire collisions on the shipped county road network,
with the time of each step, and the same simple estimator written with networkx on a subset,
checked equal first.

    python benchmarks/peers/bench_network_kde.py [--repeat 3] [--subset 1000] [--bandwidths 300 1000] [--all-paths]

Steps timed (best of --repeat): read (GDAL, the shipped GeoPackage), topology (nodes at shared
vertices, edges), snapping (R-tree, 50 m), lixels (20 m), density (one bounded Dijkstra per
collision; simple and discontinuous), and making the lixel GeoDataFrame (shapely geometries) that
``rs.network_kde`` returns. Also: reading the raw OSM extract (8 GeoJSON sequences, WGS84,
reprojected, deduplicated on osm_id) the shipped network was made from.

There is no Python NKDE package to compare with (spNetwork is R; ``pip install nkde`` finds no
such package), so the peer is a straightforward networkx version of the same simple estimator on a
seeded sample of the collisions:
``single_source_dijkstra_path_length`` with a cutoff from both ends of each collision's edge, then
the kernel of the shortest distance at the midpoint of every lixel on every edge reached. Its
densities on the subset must equal roadsafe's (relative 1e-9) before any time is printed.
"""
from __future__ import annotations

import argparse
import glob
import os
import warnings

import numpy as np


def networkx_simple_nkde(net, lixels, edge, offset, h):
    """The simple estimator with networkx: distances by Dijkstra with a cutoff, quartic kernel."""
    import networkx as nx

    ef, et, el = net.edge_from, net.edge_to, net.edge_length
    g = nx.Graph()
    for a, b, length in zip(ef.tolist(), et.tolist(), el.tolist()):
        if a == b:
            continue
        if not g.has_edge(a, b) or g[a][b]["length"] > length:
            g.add_edge(a, b, length=length)
    incident: dict[int, list[int]] = {}
    for f, (a, b) in enumerate(zip(ef.tolist(), et.tolist())):
        incident.setdefault(a, []).append(f)
        if b != a:
            incident.setdefault(b, []).append(f)
    lix_edge = lixels.edge
    order = np.argsort(lix_edge, kind="stable")
    first = np.searchsorted(lix_edge[order], np.arange(len(el) + 1))
    mids = ((lixels.start + lixels.end) / 2)
    density = np.zeros(len(mids))
    c = 15.0 / (16.0 * h)
    for e, t in zip(edge.tolist(), offset.tolist()):
        a0, b0, length = int(ef[e]), int(et[e]), float(el[e])
        dist: dict[int, float] = {}
        for node, start in ((a0, t), (b0, length - t)):
            if start >= h:
                continue
            reached = nx.single_source_dijkstra_path_length(g, node, cutoff=h - start, weight="length")
            for v, d in reached.items():
                if start + d < dist.get(v, np.inf):
                    dist[v] = start + d
        edges = {e}
        for v in dist:
            edges.update(incident.get(v, ()))
        for f in edges:
            da, db, lf = dist.get(int(ef[f]), np.inf), dist.get(int(et[f]), np.inf), float(el[f])
            for j in order[first[f]:first[f + 1]]:
                m = mids[j]
                d = min(da + m, db + lf - m)
                if f == e:
                    d = min(d, abs(m - t))
                if d < h:
                    u = d / h
                    density[j] += c * (1 - u * u) ** 2
    return density


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--subset", type=int, default=1000, help="collisions for the networkx comparison")
    ap.add_argument("--bandwidths", type=float, nargs="+", default=[300.0, 1000.0])
    ap.add_argument("--all-paths", action="store_true",
                    help="also time method discontinuous_all_paths (exact Okabe; about a minute at 300 m)")
    ap.add_argument("--osm", default="/work/shared/datasets/geo", help="folder of the raw OSM GeoJSON sequences")
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import roadsafe as rs
    from roadsafe import _engine
    from roadsafe.benchmark_data import best_of
    from roadsafe.io.fields import collision_xy

    ds = rs.datasets.cambridgeshire()
    x, y, _ = collision_xy(ds.collisions)
    path = str(rs.datasets.data_path("geo", "cambridgeshire_roads.gpkg"))
    N = _engine.network
    t_read, lines = best_of(a.repeat, lambda: N.read_road_lines([path], layer="roads",
                                                                fields=["osm_id", "name", "highway", "ref"]))
    t_topo, net = best_of(a.repeat, lambda: N.build_road_network(lines))
    t_snap, snap = best_of(a.repeat, lambda: N.snap_points(net, x, y, max_distance=50.0))
    t_lix, lix = best_of(a.repeat, lambda: N.make_lixels(net, 20.0))
    placed = int((snap["status"] == 0).sum())
    print(f"Cambridgeshire: {len(x):,} collisions ({placed:,} within 50 m of a road), {len(lines):,} road lines -> "
          f"{net.nodes:,} nodes, {net.edge_count:,} edges, {net.total_length / 1000:,.0f} km, "
          f"{len(lix):,} lixels of <= 20 m")
    print(f"  read {t_read:.3f} s, topology {t_topo:.3f} s, snapping {t_snap:.3f} s, lixels {t_lix:.3f} s")
    length = lix.end - lix.start
    for h in a.bandwidths:
        methods = ["simple", "discontinuous"]
        if a.all_paths and h == a.bandwidths[0]:
            methods.append("discontinuous_all_paths")
        for method in methods:
            t, d = best_of(1 if method == "discontinuous_all_paths" else a.repeat,
                           lambda: N.network_kde(net, lix, snap["edge"], snap["offset"], bandwidth=h, method=method))
            print(f"  density {method:23s} bandwidth {h:5.0f} m: {t:.3f} s "
                  f"({t / max(placed, 1) * 1e6:.1f} us per collision); "
                  f"integral {float((d * length).sum()):,.0f} of {placed:,}")
    t_api, res = best_of(a.repeat, lambda: rs.network_kde(ds, roads=path))
    print(f"  rs.network_kde end to end (read, topology, snapping, lixels, density, GeoDataFrame): {t_api:.3f} s; "
          f"steps {', '.join(f'{k} {v:.3f}' for k, v in res.timings.items())}")
    parts = sorted(glob.glob(os.path.join(a.osm, "streets-cambridgeshire-part-*.geojson")))
    if parts:
        t_osm, raw = best_of(1, lambda: N.read_road_lines(parts, fields=["osm_id", "name", "highway"],
                                                          unique_field="osm_id"))
        print(f"  raw OSM extract: {len(parts)} GeoJSON sequences, {raw.features_read:,} features, "
              f"{len(raw):,} unique ways, "
              f"read + reprojected from WGS84 in {t_osm:.2f} s")

    # networkx peer on a subset
    h = 300.0
    rng = np.random.default_rng(0)  # a seeded sample of the placed collisions, in file order
    placed_rows = np.flatnonzero(snap["status"] == 0)
    keep = np.sort(rng.choice(placed_rows, size=min(a.subset, len(placed_rows)), replace=False))
    edge, offset = snap["edge"][keep], snap["offset"][keep]
    t_rs, d_rs = best_of(a.repeat,
                         lambda: N.network_kde(net, lix, edge, offset, bandwidth=h, method="simple", threads=1))
    t_nx, d_nx = best_of(1, lambda: networkx_simple_nkde(net, lix, edge, offset, h))
    scale = d_rs.max()
    err = float(np.max(np.abs(d_rs - d_nx)) / scale)
    assert err < 1e-9, f"networkx densities differ: {err}"
    print(f"networkx peer, simple quartic NKDE, {len(keep):,} collisions, bandwidth {h:g} m, max relative difference "
          f"{err:.1e}: roadsafe (1 thread) {t_rs:.4f} s, networkx {t_nx:.2f} s ({t_nx / t_rs:,.0f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
