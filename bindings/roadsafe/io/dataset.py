"""The Dataset: STATS19 collisions, vehicles and casualties as pandas DataFrames, and its load report."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Optional

import pandas as pd

from .columns import to_dataframe

if TYPE_CHECKING:  # geopandas is imported only when a GeoDataFrame is asked for
    import geopandas

_TABLES = ("collisions", "vehicles", "casualties")


class LoadReport:
    """What a load did with every input row.

    ``files``: one row per input file (table, file generation, rows read / loaded / rejected / duplicate).
    ``entries``: one row per problem, with file, line, table, column, value, reason and outcome
    (row rejected, value set missing, row loaded and flagged, duplicate not loaded, column not loaded).
    """

    def __init__(self, engine_dataset) -> None:
        self.files = pd.DataFrame(
            engine_dataset.report_files,
            columns=["file", "table", "generation", "rows_read", "rows_loaded", "rows_rejected", "rows_duplicate"])
        self.entries = pd.DataFrame(
            engine_dataset.report_entries,
            columns=["file", "line", "table", "column", "value", "reason", "outcome"])
        self.coordinate_transformation: str = engine_dataset.coordinate_transformation

    @property
    def rows_read(self) -> int:
        return int(self.files.rows_read.sum())

    @property
    def rows_loaded(self) -> int:
        return int(self.files.rows_loaded.sum())

    @property
    def rows_rejected(self) -> int:
        return int(self.files.rows_rejected.sum())

    def summary(self) -> pd.DataFrame:
        """Problems counted by outcome, table, column and reason."""
        if self.entries.empty:
            return pd.DataFrame(columns=["outcome", "table", "column", "reason", "count", "first_line"])
        g = self.entries.groupby(["outcome", "table", "column", "reason"], sort=False)
        return g.agg(count=("line", "size"), first_line=("line", "min")).reset_index()

    def __str__(self) -> str:
        lines = ["Load report"]
        for f in self.files.itertuples():
            lines.append(f"  {f.file}: {f.table} file ({f.generation}): {f.rows_read:,} rows read, "
                         f"{f.rows_loaded:,} loaded, {f.rows_rejected:,} rejected, {f.rows_duplicate:,} duplicate")
        if self.coordinate_transformation:
            lines.append(f"  coordinates filled with PROJ: {self.coordinate_transformation}")
        s = self.summary()
        if len(s):
            lines.append("  problems:")
            for r in s.itertuples():
                lines.append(f"    {r.count:>6,} x {r.outcome}: {r.table}.{r.column}: {r.reason} (first at line {r.first_line})")
        else:
            lines.append("  no problems")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<LoadReport: {len(self.files)} file(s), {self.rows_read:,} rows read, {self.rows_loaded:,} loaded, "
                f"{self.rows_rejected:,} rejected, {len(self.entries):,} entries>")

    def _repr_html_(self) -> str:
        return f"<pre>{str(self)}</pre>"


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


def read_stats19(paths, profile: Optional[str] = None, strict: bool = False, threads: int = 0,
                 progress: Optional[bool] = None) -> Dataset:
    """Read STATS19 files of any DfT generation, or a local export through a mapping profile.

    ``paths``: one path or a list (plain CSV, ``.zip`` of CSVs, ``.gz``, or an http(s) URL). Collision,
    vehicle and casualty files are recognised from their headers and can be mixed; pre-2021
    (``Accident_Index``), 2021–2023 (``accident_index``) and 2024+ (``collision_index``) headers are all
    read. A collision, vehicle or casualty seen twice is loaded once and reported.
    ``profile``: a mapping profile path or the name of a shipped one (``"cambridgeshire_insight"``).
    ``strict``: raise on the first problem instead of reporting it.
    ``progress``: show a progress bar (default: when the input is larger than 50 MB).
    """
    import os

    from .. import _engine
    from .progress import progress_callback
    from .datasets import profile_path

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [os.fspath(p) for p in paths]
    profile_file = profile_path(profile) if profile else ""
    with progress_callback(paths, progress) as callback:
        engine_dataset = _engine.read_stats19(paths, profile_file, strict, threads, callback)
    return Dataset(engine_dataset)
