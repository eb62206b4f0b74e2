"""Reference sites for a safety performance function: yearly collision counts at untreated sites.

Two kinds, each giving one row per site and calendar year (``site``, ``year``, ``collisions``, ``exposure`` =
km^2 of site times the share of the year the records cover):
- ``network_cells``: the area's road network as square cells of the same area as a point scheme's buffer
  (side sqrt(pi) r) that a road passes through, each of a kind: the class of its most important road and whether
  two differently named roads meet in it (a junction), as a scheme's site is; cells near a
  scheme left out; ``max_cells`` of them at most, drawn with a seed. Cells come from the roads, not from the
  collisions: cells chosen for holding a collision would leave out the network's many zeros and bias the
  prediction up and the over-dispersion down;
- ``buffered_sites``: the user's own reference sites (points, lines or polygons), buffered like the schemes.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..io.coverage import Spans, covered_days


def point_tree(x: np.ndarray, y: np.ndarray) -> Any:
    """A k-d tree of points, for ``near_pairs`` to search many times."""
    from scipy.spatial import cKDTree

    return cKDTree(np.column_stack([x, y]), balanced_tree=False, compact_nodes=False)  # quicker to build


def near_pairs(geoms: Any, x: np.ndarray, y: np.ndarray, radius: float,
               tree: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """(geometry index, point index) of every point within ``radius`` metres of each geometry (exact distance
    to points, lines and polygons, interiors included). ``tree``: ``point_tree(x, y)`` when already built.

    Points are found in a k-d tree of the points (distance to a point geometry is exact there); for lines and
    polygons the tree gives the points near the geometry's bounding box and shapely keeps those within radius."""
    import shapely

    g = np.asarray(geoms, dtype=object)
    if len(g) == 0 or len(x) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    tree = point_tree(x, y) if tree is None else tree
    is_point = shapely.get_type_id(g) == 0
    found_g, found_p = [], []
    for subset, exact in ((np.flatnonzero(is_point), True), (np.flatnonzero(~is_point), False)):
        if len(subset) == 0:
            continue
        if exact:
            centres, reach = np.column_stack([shapely.get_x(g[subset]), shapely.get_y(g[subset])]), radius
        else:
            b = shapely.bounds(g[subset])
            centres = np.column_stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2])
            reach = radius + np.hypot(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / 2
        lists = tree.query_ball_point(centres, reach, return_sorted=False)
        sizes = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
        gi = np.repeat(subset, sizes)
        pi = np.concatenate([np.asarray(v, dtype=np.int64) for v in lists]) if sizes.sum() else np.zeros(0, np.int64)
        if not exact and len(pi):
            keep = shapely.dwithin(g[gi], shapely.points(x[pi], y[pi]), radius)
            gi, pi = gi[keep], pi[keep]
        found_g.append(gi)
        found_p.append(pi)
    return np.concatenate(found_g), np.concatenate(found_p)


def buffer_area_km2(geoms: Any, radius: float) -> np.ndarray:
    """The area of each geometry's ``radius`` buffer in km^2 (pi r^2 exactly for points)."""
    import shapely

    g = np.asarray(geoms, dtype=object)
    is_point = shapely.get_type_id(g) == 0
    area = np.full(len(g), np.pi * radius ** 2)
    if (~is_point).any():
        area[~is_point] = shapely.area(shapely.buffer(g[~is_point], radius, quad_segs=32))
    return area / 1e6


def year_shares(spans: Spans, years: np.ndarray) -> np.ndarray:
    """The share of each calendar year's days the records cover."""
    out = []
    for year in years:
        start, end = pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31")
        out.append(covered_days(spans, start, end) / ((end - start).days + 1))
    return np.asarray(out)


def _long_counts(site: np.ndarray, year: np.ndarray, n_sites: int, years: np.ndarray, shares: np.ndarray,
                 area_km2: np.ndarray) -> pd.DataFrame:
    """Site-by-year counts, zeros included, for the covered years."""
    col = np.searchsorted(years, year)
    ok = (col < len(years)) & (years[np.minimum(col, len(years) - 1)] == year)
    table = np.bincount(site[ok] * len(years) + col[ok], minlength=n_sites * len(years)).reshape(n_sites, len(years))
    return pd.DataFrame({"site": np.repeat(np.arange(n_sites), len(years)), "year": np.tile(years, n_sites),
                         "collisions": table.ravel().astype(float),
                         "exposure": np.outer(area_km2, shares).ravel()})


def covered_years(spans: Spans) -> tuple[np.ndarray, np.ndarray]:
    """The calendar years the records touch, and the share of each covered."""
    if not spans:
        return np.array([], dtype=int), np.array([])
    years = np.arange(spans[0][0].year, spans[-1][1].year + 1)
    shares = year_shares(spans, years)
    return years[shares > 0], shares[shares > 0]


#: Road classes from the most to the least important; a cell or site takes the most important road it touches.
ROAD_CLASSES = ("motorway", "trunk", "primary", "secondary", "tertiary", "minor")


def road_class_rank(highway: Any) -> np.ndarray:
    """The index in ROAD_CLASSES of each OpenStreetMap ``highway`` value (links as their road; the rest minor)."""
    h = pd.Series(np.asarray(highway, dtype=object)).astype(str).str.lower().str.replace("_link", "", regex=False)
    rank = {c: i for i, c in enumerate(ROAD_CLASSES)}
    return h.map(rank).fillna(len(ROAD_CLASSES) - 1).to_numpy(dtype=np.int64)


def site_kind(rank: np.ndarray, names: np.ndarray) -> np.ndarray:
    """"primary junction" / "primary road": a site's most important road class, and whether two or more
    differently named roads meet there."""
    return np.asarray([f"{ROAD_CLASSES[r]} {'junction' if n >= 2 else 'road'}" for r, n in zip(rank, names)],
                      dtype=object)


def _road_names(roads: Any) -> np.ndarray:
    """A name per road line (its name, else its ref, else its own row number: an unnamed way is a road of its own)."""
    name = pd.Series(roads["name"].to_numpy(dtype=object) if "name" in roads.columns else [None] * len(roads))
    ref = pd.Series(roads["ref"].to_numpy(dtype=object) if "ref" in roads.columns else [None] * len(roads))
    label = name.where(name.notna() & (name.astype(str) != ""), ref)
    return label.where(label.notna() & (label.astype(str) != ""), pd.Series(np.arange(len(roads))).astype(str)) \
        .astype(str).to_numpy()


def _kinds(groups: np.ndarray, road: np.ndarray, n_groups: int, roads: Any) -> np.ndarray:
    """The kind (``site_kind``) of each group from the roads that touch it (pairs group -> road line)."""
    rank = np.full(n_groups, len(ROAD_CLASSES) - 1, dtype=np.int64)
    np.minimum.at(rank, groups, road_class_rank(roads["highway"])[road])
    name_codes = pd.factorize(_road_names(roads))[0][road]
    pairs = np.unique(np.column_stack([groups, name_codes]), axis=0) if len(groups) else np.zeros((0, 2), int)
    names = np.bincount(pairs[:, 0], minlength=n_groups)
    return site_kind(rank, names)


def road_kind_near(geoms: Any, roads: Any, radius: float) -> np.ndarray:
    """The kind (``site_kind``) of each geometry's site: the roads within ``radius`` of it."""
    import shapely

    tree = shapely.STRtree(np.asarray(roads.geometry.to_numpy(), dtype=object))
    g, r = tree.query(np.asarray(geoms, dtype=object), predicate="dwithin", distance=radius)
    return _kinds(g, r, len(geoms), roads)


def _cell_keys(x: np.ndarray, y: np.ndarray, side: float) -> np.ndarray:
    return np.floor(x / side).astype(np.int64) * 10_000_000 + np.floor(y / side).astype(np.int64)


def network_cells(roads: Any, x: np.ndarray, y: np.ndarray, counted: np.ndarray, year: np.ndarray, spans: Spans,
                  radius: float, schemes: Any, max_cells: int = 20000,
                  seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Yearly counts in the cells the ``roads`` (lines with ``highway``) pass through, and each cell's kind
    (``site_kind``: road class, junction or not; see the module docstring). ``x``, ``y``: located collisions; ``counted``: those the evaluation counts (e.g.
    KSI only); ``year``: their calendar years."""
    import shapely

    side = np.sqrt(np.pi) * radius
    lines = shapely.segmentize(np.asarray(roads.geometry.to_numpy(), dtype=object), side / 4)
    coords, line_of = shapely.get_coordinates(lines, return_index=True)
    keys = _cell_keys(coords[:, 0], coords[:, 1], side)
    cells, cell_of = np.unique(keys, return_inverse=True)
    cell_kind = _kinds(cell_of, line_of, len(cells), roads)
    cx, cy = (cells // 10_000_000 + 0.5) * side, (cells % 10_000_000 + 0.5) * side
    keep = np.ones(len(cells), dtype=bool)
    _, near = near_pairs(schemes, cx, cy, radius + side)  # cells a scheme's buffer may reach
    keep[near] = False
    chosen = np.flatnonzero(keep)
    if len(chosen) > max_cells:
        chosen = np.sort(np.random.default_rng(seed).choice(chosen, size=max_cells, replace=False))
    position = np.full(len(cells), -1)
    position[chosen] = np.arange(len(chosen))
    at = np.searchsorted(cells, _cell_keys(x, y, side))
    found = (at < len(cells)) & (cells[np.minimum(at, len(cells) - 1)] == _cell_keys(x, y, side))
    site = np.where(found, position[np.minimum(at, len(cells) - 1)], -1)
    use = counted & (site >= 0)
    years, shares = covered_years(spans)
    area = np.full(len(chosen), side ** 2 / 1e6)
    return _long_counts(site[use], year[use], len(chosen), years, shares, area), cell_kind[chosen]


def buffered_sites(geoms: Any, x: np.ndarray, y: np.ndarray, counted: np.ndarray, year: np.ndarray, spans: Spans,
                   radius: float, tree: Any = None) -> pd.DataFrame:
    """Yearly counts within ``radius`` of each of the user's reference sites (``tree``: ``point_tree`` of the
    counted points, when already built)."""
    g, p = near_pairs(geoms, x[counted], y[counted], radius, tree)
    years, shares = covered_years(spans)
    return _long_counts(g, year[counted][p], len(geoms), years, shares, buffer_area_km2(geoms, radius))
