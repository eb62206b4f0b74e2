"""Spatial hotspots: UK cluster sites, DBSCAN, Getis-Ord Gi* with FDR, planar kernel density.

All distance work is in British National Grid metres (EPSG:27700). Collisions whose
``location_status`` is not ``ok`` (missing, placeholder or outside GB) are skipped and counted in
each result's ``skipped``; nothing is dropped silently.

    import roadsafe as rs
    ds = rs.datasets.cambridgeshire()
    sites = rs.cluster_sites(ds, preset="urban")       # >= 5 collisions within 50 m over 5 years
    sites.sites                                        # GeoDataFrame, one row per site
    labels = rs.dbscan(ds, eps=50, min_samples=5)
    cells = rs.hotspots.grid_cells(ds, cell=500)       # counts per 500 m cell, for Gi*
    gi = rs.gi_star(cells, "collisions", distance=1500)
    segs = rs.hotspots.road_segments(ds, length=100)   # counts per road segment of <= 100 m, for Gi* or EB
    gi = rs.gi_star(segs, "collisions", distance=300)  # planar distance between segment midpoints
    density = rs.kde(ds, cell=50, bandwidth=300, out="kde.tif")
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _engine

if TYPE_CHECKING:
    import geopandas

    from ..io.dataset import Dataset

__all__ = [
    "cluster_sites", "dbscan", "gi_star", "kde", "grid_cells", "value_of_prevention",
    "ClusterSites", "DbscanResult", "GiStarResult", "KdeResult", "PRESETS", "road_segments", "RoadSegments",
]

#: Cluster-site presets: (radius in metres, minimum collisions, years).
PRESETS: dict[str, tuple[float, int, float]] = {
    "urban": (50.0, 5, 5.0),
    "rural": (100.0, 5, 5.0),
    "rural_200": (200.0, 5, 5.0),
}

_SEVERITIES = ("fatal", "serious", "slight")


# --------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------

def _collisions(ds: Union["Dataset", pd.DataFrame]) -> pd.DataFrame:
    if isinstance(ds, pd.DataFrame):
        return ds
    return ds.collisions


def _xy(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int]:
    """BNG coordinates with NaN where the location is unusable, and the number of such rows."""
    x = pd.to_numeric(df["location_easting_osgr"], errors="coerce").to_numpy(dtype=float, na_value=np.nan).copy()
    y = pd.to_numeric(df["location_northing_osgr"], errors="coerce").to_numpy(dtype=float, na_value=np.nan).copy()
    bad = ~np.isfinite(x) | ~np.isfinite(y)
    if "location_status" in df.columns:
        bad |= (df["location_status"] != "ok").to_numpy()
    x[bad] = np.nan
    y[bad] = np.nan
    return x, y, int(bad.sum())


def _severity_names(df: pd.DataFrame) -> np.ndarray:
    """'fatal' / 'serious' / 'slight' / '' per collision, from labels or DfT codes."""
    s = df["collision_severity"]
    if isinstance(s.dtype, pd.CategoricalDtype):  # label the few categories, not every row
        labels = s.cat.categories.astype(str).str.lower()
        labels = np.where(labels.isin(_SEVERITIES), labels, "").astype(object)
        codes = s.cat.codes.to_numpy()
        return np.where(codes >= 0, labels[np.maximum(codes, 0)], "").astype(object)
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        out = s.astype(object).astype(str).str.lower()
    else:
        out = pd.to_numeric(s, errors="coerce").map({1: "fatal", 2: "serious", 3: "slight"})
    return out.where(out.isin(_SEVERITIES), "").to_numpy(dtype=object)


def _weights(df: pd.DataFrame, weight: Any) -> Optional[np.ndarray]:
    if weight is None:
        return None
    if isinstance(weight, str):
        if weight == "cost":
            costs = value_of_prevention()
            sev = _severity_names(df)
            return np.array([costs.get(s, 0.0) for s in sev], dtype=float)
        weight = df[weight]
    w = np.asarray(pd.to_numeric(pd.Series(np.asarray(weight)), errors="coerce"), dtype=float)
    if w.shape != (len(df),):
        raise ValueError(f"weight must have one value per collision ({len(df)}), got shape {w.shape}")
    return np.where(np.isfinite(w), w, 0.0)


def value_of_prevention() -> dict[str, float]:
    """DfT's average value of prevention per reported road collision by severity (GBP, the shipped
    table's price year; see ``datasets/costs/README.md``)."""
    from ..io.datasets import data_path

    table = pd.read_csv(data_path("costs", "dft_value_of_prevention.csv"))
    return {str(s).lower(): float(v) for s, v in zip(table["severity"], table["value_gbp"])}


