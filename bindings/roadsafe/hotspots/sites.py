"""UK cluster sites: N or more collisions within R metres over Y years, each collision in one site, costed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np
import pandas as pd

from .. import _engine
from ..io.fields import SEVERITIES, collision_xy, collisions_of, severity_names
from .weights import collision_weights, price_year, value_of_prevention

if TYPE_CHECKING:
    import geopandas

    from ..io.dataset import Dataset

__all__ = ["cluster_sites", "ClusterSites", "PRESETS", "period_text"]

#: Cluster-site presets: (radius in metres, minimum collisions, years).
PRESETS: dict[str, tuple[float, int, float]] = {
    "urban": (50.0, 5, 5.0),
    "rural": (100.0, 5, 5.0),
    "rural_200": (200.0, 5, 5.0),
}


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


def period_text(period: tuple[Optional[pd.Timestamp], Optional[pd.Timestamp]], df: pd.DataFrame,
                asked_years: Optional[float] = None) -> str:
    """A study period as printed: "1 November 2012 to 31 October 2017 (5 years)"; the dates of ``df`` when the
    period is open; "(1 year of data; the rule asks for 5)" when the data were shorter than ``asked_years``."""
    start, end = period
    if start is None or end is None:
        dates = pd.to_datetime(df["date"]) if "date" in df.columns else pd.Series(dtype="datetime64[ns]")
        if dates.notna().any():
            start, end = dates.min(), dates.max()
        else:
            return "all dates"
    after = end + pd.Timedelta(days=1)  # the period is [start, end]: count whole months to the day after
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day != start.day:
        span = f"{(after - start).days:,} days"
    elif months % 12 == 0:
        span = f"{months // 12} year{'s' if months != 12 else ''}"
    else:
        span = f"{months} months"
    if asked_years and months < round(asked_years * 12):
        return f"{start:%-d %B %Y} to {end:%-d %B %Y} ({span} of data; the rule asks for {asked_years:g})"
    return f"{start:%-d %B %Y} to {end:%-d %B %Y} ({span})"


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
      latest collision date), 5 unless given, and starting no earlier than the first collision (a
      year of data is a one-year period, whatever the rule says); ``years=0`` uses all dates.
      Collisions outside the period are counted in ``outside_period``.
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

    df = collisions_of(ds)
    x, y, skipped = collision_xy(df)
    dates = pd.to_datetime(df["date"]) if "date" in df.columns else None
    in_period = np.ones(len(df), dtype=bool)
    start_ts = end_ts = None
    if years and dates is not None and dates.notna().any():
        end_ts = pd.Timestamp(end) if end is not None else dates.max()
        start_ts = end_ts - pd.DateOffset(months=int(round(years * 12))) + pd.Timedelta(days=1)
        start_ts = max(start_ts, dates.min().normalize())  # the period is never longer than the data
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

    sev = severity_names(df)
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
    by_severity = pd.crosstab(mem["site_id"], mem["severity"]).reindex(index=sites["site_id"], columns=list(SEVERITIES),
                                                                       fill_value=0)
    for s in SEVERITIES:
        sites[s] = by_severity[s].to_numpy(dtype=np.int64)
    sites["ksi"] = sites["fatal"] + sites["serious"]
    sites["cost_gbp"] = sum(sites[s] * costs.get(s, 0.0) for s in SEVERITIES).astype(float)
    if dates is not None and len(mem):
        sites["first_date"] = grouped["date"].min().reindex(sites["site_id"]).to_numpy()
        sites["last_date"] = grouped["date"].max().reindex(sites["site_id"]).to_numpy()

    w = collision_weights(df, weight)
    if w is not None:
        mem["weight"] = w[members]
        for s in SEVERITIES:
            mw = mem["weight"].where(mem["severity"] == s, 0.0)
            sites[f"weighted_{s}"] = mw.groupby(mem["site_id"]).sum().reindex(sites["site_id"]).fillna(0.0).to_numpy()
        sites["weighted_total"] = mem.groupby("site_id")["weight"].sum().reindex(sites["site_id"]).fillna(0.0).to_numpy()
    if adjusted is not None:
        adj = pd.DataFrame(adjusted).reset_index(drop=True)
        if len(adj) != len(df) or not set(SEVERITIES) <= set(adj.columns):
            raise ValueError("adjusted must be aligned with ds.collisions and have columns fatal, serious, slight")
        cost_adj = np.zeros(len(sites))
        for s in SEVERITIES:
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
        outside_period=outside, price_year=price_year(),
    )
