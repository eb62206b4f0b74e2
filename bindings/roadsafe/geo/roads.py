"""Road networks: lines from any GDAL source or a GeoDataFrame, in EPSG:27700, with their topology built."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

import numpy as np
import pandas as pd

from .. import _engine, errors
from ..io.data_files import data_path

if TYPE_CHECKING:
    import geopandas

__all__ = ["read_roads", "Roads", "ROAD_FIELDS"]


#: Road attributes carried onto the lixels when the source has them.
ROAD_FIELDS = ("osm_id", "name", "highway", "ref")


@dataclass
class Roads:
    """A road network ready for network KDE: the engine's graph, the attributes of each source line
    (``lines``: fid and the ``ROAD_FIELDS`` present) and the features that gave no line (``skipped``)."""

    network: Any  # roadsafe._engine.network.RoadNetwork
    lines: pd.DataFrame
    skipped: pd.DataFrame
    source: str
    timings: dict[str, float] = field(default_factory=dict)

    def __repr__(self) -> str:
        n = self.network
        return (f"Roads: {n.nodes:,} nodes, {n.edge_count:,} edges, {n.total_length / 1000:,.0f} km "
                f"from {self.source}; "
                f"{len(self.lines):,} lines, {len(self.skipped):,} features skipped")


def _shipped_roads_path() -> str:
    return str(data_path("geo", "cambridgeshire_roads.gpkg"))


_SHIPPED: dict[str, Roads] = {}


def read_roads(roads: Any = None, layer: Optional[str] = None, unique_field: Optional[str] = None,
               snap: float = 0.01) -> Roads:
    """Read a road network and build its topology.

    ``roads``: None (the shipped Cambridgeshire network, EPSG:27700, cached after the first call),
    a path or a list of paths GDAL can read (GeoPackage, Shapefile, GeoJSON, GeoJSON sequences,
    FlatGeobuf...; reprojected to EPSG:27700 when their CRS differs), or a GeoDataFrame of
    (Multi)LineStrings (reprojected likewise; one without a CRS is taken to be in EPSG:27700). ``unique_field`` drops later features repeating a value (e.g. "osm_id" for
    OSM extracts split into overlapping parts). Nodes are placed at line ends and at vertices two
    lines share after rounding to ``snap`` metres (where OSM ways cross at a shared node)."""
    if roads is None:
        key = f"{layer}|{unique_field}|{snap}"
        if key not in _SHIPPED:
            _SHIPPED[key] = read_roads(_shipped_roads_path(), layer=layer or "roads", unique_field=unique_field,
                                       snap=snap)
            _SHIPPED[key].source = "the shipped Cambridgeshire network (OSM, ODbL)"
        return _SHIPPED[key]
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if _is_geodataframe(roads):
        lines, skipped, source = _lines_from_geodataframe(roads)
    else:
        paths = [os.fspath(p) for p in roads] if isinstance(roads, (list, tuple)) else [os.fspath(roads)]
        if layer is None and all(p.lower().endswith((".osm", ".pbf")) for p in paths):
            layer = "lines"  # GDAL's OSM driver: ways as lines
        for p in paths:
            if not (os.path.exists(p) or p.startswith(("/vsi", "GeoJSONSeq:"))):
                raise FileNotFoundError(f"no road network file {p}")
        lines = _engine.network.read_road_lines(paths, layer=layer or "", fields=list(ROAD_FIELDS),
                                                unique_field=unique_field or "")
        skipped = pd.DataFrame(lines.skipped, columns=["source", "fid", "reason"])
        source = ", ".join(paths)
    timings["read"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine_lines = lines.engine_lines if isinstance(lines, _GdfLines) else lines
    network = _engine.network.build_road_network(engine_lines, snap=float(snap))
    timings["topology"] = time.perf_counter() - t0
    table = pd.DataFrame({"fid": lines.fid})
    for name in lines.field_names:
        values = lines.field(name)
        if any(values):
            table[name] = pd.array(values, dtype=object)
            table.loc[table[name] == "", name] = None
    for line, reason in network.skipped:
        skipped.loc[len(skipped)] = [source, int(lines.fid[line]), reason]
    return Roads(network=network, lines=table, skipped=skipped, source=source, timings=timings)


def _is_geodataframe(obj: Any) -> bool:
    return isinstance(obj, pd.DataFrame) and hasattr(obj, "geometry") and "geometry" in getattr(obj, "columns", [])


def _lines_from_geodataframe(gdf: "geopandas.GeoDataFrame") -> tuple[Any, pd.DataFrame, str]:
    import shapely

    if gdf.crs is not None and gdf.crs.to_epsg() != 27700:
        gdf = gdf.to_crs(27700)
    geoms = gdf.geometry.to_numpy()
    types = shapely.get_type_id(geoms)
    ok = np.isin(types, [1, 5]) & ~shapely.is_empty(geoms)  # LineString, MultiLineString
    bad = np.flatnonzero(~ok)
    reasons = ["empty geometry" if g is None or shapely.is_empty(g) else f"not a line: {g.geom_type}"
               for g in geoms[bad]]
    skipped = pd.DataFrame({"source": "GeoDataFrame", "fid": bad.astype(np.int64), "reason": reasons})
    rows = np.flatnonzero(ok)
    parts, part_row = shapely.get_parts(geoms[rows], return_index=True)
    coords, vertex_part = shapely.get_coordinates(parts, return_index=True)
    counts = np.bincount(vertex_part, minlength=len(parts))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    lines = _engine.network.RoadLines.from_arrays(np.ascontiguousarray(coords[:, 0]),
                                                  np.ascontiguousarray(coords[:, 1]), offsets)
    return _GdfLines(lines, gdf, rows[part_row]), skipped, "GeoDataFrame"


class _GdfLines:
    """RoadLines from a GeoDataFrame, answering fid and field look-ups from the frame's columns."""

    def __init__(self, lines: Any, gdf: "geopandas.GeoDataFrame", line_row: np.ndarray) -> None:
        self.engine_lines = lines
        self.fid = line_row.astype(np.int64)
        self.field_names = [c for c in ROAD_FIELDS if c in gdf.columns]
        self._values = {c: gdf[c].to_numpy(dtype=object)[line_row] for c in self.field_names}

    def field(self, name: str) -> list[str]:
        return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in self._values[name]]


