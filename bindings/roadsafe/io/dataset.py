"""The Dataset: STATS19 collisions, vehicles and casualties as pandas DataFrames, with the load report."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Optional

import numpy as np
import pandas as pd

from .. import errors
from .columns import to_dataframe
from .coverage import Spans, cut_spans, file_spans, merge_spans
from .load_report import LoadReport
from .area_names import AreaChoice
from .selection import Selection, choose

if TYPE_CHECKING:  # geopandas is imported only when a GeoDataFrame is asked for
    import geopandas

_TABLES = ("collisions", "vehicles", "casualties")


class Dataset:
    """STATS19 collisions, vehicles and casualties, joined by row index, with the load report.

    Columns carry the DfT data guide's field names; coded fields are labelled categoricals; numeric
    columns are views of the engine's buffers. ``vehicles.collision_row`` and
    ``casualties.collision_row`` / ``vehicle_row`` give the row of the parent record. Every table has
    ``source_file`` and ``source_line``; collisions have ``location_status`` (ok, missing,
    placeholder, outside_gb): only ``ok`` locations have coordinates.
    """

    def __init__(self, engine_dataset, name: str = "") -> None:
        self._engine = engine_dataset
        self._frames: dict[str, pd.DataFrame] = {}
        self.name = name
        self.report = LoadReport(engine_dataset)
        #: What this Dataset was cut down to from the loaded rows (area, period), one line each.
        self.selection: list[str] = []
        #: The areas chosen by code or name (most recent last), and the polygon chosen with area=, if any.
        self.areas: list[AreaChoice] = []
        self.area_polygon: Any = None
        self._coverage: Optional[Spans] = None

    @classmethod
    def from_frames(cls, collisions: pd.DataFrame, vehicles: Optional[pd.DataFrame] = None,
                    casualties: Optional[pd.DataFrame] = None, name: str = "") -> "Dataset":
        """A Dataset of tables filtered (or built) in pandas, e.g. ``ds.collisions[ds.collisions.speed_limit == 20]``.

        The joins are rebuilt on ``collision_index`` (and ``vehicle_reference`` for casualties); vehicles
        and casualties whose collision is not among ``collisions`` are left out and counted in the
        report. Every function that takes a Dataset takes the result."""
        if "collision_index" not in collisions.columns:
            raise errors.SchemaMismatchError("collisions need a collision_index column to join vehicles and "
                                             "casualties to", column="collision_index")
        repeated = collisions["collision_index"].duplicated()
        if repeated.any():
            first = collisions["collision_index"][repeated].iloc[0]
            raise errors.InvalidInputError(f"collision_index {first} appears more than once among the collisions",
                                           column="collision_index", value=str(first))
        col = collisions.reset_index(drop=True)
        position = pd.Index(col["collision_index"])
        frames = {"collisions": col}
        notes = []
        for table, frame in (("vehicles", vehicles), ("casualties", casualties)):
            if frame is None or len(frame.columns) == 0:
                frames[table] = pd.DataFrame()
                continue
            rows = position.get_indexer(frame["collision_index"])
            if (rows < 0).any():
                notes.append(f"{int((rows < 0).sum()):,} {table} left out: their collision is not among the collisions")
            frame = frame[rows >= 0].reset_index(drop=True)
            frame["collision_row"] = pd.array(rows[rows >= 0], dtype="Int32")
            frames[table] = frame
        cas, veh = frames["casualties"], frames["vehicles"]
        if len(cas) and len(veh) and {"vehicle_reference"} <= set(cas.columns) & set(veh.columns):
            keys = pd.MultiIndex.from_frame(veh[["collision_index", "vehicle_reference"]].astype(str))
            at = keys.get_indexer(pd.MultiIndex.from_frame(cas[["collision_index", "vehicle_reference"]].astype(str)))
            cas["vehicle_row"] = pd.array(np.where(at >= 0, at, 0), dtype="Int32")
            cas.loc[at < 0, "vehicle_row"] = pd.NA
        ds = cls._of_frames(frames, name, LoadReport.of_frames({t: len(f) for t, f in frames.items()}))
        ds.report.selection = notes
        return ds

    @classmethod
    def _of_frames(cls, frames: dict[str, pd.DataFrame], name: str, report: LoadReport) -> "Dataset":
        ds = cls.__new__(cls)
        ds._engine = None
        ds._frames = frames
        ds.name = name
        ds.report = report
        ds.selection = []
        ds.areas = []
        ds.area_polygon = None
        ds._coverage = None
        return ds

    def select(self, police_force: Any = None, highway_authority: Any = None, local_authority_district: Any = None,
               area: Any = None, start: Any = None, end: Any = None) -> "Dataset":
        """The collisions in an area and period, with their vehicles and casualties, the load report carried
        and what was chosen recorded: ``ds.select(police_force="West Yorkshire", start="2019-01-01")``.

        ``police_force``, ``highway_authority``, ``local_authority_district``: a code or a name, or a list of
        them ("West Yorkshire", 13, "E23000010"; "Kent", "E10000016"; "Leeds", 204, "E08000035").
        ``area``: a polygon in any CRS (GeoDataFrame, GeoSeries, a vector file) or a shapely geometry in
        EPSG:27700. ``start`` / ``end``: dates, both included. See ``roadsafe.io.selection.choose``."""
        return self.subset(choose(self.collisions, police_force=police_force, highway_authority=highway_authority,
                                  local_authority_district=local_authority_district, area=area, start=start, end=end))

    def subset(self, chosen: Selection) -> "Dataset":
        """The collisions ``chosen.keep`` marks with their vehicles and casualties (joins renumbered), the
        load report carried, what was chosen recorded, named after the chosen areas."""
        keep = np.asarray(chosen.keep, dtype=bool)
        new_row = np.cumsum(keep) - 1  # a kept collision's new row
        frames = {"collisions": self.collisions[keep].reset_index(drop=True)}
        kept_vehicles: Optional[np.ndarray] = None
        for table in ("vehicles", "casualties"):
            frame = self._table(table)
            if len(frame.columns) == 0 or "collision_row" not in frame.columns:
                frames[table] = frame
                continue
            rows = frame["collision_row"].to_numpy(dtype=np.int64, na_value=-1)
            inside = rows >= 0
            inside[inside] = keep[rows[inside]]
            out = frame[inside].reset_index(drop=True)
            out["collision_row"] = pd.array(new_row[rows[inside]], dtype="Int32")
            if table == "vehicles":
                kept_vehicles = inside
            elif "vehicle_row" in out.columns and kept_vehicles is not None:
                vrow = out["vehicle_row"].to_numpy(dtype=np.int64, na_value=-1)
                renumbered = np.cumsum(kept_vehicles) - 1
                ok = vrow >= 0
                out["vehicle_row"] = pd.array(np.where(ok, renumbered[np.where(ok, vrow, 0)], 0), dtype="Int32")
                out.loc[~ok, "vehicle_row"] = pd.NA
            frames[table] = out
        lines = [*chosen.lines, f"{int(keep.sum()):,} of {len(keep):,} collisions"]
        ds = type(self)._of_frames(frames, ", ".join(chosen.names) or self.name, self.report.selected(lines))
        ds.selection = [*self.selection, *lines]
        ds.areas = [*self.areas, *chosen.areas]
        ds.area_polygon = chosen.polygon if chosen.polygon is not None else self.area_polygon
        ds._coverage = cut_spans(self.coverage, *chosen.period)  # a period chosen is covered only within it
        return ds

    @property
    def coverage(self) -> Spans:
        """The days the records cover, as (first, last) spans: each collision file's first to last
        collision date unless stated (``ds.coverage = [("2015-01-01", "2016-12-31")]``, e.g. for an export
        known to run to the end of a month with no collisions in its last days). Counts outside it are
        "no data", never zero."""
        if self._coverage is None:
            self._coverage = file_spans(self.collisions)
        return self._coverage

    @coverage.setter
    def coverage(self, spans: Any) -> None:
        self._coverage = merge_spans(spans)

    def _table(self, table: str) -> pd.DataFrame:
        if table not in self._frames:
            self._frames[table] = to_dataframe(self._engine.columns(table))
        return self._frames[table]

    @property
    def collisions(self) -> pd.DataFrame:
        """One row per collision."""
        return self._table("collisions")

    @property
    def vehicles(self) -> pd.DataFrame:
        """One row per vehicle; ``collision_row`` is the row of its collision."""
        return self._table("vehicles")

    @property
    def casualties(self) -> pd.DataFrame:
        """One row per casualty; ``collision_row`` and ``vehicle_row`` join it to its collision and vehicle."""
        return self._table("casualties")

    def to_geodataframe(self, table: Literal["collisions"] = "collisions", crs: int = 27700) -> "geopandas.GeoDataFrame":
        """The collisions as points in British National Grid (``crs=27700``, metres) or WGS84 (``crs=4326``).

        Collisions without a usable location (``location_status`` not ``ok``) keep an empty geometry.
        """
        import geopandas as gpd

        if table != "collisions":
            raise ValueError("only collisions have locations")
        df = self.collisions
        if crs == 27700:
            x, y = df["location_easting_osgr"], df["location_northing_osgr"]
        elif crs == 4326:
            x, y = df["longitude"], df["latitude"]
        else:
            raise ValueError(f"crs must be 27700 (British National Grid) or 4326 (WGS84), not {crs!r}")
        points = gpd.points_from_xy(x, y, crs=f"EPSG:{crs}")
        points[x.isna().to_numpy() | y.isna().to_numpy()] = None
        return gpd.GeoDataFrame(df, geometry=points, crs=f"EPSG:{crs}")

    def rows(self, table: str) -> int:
        """Number of rows of a table ("collisions", "vehicles" or "casualties")."""
        if self._engine is None:
            return len(self._frames[table])
        return int(self._engine.rows(table))

    def __repr__(self) -> str:
        counts = ", ".join(f"{self.rows(t):,} {t}" for t in _TABLES)
        span = ""
        if self.rows("collisions"):
            dates = self.collisions["date"].dropna()
            if len(dates):
                span = f"; {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
        name = f" {self.name}" if self.name else ""
        selected = f"; selected: {'; '.join(self.selection)}" if self.selection else ""
        return (f"<roadsafe.Dataset{name}: {counts}{span}{selected}; load report: {self.report.rows_loaded:,} of "
                f"{self.report.rows_read:,} rows loaded, {self.report.entry_count:,} entries>")


