"""Planar kernel density of collisions on a British National Grid raster (GeoTIFF out)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np
import pandas as pd

from .. import _engine
from ..geo.boundaries import area_geography
from ..io.fields import collision_xy, collisions_of
from .weights import collision_weights

if TYPE_CHECKING:
    from ..io.dataset import Dataset


@dataclass
class KdeResult:
    """A density grid: ``density`` (rows x cols, row 0 at the north edge) in collisions (or weight)
    per square kilometre; cell (col, row) has its centre at (x0 + (col + .5) cell, y1 - (row + .5) cell)."""

    density: np.ndarray
    x0: float
    y1: float
    cell: float
    bandwidth: float
    kernel: str
    total_weight: float
    skipped: int
    path: Optional[str] = None

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.density.shape[0]), int(self.density.shape[1]))

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell-centre coordinates (x per column, y per row)."""
        rows, cols = self.shape
        return self.x0 + (np.arange(cols) + 0.5) * self.cell, self.y1 - (np.arange(rows) + 0.5) * self.cell

    def to_geotiff(self, path: str) -> str:
        """Write the grid as a Float64 GeoTIFF in EPSG:27700 through GDAL (whole, or nothing under ``path``)."""
        from ..io.output_files import written_whole

        with written_whole(path) as tmp:
            _engine.hotspots.write_geotiff(str(tmp), self.density, self.x0, self.y1, self.cell, 27700,
                                           f"{self.kernel} KDE, bandwidth {self.bandwidth:g} m, per km2")
        self.path = str(path)
        return self.path

    def to_dataframe(self, nonzero: bool = True) -> pd.DataFrame:
        """One row per cell centre (x, y, density)."""
        xs, ys = self.centres()
        gx, gy = np.meshgrid(xs, ys)
        df = pd.DataFrame({"x": gx.ravel(), "y": gy.ravel(), "density": self.density.ravel()})
        return df[df["density"] > 0].reset_index(drop=True) if nonzero else df

    def __repr__(self) -> str:
        rows, cols = self.shape
        where = f", written to {self.path}" if self.path else ""
        return (f"KdeResult: {self.kernel} kernel, bandwidth {self.bandwidth:g} m, {cols} x {rows} cells of "
                f"{self.cell:g} m from ({self.x0:.0f}, {self.y1 - rows * self.cell:.0f}) to "
                f"({self.x0 + cols * self.cell:.0f}, {self.y1:.0f}) EPSG:27700; peak {np.nanmax(self.density):.3g} per km2; "
                f"total weight {self.total_weight:g}; {self.skipped:,} skipped (no usable location){where}")


def kde(
    ds: Union["Dataset", pd.DataFrame],
    cell: float = 50,
    bandwidth: float = 300,
    kernel: str = "quartic",
    weight: Any = None,
    out: Optional[str] = None,
    margin: Optional[float] = None,
    gaussian_cutoff: float = 8.0,
    threads: int = 0,
    within: Any = "area",
) -> KdeResult:
    """Planar kernel density of collisions on a grid of ``cell`` metres covering them (plus
    ``margin``, default one bandwidth; three for the Gaussian kernel), in collisions (or weight)
    per km². Kernels integrate to 1, so the grid integrates to the total weight.

    - "quartic": 3/(pi h^2) (1 - d^2/h^2)^2 within h (the QGIS heatmap / spatstat convention).
    - "gaussian": 1/(2 pi h^2) exp(-d^2 / 2h^2), cut at ``gaussian_cutoff`` h (default 8: each
      point's neglected tail is below 1e-14 of its peak). Relation to
      scikit-learn: density = 1e6 * sum(w) * exp(KernelDensity(bandwidth=h).fit(X, sample_weight=w).score_samples(centres)).
    ``weight``: an array, a column name or "cost" (DfT value of prevention by severity).
    ``within``: the cells kept -- "area" (those touching the area the data are of: the selection, or the
    force area or GB land they reach, see ``roadsafe.geo.area_geography``; never the sea), a shapely
    polygon in EPSG:27700, or None for the whole grid; the others are NaN (no density, not zero).
    ``out``: a GeoTIFF path (EPSG:27700) to write."""
    import geopandas as gpd
    import shapely

    df = collisions_of(ds)
    x, y, skipped = collision_xy(df)
    w = collision_weights(df, weight)
    if margin is None:
        margin = bandwidth * (3.0 if kernel == "gaussian" else 1.0)
    r = _engine.hotspots.kde(x, y, w, cell=float(cell), bandwidth=float(bandwidth), kernel=kernel,
                             margin=float(margin), gaussian_cutoff=float(gaussian_cutoff), threads=int(threads))
    total = float(np.nansum(w[np.isfinite(x)]) if w is not None else np.isfinite(x).sum())
    density = r["density"] * 1e6
    area = area_geography(ds).outline if isinstance(within, str) and within == "area" else within
    if isinstance(area, gpd.GeoDataFrame):
        area = shapely.union_all(area.geometry.to_numpy()) if len(area) else None
    if area is not None:  # a cell is kept when its centre lies within half a diagonal of the area
        near = area.buffer(float(r["cell"]) * 0.7072)
        shapely.prepare(near)
        rows, cols = density.shape
        cx = float(r["x0"]) + (np.arange(cols) + 0.5) * float(r["cell"])
        cy = float(r["y1"]) - (np.arange(rows) + 0.5) * float(r["cell"])
        gx, gy = np.meshgrid(cx, cy)
        density = np.where(shapely.intersects_xy(near, gx, gy), density, np.nan)
    res = KdeResult(density=density, x0=float(r["x0"]), y1=float(r["y1"]), cell=float(r["cell"]),
                    bandwidth=float(bandwidth), kernel=kernel, total_weight=total, skipped=skipped)
    if out is not None:
        res.to_geotiff(out)
    return res