# The shipped network's extent (Cambridgeshire & Peterborough, BNG metres) with a kilometre's margin.
_SHIPPED_EXTENT = (500_957.0, 235_166.0, 572_835.0, 318_875.0)


def roads_for(x: np.ndarray, y: np.ndarray, roads: Any = None, layer: Optional[str] = None) -> Roads:
    """The road network for collisions at (x, y): ``roads`` when given (see ``read_roads``), else the
    shipped Cambridgeshire network -- only when the located collisions lie in the county. Elsewhere that
    network would leave almost every collision "far from any road", so it is an error that says where
    to get roads."""
    if isinstance(roads, Roads):
        return roads
    if roads is None:
        ok = np.isfinite(x) & np.isfinite(y)
        x0, y0, x1, y1 = _SHIPPED_EXTENT
        outside = int((ok & ~((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))).sum())
        if outside > 0.05 * max(int(ok.sum()), 1):
            raise errors.InvalidInputError(
                f"{outside:,} of {int(ok.sum()):,} located collisions lie outside Cambridgeshire & Peterborough, "
                "the only area whose roads roadsafe ships: give a road network (roads= / --roads FILE), e.g. OS "
                "Open Roads (free GeoPackage from the Ordnance Survey: https://osdatahub.os.uk/downloads/open/"
                "OpenRoads) or an OpenStreetMap extract (.osm.pbf, e.g. from https://download.geofabrik.de)")
    return read_roads(roads, layer=layer)