def _price_year() -> int:
    from ..io.datasets import data_path

    return int(pd.read_csv(data_path("costs", "dft_value_of_prevention.csv"))["price_year"].iloc[0])


# Road-user groups from DfT vehicle_type labels.
def _user_group(label: str) -> str:
    t = label.lower()
    if "pedal cycle" in t:
        return "pedal_cycle"
    if "motorcycle" in t or "moped" in t:
        return "motorcycle"
    if "goods" in t or "van" in t:
        return "goods"
    if "bus" in t or "minibus" in t or "coach" in t:
        return "bus"
    if t.startswith("car") or "taxi" in t:
        return "car"
    return "other"


_USER_GROUPS = ("pedestrian", "pedal_cycle", "motorcycle", "car", "goods", "bus", "other")


def _road_users(ds: Any, df: pd.DataFrame) -> Optional[pd.DataFrame]:
    """Per collision row: 1 when the collision involves each road-user group, or None without data."""
    vehicles = getattr(ds, "vehicles", None)
    if vehicles is None or len(vehicles) == 0 or "vehicle_type" not in vehicles.columns:
        return None
    out = pd.DataFrame(0, index=np.arange(len(df)), columns=list(_USER_GROUPS), dtype="int64")
    if "collision_row" in vehicles.columns:
        rows = pd.to_numeric(vehicles["collision_row"], errors="coerce").to_numpy()
    else:
        pos = pd.Series(np.arange(len(df)), index=df["collision_index"].to_numpy())
        rows = pos.reindex(vehicles["collision_index"].to_numpy()).to_numpy()
    labels = vehicles["vehicle_type"].astype(object)
    groups = labels.map(lambda v: _user_group(str(v)) if isinstance(v, str) else None).to_numpy()
    ok = np.isfinite(rows.astype(float)) & pd.notna(groups)
    for g in _USER_GROUPS[1:]:
        hit = rows[ok & (groups == g)].astype(np.int64)
        out.loc[np.unique(hit), g] = 1
    ped = np.zeros(len(df), dtype=bool)
    if "number_of_pedestrians" in df.columns:
        ped |= (pd.to_numeric(df["number_of_pedestrians"], errors="coerce").fillna(0) > 0).to_numpy()
    if "involves_pedestrian" in df.columns:
        ped |= (pd.to_numeric(df["involves_pedestrian"], errors="coerce").fillna(0) > 0).to_numpy()
    casualties = getattr(ds, "casualties", None)
    if casualties is not None and len(casualties) and "casualty_class" in casualties.columns and "collision_row" in casualties.columns:
        pc = casualties["casualty_class"].astype(object).astype(str).str.lower() == "pedestrian"
        r = pd.to_numeric(casualties.loc[pc, "collision_row"], errors="coerce").dropna().astype(np.int64).to_numpy()
        ped[r] = True
    out["pedestrian"] = ped.astype(np.int64)
    return out


# --------------------------------------------------------------------------------------------------
# Cluster sites
# --------------------------------------------------------------------------------------------------

