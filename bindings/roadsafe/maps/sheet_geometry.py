"""Drawing on a map sheet: matplotlib paths from shapes, round scale-bar lengths and grid steps, an extent
fitted to the paper, and numbered labels pushed apart."""
from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np
from matplotlib.path import Path as MplPath


def polygon_path(geom: Any) -> MplPath:
    """A matplotlib path of a (multi)polygon, holes included (for clipping and filling)."""
    polys = list(getattr(geom, "geoms", [geom]))
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            c[0] = MplPath.MOVETO
            c[-1] = MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def line_segments(geoms: Any) -> list[np.ndarray]:
    """Coordinate arrays of every (multi)line, and every polygon ring, in ``geoms`` (vectorised)."""
    import shapely

    arr = np.asarray(getattr(geoms, "values", geoms), dtype=object)
    arr = arr[~shapely.is_missing(arr)]
    arr = arr[~shapely.is_empty(arr)]
    if len(arr) == 0:
        return []
    polygons = np.isin(shapely.get_type_id(arr), [3, 6])
    if polygons.any():
        arr = arr.copy()
        arr[polygons] = shapely.boundary(arr[polygons])
    parts = shapely.get_parts(shapely.get_parts(arr))
    coords, index = shapely.get_coordinates(parts, return_index=True)
    cuts = np.flatnonzero(np.diff(index)) + 1
    return [c for c in np.split(coords, cuts) if len(c) >= 2]


def nice_length(target: float) -> float:
    """The largest of 1, 2, 2.5, 5 x 10^k not above ``target`` (a round scale-bar length)."""
    if target <= 0:
        return 1.0
    k = math.floor(math.log10(target))
    best = 10.0 ** k
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * 10 ** k <= target:
            best = m * 10 ** k
    return best


def length_label(metres: float) -> str:
    """A scale-bar label: "500 m", "2.5 km"."""
    if metres >= 1000:
        km = metres / 1000
        return f"{km:g} km"
    return f"{metres:g} m"


def tick_step(span_m: float) -> float:
    """Grid spacing giving about 4-8 ticks across ``span_m`` (a round number of km or metres)."""
    for step in (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000, 100_000):
        if span_m / step <= 8:
            return float(step)
    return 100_000.0


def place_labels(points: np.ndarray, radius: float, bounds: tuple[float, float, float, float],
                  obstacles: Optional[np.ndarray] = None, iterations: int = 400) -> np.ndarray:
    """Positions (same units as ``points``, here inches on the page) for circles of ``radius`` that do
    not overlap each other, start on their own point and stay near it, and keep clear of ``obstacles``
    (points, e.g. sampled along town names). A few hundred rounds of pairwise repulsion and a weak spring
    back to the point; deterministic."""
    n = len(points)
    pos = points.astype(float).copy()
    if n == 0:
        return pos
    gap = 2.25 * radius
    # Identical points would never separate: spread them on a small circle first, in rank order.
    angles = 2 * np.pi * np.arange(n) / max(n, 1) + np.pi / 4
    pos += 1e-3 * np.column_stack([np.cos(angles), np.sin(angles)])
    x0, y0, x1, y1 = bounds
    for _ in range(iterations):
        moved = False
        d = pos[:, None, :] - pos[None, :, :]
        dist = np.hypot(d[..., 0], d[..., 1])
        np.fill_diagonal(dist, np.inf)
        overlap = np.clip(gap - dist, 0, None)
        if overlap.any():
            moved = True
            safe = np.where(np.isfinite(dist), np.maximum(dist, 1e-9), 1.0)
            push = (d / safe[..., None]) * (overlap[..., None] / 2)
            pos += push.sum(axis=1) * 0.5
        # Keep labels off other sites' points so a leader line never seems to point at the wrong one.
        d2 = pos[:, None, :] - points[None, :, :]
        dist2 = np.hypot(d2[..., 0], d2[..., 1])
        np.fill_diagonal(dist2, np.inf)
        over2 = np.clip(1.1 * radius - dist2, 0, None)
        if over2.any():
            moved = True
            safe2 = np.where(np.isfinite(dist2), np.maximum(dist2, 1e-9), 1.0)
            pos += ((d2 / safe2[..., None]) * over2[..., None]).sum(axis=1) * 0.5
        if obstacles is not None and len(obstacles):
            d3 = pos[:, None, :] - obstacles[None, :, :]
            dist3 = np.maximum(np.hypot(d3[..., 0], d3[..., 1]), 1e-9)
            over3 = np.clip(1.6 * radius - dist3, 0, None)
            if over3.any():
                moved = True
                pos += ((d3 / dist3[..., None]) * over3[..., None]).sum(axis=1) * 0.3
        pos += 0.02 * (points - pos)  # the spring back home
        pos[:, 0] = np.clip(pos[:, 0], x0 + radius, x1 - radius)
        pos[:, 1] = np.clip(pos[:, 1], y0 + radius, y1 - radius)
        if not moved:
            break
    return pos


def fit_extent(ax: Any, bounds: tuple[float, float, float, float], ratio: float) -> tuple[float, float, float, float]:
    """Grow ``bounds`` (never crop them) about their centre to a frame whose height/width on paper is
    ``ratio``, so one metre is the same length both ways; set it as ``ax``'s extent and return it."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if (y1 - y0) / (x1 - x0) < ratio:
        half = (x1 - x0) * ratio / 2
        y0, y1 = cy - half, cy + half
    else:
        half = (y1 - y0) / ratio / 2
        x0, x1 = cx - half, cx + half
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    return (x0, y0, x1, y1)
