"""Cutting an area and a period out of a Dataset: a police force, highway authority, district, any polygon.

    wy = ds.select(police_force="West Yorkshire")
    leeds = ds.select(local_authority_district="Leeds", start="2019-01-01", end="2023-12-31")
    mine = ds.select(area="our_boundary.gpkg")                   # any polygon, any CRS

``choose`` finds the collisions; ``Dataset.select`` keeps them with their vehicles and casualties, carries
the load report and records what was chosen (``ds.selection``, the repr, the report's footnote).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import numpy as np
import pandas as pd

from .. import errors
from . import area_names
from .area_names import AreaChoice, Query
from .fields import collision_xy

Queries = Union[Query, list, None]


def _matches(collisions: pd.DataFrame, choice: AreaChoice) -> np.ndarray:
    values = collisions[choice.field]
    if isinstance(values.dtype, pd.CategoricalDtype):  # test the few categories, not every row
        hit = np.array([str(c) in choice.values for c in values.cat.categories] + [False])
        codes = values.cat.codes.to_numpy()
        return hit[np.where(codes < 0, len(hit) - 1, codes)]
    return values.astype(str).isin(choice.values).to_numpy()


def _field_mask(collisions: pd.DataFrame, queries: Union[Query, list], kind: str) -> tuple[np.ndarray, AreaChoice]:
    """Rows whose area field matches, and what was chosen. Districts are matched on DfT's district
    numbers and on ONS district codes, whichever the records carry."""
    columns = {"police force": ["police_force"], "highway authority": ["local_authority_highway"],
               "district": ["local_authority_district", "local_authority_ons_district"]}[kind]
    present = [c for c in columns if c in collisions.columns]
    if not present:
        raise errors.InvalidInputError(
            f"these records carry no {' or '.join(columns)} column, so they cannot be selected by {kind}; "
            "select by area= with a boundary instead", column=columns[0])
    mask = np.zeros(len(collisions), dtype=bool)
    chosen: Optional[AreaChoice] = None
    failure: Optional[errors.InvalidInputError] = None
    for column in present:
        try:
            if kind == "police force":
                choice = area_names.police_force(queries)
            elif kind == "highway authority":
                choice = area_names.highway_authority(queries)
            else:
                choice = area_names.district(queries, ons=column == "local_authority_ons_district")
        except errors.InvalidInputError as e:
            failure = failure or e
            continue
        mask |= _matches(collisions, choice)
        chosen = chosen or choice
    if chosen is None:
        assert failure is not None
        raise failure
    return mask, chosen


def _area_geometry(area: Any) -> tuple[Any, str]:
    """One (multi)polygon in EPSG:27700 and its name, from a GeoDataFrame / GeoSeries (any CRS), a
    shapely geometry (taken to be in EPSG:27700) or a vector file GDAL reads."""
    import geopandas as gpd
    import shapely

    name = "the given area"
    if isinstance(area, (str, os.PathLike)):
        path = os.fspath(area)
        if not os.path.exists(path) and not path.startswith("/vsi"):
            raise errors.RoadsafeIOError(f"area file not found: {path}", file=path)
        try:
            area = gpd.read_file(path)
        except Exception as e:  # pyogrio's DataSourceError and friends: name the file
            raise errors.RoadsafeIOError(f"cannot read area file {path}: {e}", file=path) from None
        name = os.path.splitext(os.path.basename(path))[0]
    if isinstance(area, (gpd.GeoDataFrame, gpd.GeoSeries)):
        geoms = area.geometry if isinstance(area, gpd.GeoDataFrame) else area
        if geoms.crs is not None:
            geoms = geoms.to_crs(27700)
        geom = shapely.union_all(shapely.make_valid(geoms.to_numpy()))
    elif isinstance(area, shapely.Geometry):
        geom = shapely.make_valid(area)
    else:
        raise errors.InvalidInputError(
            f"area must be a GeoDataFrame, a GeoSeries, a shapely geometry or a vector file, not {type(area).__name__}")
    if geom.is_empty or shapely.get_type_id(geom) not in (3, 6, 7):  # polygon, multipolygon, collection
        raise errors.InvalidInputError(f"area has no polygon to select with ({geom.geom_type})")
    return geom, name


def _area_mask(collisions: pd.DataFrame, geom: Any) -> tuple[np.ndarray, int]:
    """Collisions inside the polygon (its boundary included), and how many could not be placed."""
    import shapely

    x, y, unplaced = collision_xy(collisions)
    located = np.isfinite(x)
    shapely.prepare(geom)
    inside = np.zeros(len(x), dtype=bool)
    inside[located] = shapely.intersects_xy(geom, x[located], y[located])
    return inside, unplaced


def _timestamp(value: Any, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise errors.InvalidInputError(f"{name} must be a date (YYYY-MM-DD), got {value!r}", value=str(value)) from None
    if ts is pd.NaT:
        raise errors.InvalidInputError(f"{name} must be a date (YYYY-MM-DD), got {value!r}", value=str(value))
    return ts


@dataclass
class Selection:
    """What ``choose`` found: ``keep`` (a mask over the collisions), ``lines`` (what was chosen, a line
    each), ``names`` (the areas' names), ``areas`` (the areas chosen by code or name), ``polygon`` (the
    ``area=`` polygon in EPSG:27700) and ``period`` (start, end; None where open)."""

    keep: np.ndarray
    lines: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    areas: list[AreaChoice] = field(default_factory=list)
    polygon: Any = None
    period: tuple[Optional[pd.Timestamp], Optional[pd.Timestamp]] = (None, None)


def choose(collisions: pd.DataFrame, police_force: Queries = None, highway_authority: Queries = None,
           local_authority_district: Queries = None, area: Any = None, start: Any = None,
           end: Any = None) -> Selection:
    """Which collisions are in the chosen area and period (``Dataset.select`` cuts the Dataset with it).

    ``police_force``, ``highway_authority``, ``local_authority_district``: a code or a name, or a list of
    them (see ``roadsafe.io.area_names``). ``area``: a polygon in any CRS (GeoDataFrame, GeoSeries, a
    vector file) or a shapely geometry in EPSG:27700; collisions without a usable location cannot be
    placed and are left out (counted in the note). ``start`` / ``end``: dates, both included. Criteria
    combine: a collision must meet them all."""
    chosen = Selection(keep=np.ones(len(collisions), dtype=bool))
    for queries, kind in ((police_force, "police force"), (highway_authority, "highway authority"),
                          (local_authority_district, "district")):
        if queries is not None:
            mask, choice = _field_mask(collisions, queries, kind)
            chosen.keep &= mask
            chosen.lines.append(choice.label)
            chosen.names.append(choice.name)
            chosen.areas.append(choice)
    if area is not None:
        chosen.polygon, name = _area_geometry(area)
        mask, unplaced = _area_mask(collisions, chosen.polygon)
        chosen.keep &= mask
        chosen.lines.append(f"area {name}" + (f" ({unplaced:,} collisions without a usable location could not be "
                                              "placed)" if unplaced else ""))
        chosen.names.append(name)
    if start is not None or end is not None:
        dates = pd.to_datetime(collisions["date"])
        first = _timestamp(start, "start") if start is not None else None
        last = _timestamp(end, "end") if end is not None else None
        if first is not None and last is not None and last < first:
            raise errors.InvalidInputError(f"end {last:%Y-%m-%d} is before start {first:%Y-%m-%d}")
        if first is not None:
            chosen.keep &= (dates >= first).to_numpy()
        if last is not None:
            chosen.keep &= (dates < last + pd.Timedelta(days=1)).to_numpy()
        chosen.period = (first, last)
        chosen.lines.append(f"dates {f'{first:%-d %B %Y}' if first is not None else 'the start'} to "
                            f"{f'{last:%-d %B %Y}' if last is not None else 'the end'}")
    return chosen