@dataclass
class ClusterSites:
    """Cluster sites: ``sites`` (GeoDataFrame, EPSG:27700, one row per site, ordered by site_id),
    ``members`` (one row per member collision) and the rule, period and counts used."""

    sites: "geopandas.GeoDataFrame"
    members: pd.DataFrame
    radius: float
    min_collisions: int
    years: Optional[float]
    period: tuple[Optional[pd.Timestamp], Optional[pd.Timestamp]]
    collisions_used: int
    skipped: int
    outside_period: int
    price_year: int

    def __len__(self) -> int:
        return len(self.sites)

    def __repr__(self) -> str:
        start, end = self.period
        span = f"{start:%Y-%m-%d} to {end:%Y-%m-%d}" if start is not None and end is not None else "all dates"
        head = (f"ClusterSites: {len(self.sites)} sites of >= {self.min_collisions} collisions within "
                f"{self.radius:g} m, {span}\n"
                f"  {self.collisions_used:,} collisions used, {self.skipped:,} skipped (no usable location), "
                f"{self.outside_period:,} outside the period; costs in {self.price_year} GBP")
        if len(self.sites) == 0:
            return head
        cols = [c for c in ("site_id", "collisions", "fatal", "serious", "slight", "cost_gbp", "centroid_x",
                            "centroid_y", "road_users") if c in self.sites.columns]
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            return head + "\n" + self.sites[cols].head(10).to_string(index=False)

    def to_gpkg(self, path: str, layer: str = "sites") -> None:
        """Write the sites as a GeoPackage layer (member collision IDs as a comma-separated text field)."""
        out = self.sites.copy()
        out["collision_ids"] = out["collision_ids"].map(lambda ids: ",".join(map(str, ids)))
        out.to_file(path, layer=layer, driver="GPKG")


