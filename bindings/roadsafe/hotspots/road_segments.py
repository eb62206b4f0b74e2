"""Road segments as analysis units: collisions counted on pieces of road, for Gi* and Empirical Bayes.

    import roadsafe as rs
    ds = rs.datasets.cambridgeshire()
    segs = rs.hotspots.road_segments(ds, length=100)    # the shipped Cambridgeshire roads, <= 100 m pieces
    segs.segments                                       # GeoDataFrame: one row per segment, with counts
    segs.unsnapped                                      # collisions not placed on a road, and why
    gi = rs.gi_star(segs, "collisions", distance=300)   # Gi* between segment midpoints (planar distance)
    eb = rs.empirical_bayes(segs, group="road_class", exposure="length")
    segs.with_gi_star(gi).to_file("gi.gpkg")            # segments with z, p, q for QGIS
    segs.to_gpkg("segments.gpkg")                       # the counts, and the collisions not placed

Each edge of the road network (road between two junctions or ends) is cut into
ceil(edge length / ``length``) pieces of equal length, the network KDE's lixels, so every segment is
at most ``length`` metres long and short edges give short segments: compare segments by collisions
per km or give the length as the exposure of Empirical Bayes. Collisions are placed exactly as
``rs.network_kde`` places them: on the nearest road within ``max_snap`` metres; the rest are reported
in ``unsnapped`` with the reason. A collision at a segment boundary belongs to the segment that
starts there (the last segment of an edge keeps its end).

Gi* on segments uses the straight-line (planar) distance between segment midpoints, not network
distance: two segments of roads that cross on a bridge without a junction are neighbours within the
band, and a segment around a bend may be farther than its network distance suggests.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np
import pandas as pd

from .. import _engine
from ..io.fields import SEVERITIES, collision_xy, collisions_of, severity_names
from .weights import collision_weights

if TYPE_CHECKING:
    import geopandas

    from ..io.dataset import Dataset
    from ..geo.roads import Roads

__all__ = ["road_segments", "RoadSegments"]



@dataclass
class RoadSegments:
    """Collisions counted on road segments.

    - ``segments``: GeoDataFrame (EPSG:27700, LineStrings), one row per segment, indexed by
      ``segment_id``: ``edge``, ``start``/``end`` (metres along the edge from its first node),
      ``length``, ``x``/``y`` (the point halfway along the segment), the road's
      ``osm_id``/``name``/``highway``/``ref`` where the source has them, ``road_class`` (OSM highway
      with slip roads, "_link", joined to their road), ``collisions``, ``fatal``,
      ``serious``, ``slight``, ``weighted`` (with a weight) and ``per_km`` (collisions per km of the
      segment's length).
    - ``snapped``: one row per collision placed on a road (row, collision_index, edge, offset,
      distance to the road, snapped x/y and ``segment_id``).
    - ``unsnapped``: one row per collision not placed, with ``reason`` ("no usable location", or
      "farther than max_snap from any road"), ``distance`` to the nearest road where known, and x/y.
    """

    segments: "geopandas.GeoDataFrame"
    snapped: pd.DataFrame
    unsnapped: pd.DataFrame
    length: float
    max_snap: float
    roads: "Roads"
    unit: Optional[str] = None  # what ``weighted`` sums: None without a weight, "weight" or "GBP"

    def __len__(self) -> int:
        return len(self.segments)

    def top(self, n: int = 10, by: str = "collisions") -> pd.DataFrame:
        """The n segments with the most collisions (or the largest ``by`` column), without geometry."""
        cols = [c for c in ("edge", "name", "ref", "highway", "length", "collisions", "fatal", "serious", "slight",
                            "weighted", "per_km", "x", "y") if c in self.segments.columns]
        if by not in cols:
            cols.append(by)
        return pd.DataFrame(self.segments.sort_values([by, "length"], ascending=[False, True], kind="stable")
                            .head(n)[cols])

    def with_gi_star(self, gi: Any) -> "geopandas.GeoDataFrame":
        """The segments with the columns of a Gi* result on them (``rs.gi_star(segs, ...)``): value,
        neighbours, g, expected, variance, z, p_norm, p_sim, q and hotspot, joined on segment_id."""
        table = gi.table if hasattr(gi, "table") else gi
        if not table.index.equals(self.segments.index):
            raise ValueError("the Gi* result is not on these segments (run rs.gi_star on them)")
        return self.segments.join(table.drop(columns=[c for c in ("geometry",) if c in table.columns]))

    def to_gpkg(self, path: Union[str, "os.PathLike[str]"], layer: str = "segments", nonzero: bool = False,
                unsnapped_layer: Optional[str] = "unsnapped") -> str:
        """Write the segments as a GeoPackage layer (``nonzero``: only segments with collisions); the located
        collisions that were not placed on a road go to ``unsnapped_layer`` (points; None to leave them out)."""
        out = self.segments[self.segments["collisions"] > 0] if nonzero else self.segments
        out.reset_index().to_file(os.fspath(path), layer=layer, driver="GPKG")
        write_unsnapped(self.unsnapped, path, unsnapped_layer)
        return os.fspath(path)

    def __repr__(self) -> str:
        s = self.segments
        far = int((self.unsnapped["reason"] != "no usable location").sum()) if len(self.unsnapped) else 0
        no_loc = len(self.unsnapped) - far
        busy = int((s["collisions"] > 0).sum())
        head = (f"RoadSegments: {len(s):,} segments of <= {self.length:g} m on {self.roads.network.edge_count:,} edges "
                f"({s['length'].sum() / 1000:,.0f} km), {busy:,} with collisions\n"
                f"  {len(self.snapped):,} collisions placed (<= {self.max_snap:g} m from a road), {far:,} farther "
                f"from any road (reported), {no_loc:,} without a usable location")
        top = self.top(5)
        if len(top) and top["collisions"].iloc[0] > 0:
            shown = top.drop(columns=[c for c in ("x", "y") if c in top.columns]).round({"length": 1, "per_km": 1})
            with pd.option_context("display.width", 160, "display.max_columns", 20):
                head += "\n" + shown.to_string()
        return head


def write_unsnapped(unsnapped: pd.DataFrame, path: Any, layer: Optional[str]) -> None:
    """Write the collisions too far from every road as a point layer beside the result (GeoPackage)."""
    import geopandas as gpd

    far = unsnapped[np.isfinite(unsnapped["x"].to_numpy(dtype=float))]
    if layer and len(far):
        points = gpd.GeoDataFrame(far.drop(columns=["x", "y"]), crs="EPSG:27700",
                                  geometry=gpd.points_from_xy(far["x"], far["y"]))
        points.to_file(os.fspath(path), layer=layer, driver="GPKG")


def segment_of(edge: np.ndarray, offset: np.ndarray, lixel_edge: np.ndarray, lixel_start: np.ndarray) -> np.ndarray:
    """The segment (lixel) holding each point given by its edge and offset along it; -1 where edge < 0.
    Segments are half-open [start, end) except the last of each edge, which keeps its end.

    Lixels are numbered edge by edge and by start within an edge, so sorting the segment starts and
    the points together by (edge, offset), starts first on ties, puts each point right after the start
    of its own segment: the running maximum of the segment numbers seen so far is its segment."""
    edge = np.asarray(edge, dtype=np.int64)
    offset = np.asarray(offset, dtype=float)
    ok = np.flatnonzero(edge >= 0)
    n = len(lixel_edge)
    keys_edge = np.concatenate([np.asarray(lixel_edge, dtype=np.int64), edge[ok]])
    keys_pos = np.concatenate([np.asarray(lixel_start, dtype=float), np.maximum(offset[ok], 0.0)])
    kind = np.concatenate([np.zeros(n, dtype=np.int8), np.ones(len(ok), dtype=np.int8)])
    order = np.lexsort((kind, keys_pos, keys_edge))
    label = np.concatenate([np.arange(n, dtype=np.int64), np.full(len(ok), -1, dtype=np.int64)])[order]
    running = np.maximum.accumulate(label) if len(label) else label
    seg_sorted = np.empty(len(order), dtype=np.int64)
    seg_sorted[order] = running
    out = np.full(len(edge), -1, dtype=np.int64)
    out[ok] = seg_sorted[n:]
    return out


def road_segments(
    ds: Union["Dataset", pd.DataFrame],
    roads: Any = None,
    length: float = 100,
    max_snap: float = 50,
    weight: Any = None,
    layer: Optional[str] = None,
    threads: int = 0,
) -> RoadSegments:
    """Collisions counted on road segments of at most ``length`` metres (see the module docstring).

    ``roads``: None (the shipped Cambridgeshire network), a path / list of paths GDAL can read, a
    GeoDataFrame of lines, or a ``Roads`` from ``rs.read_roads`` (the same argument as ``rs.network_kde``).
    ``max_snap`` (metres): collisions farther from every road are reported in ``unsnapped``.
    ``weight``: an array, a column name or "cost" (DfT value of prevention by severity): adds ``weighted``.
    Counts add up: ``segments.collisions.sum() == len(snapped)`` and
    ``len(snapped) + len(unsnapped) == len(ds.collisions)``. The result does not depend on ``threads``."""
    import geopandas as gpd
    import shapely
    from ..geo.roads import roads_for

    if not (isinstance(length, (int, float)) and np.isfinite(length) and length > 0):
        raise ValueError(f"length must be a positive number of metres, got {length!r}")
    if not (isinstance(max_snap, (int, float)) and max_snap >= 0):
        raise ValueError(f"max_snap must be a non-negative number of metres, got {max_snap!r}")
    df = collisions_of(ds)
    x, y, _ = collision_xy(df)
    r = roads_for(x, y, roads, layer=layer)
    net = r.network
    w = collision_weights(df, weight)

    snap = _engine.network.snap_points(net, x, y, max_distance=float(max_snap), threads=int(threads))
    lx = _engine.network.make_lixels(net, float(length))
    lixel_edge, lixel_start = lx.edge, lx.start
    status = snap["status"]
    placed = np.flatnonzero(status == 0)
    seg = segment_of(snap["edge"][placed], snap["offset"][placed], lixel_edge, lixel_start)

    n = len(lx)
    table = pd.DataFrame({"edge": lixel_edge, "start": lixel_start, "end": lx.end})
    table["length"] = table["end"] - table["start"]
    table["x"] = lx.mid_x
    table["y"] = lx.mid_y
    line_of_edge = net.edge_line[lixel_edge]
    for c in r.lines.columns:
        if c != "fid":
            table[c] = r.lines[c].to_numpy()[line_of_edge]
    if "highway" in table.columns:  # slip roads go with their road: a reference group for Empirical Bayes
        table["road_class"] = table["highway"].str.removesuffix("_link")
    table["collisions"] = np.bincount(seg, minlength=n).astype(np.int64)
    sev = severity_names(df)[placed]
    for s in SEVERITIES:
        table[s] = np.bincount(seg[sev == s], minlength=n).astype(np.int64)
    if w is not None:
        table["weighted"] = np.bincount(seg, weights=w[placed], minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["per_km"] = np.where(table["length"] > 0, table["collisions"] * 1000.0 / table["length"], np.nan)
    table.index = pd.RangeIndex(n, name="segment_id")

    gx, gy, goff = _engine.network.lixel_geometry(net, lx)
    geometry = shapely.linestrings(np.column_stack([gx, gy]), indices=np.repeat(np.arange(n), np.diff(goff)))
    segments = gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:27700")

    ids = df["collision_index"].to_numpy() if "collision_index" in df.columns else np.arange(len(df))
    snapped = pd.DataFrame({"row": placed, "collision_index": ids[placed], "edge": snap["edge"][placed],
                            "offset": snap["offset"][placed], "distance": snap["distance"][placed],
                            "x": snap["x"][placed], "y": snap["y"][placed], "segment_id": seg})
    missed = np.flatnonzero(status != 0)
    reasons = np.select([status[missed] == 1, status[missed] == 2],
                        ["no usable location", f"farther than {max_snap:g} m from any road"], "the network has no road")
    unsnapped = pd.DataFrame({"row": missed, "collision_index": ids[missed], "reason": reasons,
                              "distance": snap["distance"][missed], "x": x[missed], "y": y[missed]})
    unit = None if weight is None else "GBP" if isinstance(weight, str) and weight == "cost" else "weight"
    return RoadSegments(segments=segments, snapped=snapped, unsnapped=unsnapped, length=float(length),
                        max_snap=float(max_snap), roads=r, unit=unit)
