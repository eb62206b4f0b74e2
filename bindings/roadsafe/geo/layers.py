"""Map layers in British National Grid: the shipped county layers (boundaries, roads, towns) and the
user's own layers read through GDAL."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

import pandas as pd

from .. import errors
from ..io.data_files import DATA_DIR

if TYPE_CHECKING:
    import geopandas

#: British National Grid, the CRS every layer is drawn in.
BNG = "EPSG:27700"


def shipped_geo_file(name: str) -> Optional[Path]:
    """A file of the shipped geography (data/geo), or None when it is not installed."""
    path = DATA_DIR / "geo" / name
    return path if path.exists() else None


_CACHE: dict[str, Any] = {}


def shipped_boundaries(layer: str) -> Optional["geopandas.GeoDataFrame"]:
    """The shipped districts / county polygons (EPSG:27700), or None when the data is not installed."""
    key = f"boundaries:{layer}"
    if key not in _CACHE:
        import geopandas as gpd

        path = shipped_geo_file("cambridgeshire_boundaries.gpkg")
        _CACHE[key] = None if path is None else gpd.read_file(path, layer=layer).to_crs(BNG)
    return _CACHE[key]


def shipped_roads(bbox: tuple[float, float, float, float]) -> Optional["geopandas.GeoDataFrame"]:
    """Shipped roads crossing ``bbox`` (EPSG:27700), or None when the data is not installed."""
    import geopandas as gpd

    path = shipped_geo_file("cambridgeshire_roads.gpkg")
    if path is None:
        return None
    roads = gpd.read_file(path, layer="roads", bbox=bbox)
    return roads.to_crs(BNG) if roads.crs is not None else roads.set_crs(BNG)


def shipped_roads_near(top_sites: pd.DataFrame, within: float = 200.0) -> Optional["geopandas.GeoDataFrame"]:
    """Shipped roads near the given sites (for naming them), whatever the map's extent."""
    if len(top_sites) == 0:
        return None
    x, y = top_sites["centroid_x"], top_sites["centroid_y"]
    return shipped_roads((float(x.min() - within), float(y.min() - within), float(x.max() + within), float(y.max() + within)))


def shipped_towns() -> Optional[pd.DataFrame]:
    path = shipped_geo_file("cambridgeshire_towns.csv")
    return None if path is None else pd.read_csv(path)


def read_layer(path: Union[str, Path]) -> "geopandas.GeoDataFrame":
    """A user layer read through GDAL (any vector format it knows), reprojected to EPSG:27700.
    A file without a coordinate system is taken to be in EPSG:27700 already."""
    import geopandas as gpd

    p = Path(path)
    if not p.exists():
        raise errors.RoadsafeIOError(f"map layer file not found: {p}", file=str(p))
    try:
        gdf = gpd.read_file(p)
    except Exception as e:  # pyogrio's DataSourceError and friends: name the file for the user
        raise errors.RoadsafeIOError(f"cannot read map layer {p}: {e}", file=str(p)) from None
    if gdf.crs is None:
        return gdf.set_crs(BNG)
    return gdf.to_crs(BNG)


def describe_geopackage(path: Union[str, Path], text: str) -> None:
    """Set the description of every layer of a GeoPackage (``gpkg_contents.description``, which GIS show as
    the layer's description): where an output says what it was made from."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(str(path))) as db, db:
        db.execute("UPDATE gpkg_contents SET description = ?", (text,))