def cluster_sites(
    ds: Union["Dataset", pd.DataFrame],
    radius: Optional[float] = None,
    min_collisions: Optional[int] = None,
    years: Optional[float] = None,
    preset: Optional[str] = None,
    end: Optional[Any] = None,
    weight: Any = None,
    adjusted: Optional[pd.DataFrame] = None,
) -> ClusterSites:
    """UK cluster sites: ``min_collisions`` or more collisions within ``radius`` metres over ``years``.

    Every collision is a candidate seed; seeds are taken densest first and a site takes every
    collision within ``radius`` of its seed that no denser site has taken, so sites never overlap.
    Site IDs are 1, 2, ... in that order (ties by easting then northing): the same data gives the same IDs.

    - ``preset``: "urban" (50 m), "rural" (100 m) or "rural_200" (200 m), each >= 5 collisions over
      5 years; explicit arguments override the preset. Without a preset: 50 m, 5, 5 years.
    - ``years``: the period is the ``years`` years (whole months) ending at ``end`` (default: the
      latest collision date), 5 unless given; ``years=0`` uses all dates. Collisions outside the
      period are counted in ``outside_period``.
    - ``weight``: per-collision weights (array, a column name, or "cost"): adds weighted_fatal,
      weighted_serious, weighted_slight and weighted_total.
    - ``adjusted``: a DataFrame aligned with ``ds.collisions`` with columns fatal, serious, slight
      (adjusted severity probabilities): adds adjusted_* counts and cost_adjusted_gbp.
    """
    r0, n0, y0 = PRESETS["urban"]
    if preset is not None:
        if preset not in PRESETS:
            raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {preset!r}")
        r0, n0, y0 = PRESETS[preset]
    radius = float(r0 if radius is None else radius)
    min_collisions = int(n0 if min_collisions is None else min_collisions)
    years = float(y0 if years is None else years)
    if not radius > 0:
        raise ValueError(f"radius must be a positive number of metres, got {radius!r}")

    df = _collisions(ds)
    x, y, skipped = _xy(df)
    dates = pd.to_datetime(df["date"]) if "date" in df.columns else None
    in_period = np.ones(len(df), dtype=bool)
    start_ts = end_ts = None
    if years and dates is not None and dates.notna().any():
        end_ts = pd.Timestamp(end) if end is not None else dates.max()
        start_ts = end_ts - pd.DateOffset(months=int(round(years * 12))) + pd.Timedelta(days=1)
        in_period = ((dates >= start_ts) & (dates <= end_ts)).to_numpy()
    has_loc = np.isfinite(x)
    outside = int((has_loc & ~in_period).sum())
    xs = np.where(in_period, x, np.nan)
    ys = np.where(in_period, y, np.nan)

    r = _engine.hotspots.cluster_sites(xs, ys, radius, min_collisions)
    offsets = r["member_offsets"]
    members = r["members"]
    site_ids = r["site_id"]
    member_site = np.repeat(site_ids, np.diff(offsets))

    sev = _severity_names(df)
    ids = df["collision_index"].to_numpy() if "collision_index" in df.columns else np.arange(len(df))
    mem = pd.DataFrame({
        "site_id": member_site.astype(np.int64),
        "row": members.astype(np.int64),
        "collision_index": ids[members],
        "severity": sev[members],
        "location_easting_osgr": x[members],
        "location_northing_osgr": y[members],
    })
    if dates is not None:
        mem["date"] = dates.to_numpy()[members]

    sites = pd.DataFrame({
        "site_id": site_ids.astype(np.int64),
        "collisions": r["n"].astype(np.int64),
        "centroid_x": r["centroid_x"],
        "centroid_y": r["centroid_y"],
        "seed_x": r["seed_x"],
        "seed_y": r["seed_y"],
    })
    costs = value_of_prevention()
    grouped = mem.groupby("site_id", sort=True)
    by_severity = pd.crosstab(mem["site_id"], mem["severity"]).reindex(index=sites["site_id"], columns=list(_SEVERITIES),
                                                                       fill_value=0)
    for s in _SEVERITIES:
        sites[s] = by_severity[s].to_numpy(dtype=np.int64)
    sites["ksi"] = sites["fatal"] + sites["serious"]
    sites["cost_gbp"] = sum(sites[s] * costs.get(s, 0.0) for s in _SEVERITIES).astype(float)
    if dates is not None and len(mem):
        sites["first_date"] = grouped["date"].min().reindex(sites["site_id"]).to_numpy()
        sites["last_date"] = grouped["date"].max().reindex(sites["site_id"]).to_numpy()

    w = _weights(df, weight)
    if w is not None:
        mem["weight"] = w[members]
        for s in _SEVERITIES:
            mw = mem["weight"].where(mem["severity"] == s, 0.0)
            sites[f"weighted_{s}"] = mw.groupby(mem["site_id"]).sum().reindex(sites["site_id"]).fillna(0.0).to_numpy()
        sites["weighted_total"] = mem.groupby("site_id")["weight"].sum().reindex(sites["site_id"]).fillna(0.0).to_numpy()
    if adjusted is not None:
        adj = pd.DataFrame(adjusted).reset_index(drop=True)
        if len(adj) != len(df) or not set(_SEVERITIES) <= set(adj.columns):
            raise ValueError("adjusted must be aligned with ds.collisions and have columns fatal, serious, slight")
        cost_adj = np.zeros(len(sites))
        for s in _SEVERITIES:
            v = adj[s].to_numpy(dtype=float)[members]
            col = pd.Series(v).groupby(member_site).sum().reindex(sites["site_id"]).fillna(0.0).to_numpy()
            sites[f"adjusted_{s}"] = col
            cost_adj += col * costs.get(s, 0.0)
        sites["adjusted_ksi"] = sites["adjusted_fatal"] + sites["adjusted_serious"]
        sites["cost_adjusted_gbp"] = cost_adj

    users = _road_users(ds, df)
    if users is not None and len(mem):
        u = users.iloc[members].reset_index(drop=True)
        per_site = u.groupby(member_site).sum().reindex(sites["site_id"]).fillna(0).astype(np.int64)
        for g in _USER_GROUPS:
            sites[f"involves_{g}"] = per_site[g].to_numpy()
        sites["road_users"] = [
            ", ".join(f"{g.replace('_', ' ')} {int(row[g])}" for g in _USER_GROUPS if row[g] > 0)
            for _, row in per_site.iterrows()
        ]
    sites["collision_ids"] = [list(ids[members[offsets[i]:offsets[i + 1]]]) for i in range(len(sites))]

    import geopandas as gpd

    gsites = gpd.GeoDataFrame(sites, geometry=gpd.points_from_xy(sites["centroid_x"], sites["centroid_y"]),
                              crs="EPSG:27700")
    return ClusterSites(
        sites=gsites, members=mem, radius=radius, min_collisions=min_collisions, years=years or None,
        period=(start_ts, end_ts), collisions_used=int((has_loc & in_period).sum()), skipped=skipped,
        outside_period=outside, price_year=_price_year(),
    )


