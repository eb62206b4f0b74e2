"""Collisions counted on square British National Grid cells: the units Gi* and Empirical Bayes rank."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

import numpy as np
import pandas as pd

from ..geo.boundaries import area_geography
from ..geo.road_layers import read_road_layer
from ..io.fields import collision_xy, collisions_of
from .weights import collision_weights

if TYPE_CHECKING:
    import geopandas

    from ..io.dataset import Dataset


def _near_a_road(counts: pd.DataFrame, cell: float, roads: Any) -> np.ndarray:
    """Whether each cell (indexed by col, row) touches a road: a road within half a diagonal of its centre."""
    import shapely

    c = counts.index.get_level_values("col").to_numpy()
    r = counts.index.get_level_values("row").to_numpy()
    box = (float(c.min() * cell), float(r.min() * cell), float((c.max() + 1) * cell), float((r.max() + 1) * cell))
    lines = read_road_layer(roads, box, lines_only=True)
    near = np.zeros(len(counts), dtype=bool)
    if len(lines):
        centres = shapely.points((c + 0.5) * cell, (r + 0.5) * cell)
        hits = shapely.STRtree(lines.geometry.to_numpy()).query(centres, predicate="dwithin", distance=cell * 0.7072)
        near[hits[0]] = True
    return near


def grid_cells(ds: Union["Dataset", pd.DataFrame], cell: float = 500, weight: Any = None,
               include_empty: bool = True, within: Any = "area", roads: Any = None) -> "geopandas.GeoDataFrame":
    """Collisions counted on square BNG cells of ``cell`` metres (edges on multiples of ``cell``):
    a GeoDataFrame of cells (polygons) with ``x``, ``y`` (centres), ``collisions`` and, with
    ``weight``, ``weighted``. With ``include_empty`` the empty cells are there too: those of the
    data's rectangle that touch ``within`` -- "area" (the area the data are of: the selection, or the
    force area or GB land they reach, see ``roadsafe.geo.area_geography``; never the sea), a shapely
    polygon in EPSG:27700, or None for the whole rectangle -- and, given ``roads`` (a road file GDAL
    reads or a GeoDataFrame of lines), a road. Cells holding collisions are always kept."""
    import geopandas as gpd
    import shapely

    df = collisions_of(ds)
    x, y, _ = collision_xy(df)
    ok = np.isfinite(x)
    col = np.floor(x[ok] / cell).astype(np.int64)
    row = np.floor(y[ok] / cell).astype(np.int64)
    w = collision_weights(df, weight)
    frame = pd.DataFrame({"col": col, "row": row, "collisions": 1})
    if w is not None:
        frame["weighted"] = w[ok]
    counts = frame.groupby(["col", "row"]).sum()
    if include_empty and len(counts):
        cols = np.arange(col.min(), col.max() + 1)
        rows = np.arange(row.min(), row.max() + 1)
        full = pd.MultiIndex.from_product([cols, rows], names=["col", "row"])
        counts = counts.reindex(full, fill_value=0)
        area = area_geography(ds).outline if isinstance(within, str) and within == "area" else within
        if isinstance(area, gpd.GeoDataFrame):
            area = shapely.union_all(area.geometry.to_numpy()) if len(area) else None
        if area is not None:  # a cell touches the area when its centre lies within half a diagonal of it
            near = area.buffer(cell * 0.7072)
            shapely.prepare(near)
            c = counts.index.get_level_values("col").to_numpy()
            r = counts.index.get_level_values("row").to_numpy()
            counts = counts[shapely.intersects_xy(near, (c + 0.5) * cell, (r + 0.5) * cell)
                            | (counts["collisions"].to_numpy() > 0)]
        if roads is not None:
            counts = counts[_near_a_road(counts, cell, roads) | (counts["collisions"].to_numpy() > 0)]
    counts = counts.reset_index()
    counts["x"] = (counts["col"] + 0.5) * cell
    counts["y"] = (counts["row"] + 0.5) * cell
    geom = shapely.box(counts["col"] * cell, counts["row"] * cell, (counts["col"] + 1) * cell,
                       (counts["row"] + 1) * cell)
    return gpd.GeoDataFrame(counts, geometry=geom, crs="EPSG:27700")
