"""The Dataset: STATS19 collisions, vehicles and casualties as pandas DataFrames, with the load report."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd

from .columns import to_dataframe
from .load_report import LoadReport

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
        return int(self._engine.rows(table))

    def __repr__(self) -> str:
        counts = ", ".join(f"{self.rows(t):,} {t}" for t in _TABLES)
        span = ""
        if self.rows("collisions"):
            dates = self.collisions["date"].dropna()
            if len(dates):
                span = f"; {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
        name = f" {self.name}" if self.name else ""
        return (f"<roadsafe.Dataset{name}: {counts}{span}; load report: {self.report.rows_loaded:,} of "
                f"{self.report.rows_read:,} rows loaded, {len(self.report.entries):,} entries>")