# --------------------------------------------------------------------------------------------------
# DBSCAN
# --------------------------------------------------------------------------------------------------

@dataclass
class DbscanResult:
    """DBSCAN labels per collision (``labels``: 0.. cluster, -1 noise, <NA> no usable location),
    ``core`` flags, and ``clusters`` (GeoDataFrame of cluster centroids and sizes)."""

    labels: pd.Series
    core: pd.Series
    clusters: "geopandas.GeoDataFrame"
    eps: float
    min_samples: float
    skipped: int

    def __repr__(self) -> str:
        lab = self.labels.dropna()
        noise = int((lab == -1).sum())
        head = (f"DbscanResult: {len(self.clusters)} clusters (eps {self.eps:g} m, min_samples {self.min_samples:g}); "
                f"{len(lab) - noise:,} clustered, {noise:,} noise, {self.skipped:,} skipped (no usable location)")
        if len(self.clusters) == 0:
            return head
        top = self.clusters.sort_values("collisions", ascending=False).head(10)
        return head + "\n" + top.drop(columns="geometry").to_string(index=False)

    def to_gpkg(self, path: str, layer: str = "dbscan_clusters") -> None:
        """Write the cluster centroids and sizes as a GeoPackage layer."""
        self.clusters.to_file(path, layer=layer, driver="GPKG")


def dbscan(ds: Union["Dataset", pd.DataFrame], eps: float = 50, min_samples: float = 5, weight: Any = None) -> DbscanResult:
    """DBSCAN on collision points (BNG metres). Labels equal scikit-learn's
    ``DBSCAN(eps, min_samples).fit(X).labels_`` on the located collisions (same core/border rules,
    same cluster numbering); ``weight`` plays sklearn's ``sample_weight``."""
    df = _collisions(ds)
    x, y, skipped = _xy(df)
    w = _weights(df, weight)
    r = _engine.hotspots.dbscan(x, y, float(eps), float(min_samples), w)
    labels = pd.array(r["labels"], dtype="Int64")
    labels[r["labels"] == -2] = pd.NA
    index = df.index
    lab = pd.Series(labels, index=index, name="cluster")
    core = pd.Series(r["core"].astype(bool), index=index, name="core")
    import geopandas as gpd

    sel = r["labels"] >= 0
    cluster = r["labels"][sel]
    k = int(r["clusters"])
    n = np.bincount(cluster, minlength=k)
    summary = pd.DataFrame({
        "cluster": np.arange(k), "collisions": n,
        "core_points": np.bincount(cluster, weights=r["core"][sel].astype(float), minlength=k).astype(np.int64),
        "centroid_x": np.bincount(cluster, weights=x[sel], minlength=k) / n,
        "centroid_y": np.bincount(cluster, weights=y[sel], minlength=k) / n,
    })
    severity = _severity_names(df)[sel]
    for s in _SEVERITIES:
        summary[s] = np.bincount(cluster[severity == s], minlength=k).astype(np.int64)
    clusters = gpd.GeoDataFrame(summary, geometry=gpd.points_from_xy(summary["centroid_x"], summary["centroid_y"]),
                                crs="EPSG:27700")
    return DbscanResult(labels=lab, core=core, clusters=clusters, eps=float(eps), min_samples=float(min_samples),
                        skipped=skipped)


# --------------------------------------------------------------------------------------------------
# Gi*
# --------------------------------------------------------------------------------------------------

