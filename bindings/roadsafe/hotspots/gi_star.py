"""Getis-Ord Gi* on cells or road segments, with permutation p-values and FDR q-values."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import pandas as pd

from .. import _engine
from .road_segments import RoadSegments


@dataclass
class GiStarResult:
    """Getis-Ord Gi* per unit: ``table`` holds g, expected, variance, z, p_norm (esda's one-sided
    normal tail of |z|), p_sim (folded permutation pseudo p), q (Benjamini-Hochberg of p_sim, or of
    2 p_norm without permutations) and ``hotspot`` ("hot" / "cold" / "" at q <= alpha)."""

    table: pd.DataFrame
    distance: Optional[float]
    k: Optional[int]
    permutations: int
    seed: int
    alpha: float

    def __repr__(self) -> str:
        hot = int((self.table["hotspot"] == "hot").sum())
        cold = int((self.table["hotspot"] == "cold").sum())
        w = f"distance band {self.distance:g} m" if self.distance is not None else f"{self.k} nearest"
        perm = f"{self.permutations} permutations (seed {self.seed})" if self.permutations else "analytic only"
        head = (f"GiStarResult: {len(self.table):,} units, {w} (self included), {perm}; "
                f"{hot} hot and {cold} cold at FDR q <= {self.alpha:g}")
        cols = [c for c in ("value", "g", "z", "p_sim", "q", "hotspot") if c in self.table.columns]
        return head + "\n" + self.table.sort_values("z", ascending=False)[cols].head(10).to_string()

    def to_gpkg(self, path: str, layer: str = "gi_star") -> None:
        """Write the units with g, z, p and q as a GeoPackage layer (needs units given as a GeoDataFrame)."""
        if not hasattr(self.table, "geometry") or "geometry" not in self.table.columns:
            raise ValueError("the units have no geometry: pass a GeoDataFrame (e.g. rs.hotspots.grid_cells(ds)) to gi_star")
        self.table.to_file(path, layer=layer, driver="GPKG")


def gi_star(
    coords_or_units: Any,
    values: Any = None,
    distance: Optional[float] = None,
    k: Optional[int] = None,
    permutations: int = 999,
    seed: int = 0,
    transform: str = "B",
    alpha: float = 0.05,
    threads: int = 0,
) -> GiStarResult:
    """Getis-Ord Gi* on units given as an (n, 2) array of BNG coordinates, a DataFrame with x/y
    columns, a GeoDataFrame (centroids), or road segments (``rs.hotspots.road_segments``: their
    midpoints, with planar distances between them, not network distances). ``values``: an array,
    or a column name of the units (default "collisions"). Weights: binary distance band (``distance`` metres, inclusive) or
    ``k`` nearest, each unit included in its own neighbourhood. ``transform="R"`` row-standardises.
    Ties at the k-th distance are broken by unit order; libpysal's KNN breaks them in its kd-tree's
    order, so on a regular lattice the two can pick different neighbours (and z values).
    z equals ``esda.G_Local(values, w, transform, star=True).Zs`` on the same weights. Permutation
    pseudo p-values (esda's folded p_sim) are seeded (``seed``) and do not depend on ``threads``; each unit
    draws its permutations from its own random stream, so the p-values of different units are independent
    (esda reuses one set of permutations for every unit)."""
    frame: Optional[pd.DataFrame] = None
    if isinstance(coords_or_units, RoadSegments):
        coords_or_units = coords_or_units.segments
    if isinstance(coords_or_units, pd.DataFrame):
        frame = coords_or_units
        if "geometry" in frame.columns and hasattr(frame, "geometry") and not {"x", "y"} <= set(frame.columns):
            cen = frame.geometry.centroid
            xy = np.column_stack([cen.x.to_numpy(), cen.y.to_numpy()])
        else:
            xy = frame[["x", "y"]].to_numpy(dtype=float)
        if values is None:
            values = "collisions"
        if isinstance(values, str):
            values = frame[values]
    else:
        xy = np.asarray(coords_or_units, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ValueError("coords_or_units must be an (n, 2) array of BNG coordinates or a (Geo)DataFrame")
    if values is None:
        raise ValueError("values are required with a coordinate array")
    v = np.asarray(values, dtype=float)
    if v.shape != (len(xy),):
        raise ValueError(f"values must have one value per unit ({len(xy)}), got shape {v.shape}")
    if (distance is None) == (k is None):
        raise ValueError("give exactly one of distance= (metres) and k= (nearest neighbours)")
    r = _engine.hotspots.gi_star(np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1]), v,
                                 distance=None if distance is None else float(distance),
                                 k=None if k is None else int(k), transform=transform,
                                 permutations=int(permutations), seed=int(seed), threads=int(threads))
    q = r["q_sim"] if permutations else r["q_norm"]
    table = pd.DataFrame({
        "value": v, "neighbours": r["neighbours"].astype(np.int64), "g": r["g"], "expected": r["expected"],
        "variance": r["variance"], "z": r["z"], "p_norm": r["p_norm"], "p_sim": r["p_sim"], "q": q,
    }, index=frame.index if frame is not None else None)
    table["hotspot"] = np.where(q <= alpha, np.where(r["z"] > 0, "hot", "cold"), "")
    if frame is not None and hasattr(frame, "geometry") and "geometry" in frame.columns:
        import geopandas as gpd

        table = gpd.GeoDataFrame(table, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return GiStarResult(table=table, distance=distance, k=k, permutations=int(permutations), seed=int(seed),
                        alpha=alpha)
