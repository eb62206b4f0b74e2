"""The printed site table: one row per numbered cluster site, with its location named from the roads."""
from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, Callable, Optional

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from ..geo.place_names import record_locations, site_locations

if TYPE_CHECKING:
    import geopandas

    from ..hotspots.sites import ClusterSites


def site_table(top_sites: pd.DataFrame, roads: Optional["geopandas.GeoDataFrame"], sites: "ClusterSites",
               collisions: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """The printed table: one row per numbered site. Its location is named from ``roads`` (the nearest
    named roads), else from the roads and district its collisions record, else by grid reference."""
    n = len(top_sites)
    table = pd.DataFrame({"number": top_sites["site_id"].to_numpy(dtype=np.int64) if n else np.zeros(0, np.int64)})
    if n:
        table["site_id"] = top_sites["site_id"].to_numpy()
        locations = site_locations(top_sites["centroid_x"], top_sites["centroid_y"], roads)
        if collisions is not None:
            members = sites.members.groupby("site_id")["row"].apply(list)
            recorded = record_locations(collisions, [members.get(s, []) for s in top_sites["site_id"]])
            locations = [loc or rec for loc, rec in zip(locations, recorded)]
        grid = [f"{x:.0f}, {y:.0f}" for x, y in zip(top_sites["centroid_x"], top_sites["centroid_y"])]
        table["location"] = [loc if loc else f"E/N {g}" for loc, g in zip(locations, grid)]
        table["easting"] = top_sites["centroid_x"].round(0).astype(np.int64).to_numpy()
        table["northing"] = top_sites["centroid_y"].round(0).astype(np.int64).to_numpy()
        for c in ("collisions", "fatal", "serious", "slight", "ksi"):
            table[c] = top_sites[c].to_numpy()
        if "adjusted_ksi" in top_sites.columns:
            table["adjusted_ksi"] = top_sites["adjusted_ksi"].to_numpy(dtype=float)
        table["cost_k_gbp"] = (top_sites["cost_gbp"].to_numpy(dtype=float) / 1000.0)
    else:
        for c in ("site_id", "location", "easting", "northing", "collisions", "fatal", "serious", "slight", "ksi",
                  "cost_k_gbp"):
            table[c] = pd.Series(dtype=object)
    return table


def ellipsis(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def draw_site_table(tax: Any, table: pd.DataFrame, fs: Callable[[float], float], sites: "ClusterSites",
                on_map_only: bool = False, height_in: float = 4.0) -> None:
    """Draw the site table on ``tax``: number, location, collisions by severity, adjusted KSI, cost."""
    adjusted = "adjusted_ksi" in table.columns
    cols: list[tuple[str, str, float, str]] = [  # (column, header, x position, alignment)
        ("number", "No.", 0.015, "center"),
        ("location", "Location (nearest named roads)", 0.05, "left"),
        ("collisions", "Coll.", 0.64, "right"),
        ("fatal", "Fatal", 0.705, "right"),
        ("serious", "Serious", 0.815, "right"),
        ("slight", "Slight", 0.893, "right"),
    ]
    if adjusted:
        cols = cols[:2] + [("collisions", "Coll.", 0.555, "right"), ("fatal", "Fatal", 0.64, "right"),
                           ("serious", "Serious", 0.755, "right"), ("slight", "Slight", 0.85, "right"),
                           ("adjusted_ksi", "Adj.\nKSI", 0.925, "right"), ("cost_k_gbp", "Cost\n£k", 1.0, "right")]
        loc_width = 33
    else:
        cols.append(("cost_k_gbp", "Cost £k", 1.0, "right"))
        loc_width = 44
    heading = (f"Top {len(table)} cluster sites" if len(table) else "Cluster sites") + (" on this map" if on_map_only else "")
    tax.text(0.0, 1.0, heading, fontsize=fs(10), fontweight="bold", va="top",
             transform=tax.transAxes)
    start, end = sites.period
    inch = 1.0 / height_in  # axes fraction of one inch
    k = fs(1.0)
    tax.text(0.0, 1.0 - 0.2 * k * inch, f"ranked by collisions in the study period; cost = DfT average value of prevention, "
             f"{sites.price_year} prices", fontsize=fs(6.8), va="top", color="#333333", transform=tax.transAxes)
    rows = max(len(table), 1)
    y = 1.0 - 0.42 * k * inch
    line = min(0.3 * k * inch, (y - 0.02) / (rows + 1.0))
    wrap = line >= 0.24 * k * inch  # room for a location on two lines
    for key, header, x, align in cols:
        tax.text(x, y, header, fontsize=fs(7.3), fontweight="bold", ha=align, va="top", transform=tax.transAxes,
                 linespacing=1.0)
    y -= line * 0.95 + (0.13 * k * inch if adjusted else 0.0)  # two-line headers need a little more
    tax.plot([0, 1], [y + line * 0.2, y + line * 0.2], color="black", linewidth=0.8, transform=tax.transAxes)
    size = min(fs(7.3), 0.8 * line / inch * 72)  # the type fits the row height (points)
    for i, row in table.iterrows():
        if i % 2 == 0:
            tax.add_patch(Rectangle((0, y - line * 0.78), 1, line, facecolor="#efefef", edgecolor="none",
                                    transform=tax.transAxes))
        for key, _header, x, align in cols:
            v = row[key]
            if key == "number":
                text = str(int(v))
                tax.text(x, y - line * 0.28, text, fontsize=size, ha="center", va="center", fontweight="bold",
                         transform=tax.transAxes)
                continue
            if key == "location":  # two lines at most, wrapped at the "/" between roads where possible
                parts = textwrap.wrap(str(v), loc_width, break_on_hyphens=False) if wrap else [
                    ellipsis(str(v), loc_width + 4)]
                text = "\n".join([parts[0], ellipsis(" ".join(parts[1:]), loc_width)] if len(parts) > 1 else parts)
                tax.text(x, y - line * 0.28, text, fontsize=size * (0.92 if len(parts) > 1 else 1.0), ha=align,
                         va="center", transform=tax.transAxes, linespacing=1.0)
                continue
            elif key == "cost_k_gbp":
                text = f"{float(v):,.0f}"
            elif key == "adjusted_ksi":
                text = f"{float(v):.1f}"
            else:
                text = f"{int(v):d}"
            tax.text(x, y - line * 0.28, text, fontsize=size, ha=align, va="center", transform=tax.transAxes)
        y -= line
    tax.plot([0, 1], [y + line * 0.2, y + line * 0.2], color="black", linewidth=0.6, transform=tax.transAxes)
    if len(table) == 0:
        tax.text(0.0, y - line * 0.3, "No cluster sites in the study period.", fontsize=size, va="center",
                 transform=tax.transAxes)