def grid_cells(ds: Union["Dataset", pd.DataFrame], cell: float = 500, weight: Any = None,
               include_empty: bool = True) -> "geopandas.GeoDataFrame":
    """Collisions counted on square BNG cells of ``cell`` metres (edges on multiples of ``cell``):
    a GeoDataFrame of cells (polygons) with ``x``, ``y`` (centres), ``collisions`` and, with
    ``weight``, ``weighted``. With ``include_empty`` the full rectangle of cells is returned."""
    import geopandas as gpd
    from shapely import box

    df = _collisions(ds)
    x, y, _ = _xy(df)
    ok = np.isfinite(x)
    col = np.floor(x[ok] / cell).astype(np.int64)
    row = np.floor(y[ok] / cell).astype(np.int64)
    w = _weights(df, weight)
    frame = pd.DataFrame({"col": col, "row": row, "collisions": 1})
    if w is not None:
        frame["weighted"] = w[ok]
    counts = frame.groupby(["col", "row"]).sum()
    if include_empty and len(counts):
        cols = np.arange(col.min(), col.max() + 1)
        rows = np.arange(row.min(), row.max() + 1)
        full = pd.MultiIndex.from_product([cols, rows], names=["col", "row"])
        counts = counts.reindex(full, fill_value=0)
    counts = counts.reset_index()
    counts["x"] = (counts["col"] + 0.5) * cell
    counts["y"] = (counts["row"] + 0.5) * cell
    geom = box(counts["col"] * cell, counts["row"] * cell, (counts["col"] + 1) * cell, (counts["row"] + 1) * cell)
    return gpd.GeoDataFrame(counts, geometry=geom, crs="EPSG:27700")


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
    pseudo p-values are seeded (``seed``) and do not depend on ``threads``."""
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


# --------------------------------------------------------------------------------------------------
# Planar KDE
# --------------------------------------------------------------------------------------------------

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
        """Write the grid as a Float64 GeoTIFF in EPSG:27700 through GDAL."""
        _engine.hotspots.write_geotiff(str(path), self.density, self.x0, self.y1, self.cell, 27700,
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
                f"({self.x0 + cols * self.cell:.0f}, {self.y1:.0f}) EPSG:27700; peak {self.density.max():.3g} per km2; "
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
) -> KdeResult:
    """Planar kernel density of collisions on a grid of ``cell`` metres covering them (plus
    ``margin``, default one bandwidth; three for the Gaussian kernel), in collisions (or weight)
    per km². Kernels integrate to 1, so the grid integrates to the total weight.

    - "quartic": 3/(pi h^2) (1 - d^2/h^2)^2 within h (the QGIS heatmap / spatstat convention).
    - "gaussian": 1/(2 pi h^2) exp(-d^2 / 2h^2), cut at ``gaussian_cutoff`` h (default 8: each
      point's neglected tail is below 1e-14 of its peak). Relation to
      scikit-learn: density = 1e6 * sum(w) * exp(KernelDensity(bandwidth=h).fit(X, sample_weight=w).score_samples(centres)).
    ``weight``: an array, a column name or "cost" (DfT value of prevention by severity).
    ``out``: a GeoTIFF path (EPSG:27700) to write."""
    df = _collisions(ds)
    x, y, skipped = _xy(df)
    w = _weights(df, weight)
    if margin is None:
        margin = bandwidth * (3.0 if kernel == "gaussian" else 1.0)
    r = _engine.hotspots.kde(x, y, w, cell=float(cell), bandwidth=float(bandwidth), kernel=kernel,
                             margin=float(margin), gaussian_cutoff=float(gaussian_cutoff), threads=int(threads))
    total = float(np.nansum(w[np.isfinite(x)]) if w is not None else np.isfinite(x).sum())
    res = KdeResult(density=r["density"] * 1e6, x0=float(r["x0"]), y1=float(r["y1"]), cell=float(r["cell"]),
                    bandwidth=float(bandwidth), kernel=kernel, total_weight=total, skipped=skipped)
    if out is not None:
        res.to_geotiff(out)
    return res


# Road segments as units (their own module; re-exported here with the other units, grid_cells).
from .road_segments import RoadSegments, road_segments  # noqa: E402
