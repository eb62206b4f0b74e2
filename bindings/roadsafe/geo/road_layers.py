"""The user's road network as a map layer: OS Open Roads, OpenStreetMap or any line layer, in one vocabulary.

Every road layer becomes lines in EPSG:27700 with ``name``, ``ref`` ("A14") and ``highway`` (the
OpenStreetMap classes the map styles: motorway, trunk, primary, secondary, tertiary, unclassified).
OS Open Roads (``road_link``: ``road_classification``, ``road_classification_number``, ``name_1``,
``trunk_road``) and OpenStreetMap (``.osm`` / ``.osm.pbf`` through GDAL's OSM driver, or any layer with
``highway``) are recognised; anything else is read through ``fields``:
``{"name": "ROADNAME", "ref": "ROADNUMBER", "class": "ROADCLASS"}`` with classes in words ("Motorway",
"A Road", "B Road", ...).
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any, Optional

import numpy as np
import pandas as pd

from .. import errors
from .layers import BNG

if TYPE_CHECKING:
    import geopandas

# Road classes in words (OS Open Roads, OS MasterMap, DfT) -> the OpenStreetMap class the map styles.
_CLASS_WORDS = [
    (re.compile(r"^motorway|^m\d", re.I), "motorway"),
    (re.compile(r"^a\s*road|^a\(m\)|^a$|^a\d|^primary|^trunk", re.I), "primary"),
    (re.compile(r"^b\s*road|^b$|^b\d|^secondary", re.I), "secondary"),
    (re.compile(r"^classified unnumbered|^c\s*road|^c$|^tertiary", re.I), "tertiary"),
]
_OSM_REF = re.compile(r'"ref"=>"([^"]*)"')


def _osm_ref(other_tags: Any) -> Optional[str]:
    """The ``ref`` of GDAL's OSM ``other_tags`` ('"ref"=>"A14","maxspeed"=>"70 mph"')."""
    found = _OSM_REF.search(other_tags) if isinstance(other_tags, str) else None
    return found.group(1) if found else None


def _highway_from_words(values: pd.Series) -> np.ndarray:
    out = np.full(len(values), "unclassified", dtype=object)
    text = values.astype(object).where(values.notna(), "").astype(str).to_numpy()
    for pattern, cls in reversed(_CLASS_WORDS):  # the first pattern that matches wins
        hit = np.array([bool(pattern.search(s)) for s in text], dtype=bool)
        out[hit] = cls
    return out


def _text(gdf: "geopandas.GeoDataFrame", column: Optional[str]) -> pd.Series:
    if column is None or column not in gdf.columns:
        return pd.Series([None] * len(gdf), index=gdf.index, dtype=object)
    values = gdf[column].astype(object)
    return values.where(values.notna() & (values.astype(str).str.strip() != ""), None)


def _first_present(gdf: "geopandas.GeoDataFrame", *names: str) -> Optional[str]:
    lower = {c.lower(): c for c in gdf.columns}
    return next((lower[n] for n in names if n in lower), None)


def standard_roads(gdf: "geopandas.GeoDataFrame", fields: Optional[dict[str, str]] = None,
                   source: str = "the road layer") -> "geopandas.GeoDataFrame":
    """Road lines in EPSG:27700 with ``name``, ``ref`` and ``highway``, from OS Open Roads, OpenStreetMap
    or a layer described by ``fields`` (see the module docstring)."""
    import geopandas as gpd

    if gdf.crs is not None and gdf.crs.to_epsg() != 27700:
        gdf = gdf.to_crs(BNG)
    fields = dict(fields or {})
    if "highway" in gdf.columns and not fields:  # OpenStreetMap
        name, highway = _text(gdf, "name"), gdf["highway"].astype(object).to_numpy()
        ref = _text(gdf, "ref") if "ref" in gdf.columns else _text(gdf, "other_tags").map(_osm_ref)
    else:
        cls = fields.get("class") or _first_present(gdf, "road_classification", "class", "roadclassification")
        ref_col = fields.get("ref") or _first_present(gdf, "road_classification_number", "roadnumber", "ref")
        name_col = fields.get("name") or _first_present(gdf, "name_1", "name1", "roadname1", "name")
        if cls is None or cls not in gdf.columns:
            raise errors.SchemaMismatchError(
                f"{source}: no road class found among its columns ({', '.join(map(str, gdf.columns[:20]))}); "
                "give fields={'class': ..., 'ref': ..., 'name': ...} naming its columns", file=source)
        highway = _highway_from_words(gdf[cls])
        trunk = _first_present(gdf, "trunk_road")
        if trunk is not None:
            is_trunk = gdf[trunk].astype(str).str.lower().isin(["true", "1", "yes"]).to_numpy()
            highway = np.where(is_trunk & (highway == "primary"), "trunk", highway)
        name, ref = _text(gdf, name_col), _text(gdf, ref_col)
    out = gpd.GeoDataFrame({"name": name.to_numpy(), "ref": ref.to_numpy(), "highway": highway},
                           geometry=gdf.geometry.to_numpy(), crs=gdf.crs or BNG)
    return out[out.geom_type.isin(["LineString", "MultiLineString"])].reset_index(drop=True)


def read_road_layer(roads: Any, bbox: tuple[float, float, float, float], fields: Optional[dict[str, str]] = None,
                    layer: Optional[str] = None, lines_only: bool = False) -> "geopandas.GeoDataFrame":
    """The user's roads crossing ``bbox`` (BNG metres), from a file GDAL reads or a GeoDataFrame, in the
    standard vocabulary (``standard_roads``); with ``lines_only`` just the lines in EPSG:27700, whatever
    the layer's fields."""
    import geopandas as gpd
    import shapely

    if isinstance(roads, gpd.GeoDataFrame):
        frame = roads if roads.crs is not None else roads.set_crs(BNG)
        x0, y0, x1, y1 = bbox
        frame = frame.to_crs(BNG).cx[x0:x1, y0:y1]
        return frame[["geometry"]] if lines_only else standard_roads(frame, fields, "the road GeoDataFrame")
    path = os.fspath(roads)
    if not os.path.exists(path) and not path.startswith("/vsi"):
        raise errors.RoadsafeIOError(f"road network file not found: {path}", file=path)
    if layer is None and path.lower().endswith((".osm", ".pbf")):
        layer = "lines"  # GDAL's OSM driver: ways as lines
    area = gpd.GeoSeries([shapely.box(*bbox)], crs=BNG)  # reprojected to the file's CRS by the reader
    try:
        frame = gpd.read_file(path, layer=layer, bbox=area)
    except Exception as e:  # pyogrio's DataSourceError and friends: name the file
        raise errors.RoadsafeIOError(f"cannot read road network {path}: {e}", file=path) from None
    if frame.crs is None:
        frame = frame.set_crs(BNG)
    return frame[["geometry"]].to_crs(BNG) if lines_only else standard_roads(frame, fields, path)
