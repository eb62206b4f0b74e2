"""Printed hotspot maps: the A4 or A3 sheet a casualty reduction officer takes to a meeting.

    import roadsafe as rs
    ds = rs.datasets.cambridgeshire()
    fig = rs.hotspot_map(ds, out="hotspots.pdf")                 # A4 landscape, KDE shading, top 10 sites
    fig = rs.hotspot_map(ds, out="hotspots.png", paper="A3", top=20, extent="sites")
    fig.roadsafe_map.table                                       # the site table as printed
    fig.roadsafe_map.site_numbers                                # the numbers drawn on the map

The map is drawn in British National Grid metres (EPSG:27700) with matplotlib only: no web tiles, no
network. Boundaries, roads and town names come from the county data shipped with roadsafe; extra
user layers (any file GDAL reads: GeoPackage, shapefile, GeoJSON, ...) are reprojected to EPSG:27700.
The sheet carries what a printed map needs: title and study period, shading with its units, numbered
sites matching the table, legend, scale bar, north arrow, grid ticks in km and the attribution text.
"""
from __future__ import annotations

import datetime as _dt
import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence, Union

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, PowerNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Polygon, Rectangle
import matplotlib.patheffects as pe

from .. import errors
from ..figures import new_figure
from ..geo.boundaries import area_geography
from ..geo.layers import BNG, read_layer, shipped_roads
from ..geo.road_layers import read_road_layer
from ..hotspots.sites import period_text
from ..io.fields import collision_xy, severity_names
from ..io.output_files import check_output, written_whole
from ..severity.published import adjusted_probabilities
from .sheet_geometry import fit_extent, length_label, line_segments, nice_length, place_labels, polygon_path, tick_step
from .site_table import draw_site_table, site_table

if TYPE_CHECKING:
    import geopandas

    from ..io.dataset import Dataset
    from ..hotspots.sites import ClusterSites

__all__ = ["hotspot_map", "MapInfo", "PAPER_SIZES_MM", "save_map"]

#: Landscape paper sizes (width, height) in millimetres.
PAPER_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}


# Roads are drawn in greys so that the coloured shading and the site numbers stay readable, even on a
# black-and-white printer; width carries the road class. (label, highway values, colour, width in pt)
_ROAD_STYLES: list[tuple[str, tuple[str, ...], str, float]] = [
    ("Motorway", ("motorway", "motorway_link"), "#1f1f1f", 2.2),
    ("Trunk road", ("trunk", "trunk_link"), "#3a3a3a", 1.6),
    ("Primary A road", ("primary", "primary_link"), "#5a5a5a", 1.15),
    ("Secondary (B) road", ("secondary", "secondary_link"), "#7a7a7a", 0.8),
    ("Minor road", ("tertiary", "tertiary_link", "unclassified", "residential", "living_street", "service",
                    "busway"), "#b4b4b4", 0.3),
]
# Classes worth drawing at county scale; minor roads only when the map covers a town or less.
_MINOR_ROADS_BELOW_M = 30_000.0

# White through yellow and orange to dark red: low density fades into the paper.
_SHADING = LinearSegmentedColormap.from_list(
    "roadsafe_density", ["#fff7bc", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"])

_ATTRIBUTION_COLLISIONS = "Collision data: police STATS19 records ({source}), Open Government Licence v3.0."
# The wording of datasets/geo/README.md.
_ATTRIBUTION_BOUNDARIES = ("Boundaries: Source: Office for National Statistics licensed under the Open Government "
                           "Licence v3.0 (district outlines packaged by Martin Chorley, CC BY 4.0).")
_ATTRIBUTION_ROADS = ("Roads © OpenStreetMap contributors, available under the Open Database Licence (ODbL 1.0); "
                      "the M11 from OS Open Roads (Open Government Licence v3.0).")
_ATTRIBUTION_OS = "Contains OS data © Crown copyright and database right 2024."
_ATTRIBUTION_COSTS = "Costs: DfT average value of prevention ({price_year} prices)."


@dataclass
class MapInfo:
    """What was drawn on a hotspot map (kept on the figure as ``fig.roadsafe_map``).

    ``site_numbers``: the numbers drawn on the map, in drawing order; ``table``: the site table as
    printed (one row per number, same order); ``extent``: (xmin, ymin, xmax, ymax) in BNG metres;
    ``scale_bar_m`` / ``scale_bar_label``: the scale bar's length and its end label; ``legend_labels``:
    every legend entry; ``place_names``: the towns or areas named on the map; ``selection``: what the
    data were selected to (area, period); ``insets``: (letter,
    extent, site numbers) of each larger-scale inset (its sites are numbered there, not on the main
    map); ``paper`` and ``size_mm``: the sheet; ``path``: the file written, if any."""

    paper: str
    size_mm: tuple[float, float]
    title: str
    subtitle: str
    extent: tuple[float, float, float, float]
    site_numbers: list[int]
    table: pd.DataFrame
    scale_bar_m: float
    scale_bar_label: str
    shading: Optional[str]
    shading_label: str
    legend_labels: list[str]
    attribution: str
    period: tuple[Optional[pd.Timestamp], Optional[pd.Timestamp]]
    layers: list[str] = field(default_factory=list)
    place_names: list[str] = field(default_factory=list)
    selection: list[str] = field(default_factory=list)
    insets: list[tuple[str, tuple[float, float, float, float], list[int]]] = field(default_factory=list)
    path: Optional[str] = None

    def __repr__(self) -> str:
        x0, y0, x1, y1 = self.extent
        where = f", written to {self.path}" if self.path else ""
        return (f"MapInfo: {self.paper} landscape, {len(self.site_numbers)} numbered sites, extent "
                f"{(x1 - x0) / 1000:.1f} x {(y1 - y0) / 1000:.1f} km, scale bar {self.scale_bar_label}, "
                f"shading {self.shading or 'none'}{where}")


def _collisions_in_period(ds: Any, sites: "ClusterSites") -> pd.DataFrame:
    df = ds if isinstance(ds, pd.DataFrame) else ds.collisions
    start, end = sites.period
    if start is None or end is None or "date" not in df.columns:
        return df
    dates = pd.to_datetime(df["date"])
    return df[(dates >= start) & (dates <= end)]


def _mostly_inside(x: np.ndarray, y: np.ndarray, bounds: Any) -> bool:
    x0, y0, x1, y1 = bounds
    return len(x) > 0 and bool(((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)).mean() >= 0.5)


def _on_sheet(layer: Optional["geopandas.GeoDataFrame"],
              bounds: tuple[float, float, float, float]) -> Optional["geopandas.GeoDataFrame"]:
    """The layer if any of it lies within ``bounds``, else None (the shipped county is not everyone's)."""
    if layer is None or len(layer) == 0:
        return None
    x0, y0, x1, y1 = bounds
    return layer if len(layer.cx[x0:x1, y0:y1]) else None


def _resolve_extent(extent: Any, county: Optional["geopandas.GeoDataFrame"], df: pd.DataFrame,
                    top_sites: pd.DataFrame) -> tuple[float, float, float, float]:
    if extent is None or (isinstance(extent, str) and extent == "county"):

        x, y, _ = collision_xy(df)
        ok = np.isfinite(x)
        if not ok.any():
            raise errors.InvalidInputError("no collision has a usable location: nothing to map")
        margin = 0.02  # of the larger side: the county outline needs little room, points more
        if county is not None and len(county) and _mostly_inside(x[ok], y[ok], county.total_bounds):
            x0, y0, x1, y1 = county.total_bounds
        else:
            margin = 0.06  # data from elsewhere: its own extent, a stray point or two left out
            x0, x1 = np.quantile(x[ok], [0.002, 0.998]) if ok.sum() > 500 else (x[ok].min(), x[ok].max())
            y0, y1 = np.quantile(y[ok], [0.002, 0.998]) if ok.sum() > 500 else (y[ok].min(), y[ok].max())
            x0, x1 = min(x0, x1 - 2000.0), max(x1, x0 + 2000.0)
            y0, y1 = min(y0, y1 - 2000.0), max(y1, y0 + 2000.0)
        pad = margin * max(x1 - x0, y1 - y0)
        return (float(x0 - pad), float(y0 - pad), float(x1 + pad), float(y1 + pad))
    if isinstance(extent, str):
        if extent != "sites":
            raise ValueError(f"extent must be 'county', 'sites' or (xmin, ymin, xmax, ymax) in BNG metres; got {extent!r}")
        if len(top_sites) == 0:
            return _resolve_extent(None, county, df, top_sites)
        x0, x1 = top_sites["centroid_x"].min(), top_sites["centroid_x"].max()
        y0, y1 = top_sites["centroid_y"].min(), top_sites["centroid_y"].max()
        pad = max(500.0, 0.12 * max(x1 - x0, y1 - y0))
        return (float(x0 - pad), float(y0 - pad), float(x1 + pad), float(y1 + pad))
    try:
        x0, y0, x1, y1 = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise ValueError(f"extent must be 'county', 'sites' or (xmin, ymin, xmax, ymax) in BNG metres; "
                         f"got {extent!r}") from None
    if not (x1 > x0 and y1 > y0):
        raise ValueError(f"extent must have xmin < xmax and ymin < ymax; got {extent!r}")
    return (x0, y0, x1, y1)


def _network_kde(df: pd.DataFrame, bandwidth: float, lixel: float,
                 bounds: tuple[float, float, float, float], roads: Any = None) -> "geopandas.GeoDataFrame":
    """Lixels with density > 0 crossing ``bounds``, density in collisions per km of road."""
    from ..hotspots.network_kde import network_kde

    lixels = network_kde(df, roads=roads, bandwidth=bandwidth, lixel=lixel).lixels
    x0, y0, x1, y1 = bounds
    keep = (lixels["density"] > 0) & lixels["x"].between(x0, x1) & lixels["y"].between(y0, y1)
    out = lixels[keep].copy()
    out["density"] = out["density"] * 1000.0
    return out


def hotspot_map(
    ds: Union["Dataset", pd.DataFrame],
    out: Union[str, Path, None] = None,
    paper: str = "A4",
    title: Optional[str] = None,
    shading: Optional[str] = "kde",
    sites: Optional["ClusterSites"] = None,
    top: int = 10,
    extent: Any = None,
    layers: Optional[Sequence[Union[str, Path, "geopandas.GeoDataFrame"]]] = None,
    dpi: int = 200,
    bandwidth: Optional[float] = None,
    cell: Optional[float] = None,
    subtitle: Optional[str] = None,
    insets: Optional[bool] = None,
    roads: Any = None,
    road_fields: Optional[dict[str, str]] = None,
    progress: Optional[Callable[[str], None]] = None,
) -> Figure:
    """A printable hotspot map (landscape A4 or A3): shading, numbered top sites with their table,
    district boundaries, roads and towns, legend, scale bar, north arrow, BNG grid and attribution.

    - ``shading``: "kde" (planar quartic KDE, ``bandwidth`` metres, on ``cell`` metre cells; by
      default a bandwidth of about 1/80 of the map's width, 300 m to 2 km, and cells of a tenth of it),
      "network_kde" (density along the shipped roads, ``rs.network_kde`` with ``bandwidth`` metres of
      network distance on lixels of ``cell`` metres) or None.
    - ``sites``: a ``cluster_sites`` result (default: the urban preset on ``ds``, with adjusted KSI
      when the data carry adjusted severity: ``adjusted=adjusted_probabilities(ds)``); the ``top`` first
      sites within the extent are numbered on the map and listed in the table, each by its site_id
      (its rank in the whole area: densest first), so on the county sheet they are 1..top.
      The study period, and the collisions shaded, are the sites' period.
    - ``extent``: "county" (default; the shipped county outline, or the data), "sites" (around the
      numbered sites) or (xmin, ymin, xmax, ymax) in BNG metres.
    - ``roads``: the user's road network (a file GDAL reads: OS Open Roads, OpenStreetMap .osm.pbf, any
      line layer described by ``road_fields``; or a GeoDataFrame), drawn and used to name the sites.
      Without it the shipped roads are drawn on a map in Cambridgeshire, and no roads elsewhere.
    - ``layers``: extra files read through GDAL (or GeoDataFrames), drawn as lines, points or
      polygon outlines and named in the legend by file name.
    - ``insets``: None (default) draws up to two insets at a larger scale where three or more numbered
      sites crowd together (a city centre), when the table leaves room for them; False never does.
    - ``out``: a .pdf or .png path (``dpi`` for PNG and for rasterised minor roads in the PDF).
    - ``progress``: called with the name of each step (the command line's progress bar).
    The returned figure carries ``fig.roadsafe_map`` (a MapInfo: numbers drawn, site table, scale bar...).
    """
    from .._version import __version__
    from ..hotspots import cluster_sites, kde

    if paper not in PAPER_SIZES_MM:
        raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES_MM)}; got {paper!r}")
    shading_key = None if shading in (None, "none") else str(shading).replace("-", "_")
    if shading_key not in (None, "kde", "network_kde"):
        raise ValueError(f"shading must be 'kde', 'network_kde' or None; got {shading!r}")
    if int(top) < 0:
        raise ValueError(f"top must be 0 or more; got {top!r}")
    out_path = check_output(out) if out is not None else None  # before the work: a missing folder fails now
    if out_path is not None and out_path.suffix.lower() not in (".pdf", ".png"):
        raise ValueError(f"out must end in .pdf or .png; got {str(out)!r}")
    step = progress or (lambda _stage: None)
    user_layers: list[tuple[str, "geopandas.GeoDataFrame"]] = []
    for layer in layers or []:  # read first: a missing file should fail before the slow work
        if isinstance(layer, (str, Path)):
            user_layers.append((Path(layer).stem, read_layer(layer)))
        else:
            gdf = layer.to_crs(BNG) if layer.crs else layer.set_crs(BNG)
            user_layers.append((str(getattr(layer, "name", None) or "user layer"), gdf))

    step("cluster sites")
    if sites is None:
        sites = cluster_sites(ds, preset="urban", adjusted=adjusted_probabilities(ds))
    df_all = ds if isinstance(ds, pd.DataFrame) else ds.collisions
    df = _collisions_in_period(ds, sites)
    geography = area_geography(ds)
    county, districts = geography.outline, geography.inner
    bounds = _resolve_extent(extent, county, df_all, sites.sites.head(int(top)))
    # The numbered sites are the first ``top`` sites on the sheet; each keeps its site_id (its rank in the
    # whole area) as its number, so a zoomed sheet and the county sheet agree.
    on_sheet = sites.sites[sites.sites["centroid_x"].between(bounds[0], bounds[2])
                           & sites.sites["centroid_y"].between(bounds[1], bounds[3])]
    top_sites = on_sheet.head(int(top)).reset_index(drop=True)

    w_mm, h_mm = PAPER_SIZES_MM[paper]
    scale = 1.0 if paper == "A4" else 1.3  # type sizes grow on A3, so it reads from further away
    fig = new_figure((w_mm / 25.4, h_mm / 25.4))
    fs = lambda pt: pt * scale  # noqa: E731

    # Frame: the map on the left, the site table and legend on the right.
    ax = fig.add_axes((0.035, 0.105, 0.50, 0.775))
    # Grow the extent (never crop it) to the frame's shape, so one metre is the same length both ways.
    frame = ax.get_position()
    x0, y0, x1, y1 = fit_extent(ax, bounds, (frame.height * h_mm) / (frame.width * w_mm))
    span = max(x1 - x0, y1 - y0)
    if bandwidth is None:  # a county sheet needs a wider kernel than a town sheet to show anything
        bandwidth = float(min(2000.0, max(300.0, nice_length(span / 80))))
    # The area's boundaries only where they reach the sheet; clip the shading to the area only when the
    # collisions are the area's.
    county = _on_sheet(county, (x0, y0, x1, y1))
    districts = _on_sheet(districts, (x0, y0, x1, y1))

    px, py, _ = collision_xy(df)
    clip_to_county = county is not None and _mostly_inside(px[np.isfinite(px)], py[np.isfinite(px)], county.total_bounds)
    ax.set_facecolor("#f4f4f0" if county is not None else "white")
    legend_handles: list[Any] = []
    legend_labels: list[str] = []

    # Base: the area on white, the outside greyed.
    if county is not None and len(county):
        ax.add_patch(PathPatch(polygon_path(county.geometry.union_all()), facecolor="white", edgecolor="none", zorder=0))

    # Shading.
    step("shading")
    shading_label = ""
    cax_data: Optional[tuple[Any, Any]] = None
    if shading_key == "kde":

        x, y, _ = collision_xy(df)
        margin = 2 * bandwidth
        keep = (x >= x0 - margin) & (x <= x1 + margin) & (y >= y0 - margin) & (y <= y1 + margin)
        grid_cell = float(cell) if cell is not None else float(max(10.0, nice_length(bandwidth / 10)))
        if keep.any():
            dens = kde(df[keep], cell=grid_cell, bandwidth=bandwidth, within=None)  # the map clips it itself
            rows, cols = dens.shape
            vmax = float(np.nanmax(dens.density)) if dens.density.size else 1.0
            floor = 0.005 * vmax
            shown = np.ma.masked_less(dens.density, floor)
            norm = PowerNorm(0.5, vmin=0.0, vmax=vmax if vmax > 0 else 1.0)
            im = ax.imshow(shown, extent=(dens.x0, dens.x0 + cols * dens.cell, dens.y1 - rows * dens.cell, dens.y1),
                           origin="upper", cmap=_SHADING, norm=norm, interpolation="bilinear", zorder=1, alpha=0.9)
            if clip_to_county and county is not None:
                clip = PathPatch(polygon_path(county.geometry.union_all()), transform=ax.transData, facecolor="none")
                im.set_clip_path(clip)
            cax_data = (im, norm)
        shading_label = (f"Collision density: collisions per km² over the study period (quartic kernel, "
                         f"{bandwidth:g} m bandwidth)")
    elif shading_key == "network_kde":
        lixels = _network_kde(df, bandwidth, float(cell) if cell is not None else max(20.0, nice_length(span / 1500)),
                              (x0, y0, x1, y1), roads=roads)
        segs = line_segments(lixels.geometry)
        vals = lixels["density"].to_numpy(dtype=float)
        vmax = float(np.nanmax(vals)) if len(vals) else 1.0
        norm = PowerNorm(0.5, vmin=0.0, vmax=vmax if vmax > 0 else 1.0)
        order = np.argsort(vals)  # densest drawn last, on top
        lc = LineCollection([segs[i] for i in order], array=vals[order], cmap=_SHADING, norm=norm,
                            linewidths=(2.2 if span > _MINOR_ROADS_BELOW_M else 3.0) * scale, zorder=1.5,
                            capstyle="round")
        ax.add_collection(lc)
        cax_data = (lc, norm)
        shading_label = f"Network density: collisions per km of road over the study period ({bandwidth:g} m bandwidth)"

    # Roads.
    step("roads")
    # The shipped roads are Cambridgeshire's: drawn only on a map of somewhere in the county.
    user_roads = roads

    def roads_in(box: tuple[float, float, float, float]) -> Optional["geopandas.GeoDataFrame"]:
        if user_roads is not None:
            return read_road_layer(user_roads, box, road_fields)
        return shipped_roads(box) if geography.in_cambridgeshire else None

    roads = roads_in((x0, y0, x1, y1))
    drew_roads = roads is not None and len(roads) > 0
    if roads is not None and len(roads):
        for label, classes, colour, width in reversed(_ROAD_STYLES):
            if label == "Minor road" and span > _MINOR_ROADS_BELOW_M:
                continue
            sel = roads[roads["highway"].isin(classes)]
            if len(sel) == 0:
                continue
            segs = line_segments(sel.geometry)
            lw = width * scale * (1.0 if span > _MINOR_ROADS_BELOW_M else 1.3)
            lc = LineCollection(segs, colors=colour, linewidths=lw, capstyle="round", joinstyle="round",
                                zorder=2 if label == "Minor road" else 4, rasterized=label == "Minor road")
            ax.add_collection(lc)
        for label, classes, colour, width in _ROAD_STYLES:
            if label == "Minor road" and span > _MINOR_ROADS_BELOW_M:
                continue
            if roads["highway"].isin(classes).any():
                legend_handles.append(Line2D([], [], color=colour, linewidth=max(width * scale, 0.6)))
                legend_labels.append(label)

    # Boundaries.
    if districts is not None and len(districts):
        ax.add_collection(LineCollection(line_segments(districts.geometry), colors="#6a3d9a", linewidths=0.9 * scale,
                                         linestyles=(0, (5, 2.5)), zorder=5))
        legend_handles.append(Line2D([], [], color="#6a3d9a", linewidth=0.9 * scale, linestyle=(0, (5, 2.5))))
        legend_labels.append(geography.inner_label)
    if county is not None and len(county):
        ax.add_collection(LineCollection(line_segments(county.geometry), colors="#3f007d", linewidths=1.6 * scale,
                                         zorder=5))
        legend_handles.append(Line2D([], [], color="#3f007d", linewidth=1.6 * scale))
        legend_labels.append(geography.outline_label)

    # User layers.
    for handle, name in zip(_draw_user_layers(ax, user_layers, scale), (n for n, _ in user_layers)):
        legend_handles.append(handle)
        legend_labels.append(name)

    # Place names: the county's towns, or the names of the boundaries drawn (districts, police force areas).
    towns = geography.labels
    halo = [pe.withStroke(linewidth=2.4, foreground="white")]
    to_inches = ax.transData + fig.dpi_scale_trans.inverted()
    obstacles: list[tuple[float, float]] = []
    place_names: list[str] = []
    if towns is not None and len(towns):
        inside = towns[towns["easting"].between(x0, x1, inclusive="neither")
                       & towns["northing"].between(y0, y1, inclusive="neither")]
        place_names = [str(n) for n in inside["name"]]
        for _, t in inside.iterrows():
            city = str(t.get("kind", "")).lower() == "city"
            size = fs(9 if city else 7.5 if t.get("kind") == "town" else 6.0)
            ax.text(t["easting"], t["northing"], str(t["name"]), fontsize=size,
                    fontweight="bold" if city else "normal", color="#222222", ha="center", va="center",
                    path_effects=halo, zorder=7, clip_on=True)
            # Keep the site numbers off the name: sample points along its width (about 0.6 em a letter).
            cx, cy = to_inches.transform((t["easting"], t["northing"]))
            half = 0.3 * len(str(t["name"])) * size / 72
            obstacles += [(cx + dx, cy) for dx in np.linspace(-half, half, max(2, int(2 * half / 0.05)))]

    # Numbered sites. Where several crowd together at this scale (a city centre), they go on an inset
    # at a larger scale instead, its area outlined and lettered on the main map.
    step("sites")
    numbers = [int(v) for v in top_sites["site_id"]] if len(top_sites) else []
    r_in = 0.085 * scale
    groups: list[np.ndarray] = []
    if len(top_sites):
        sx = top_sites["centroid_x"].to_numpy(float)
        sy = top_sites["centroid_y"].to_numpy(float)
        # Insets go under the table: only when the table leaves them 1.4 inches (scaled) of height.
        table_h = (0.6 + 0.19 * len(top_sites)) * scale / (h_mm / 25.4)
        inset_h = 0.88 - table_h - 0.035 - 0.30
        # Only on a county or town sheet: at national scale a crowded group spans a region, not a town.
        if insets is not False and inset_h * h_mm / 25.4 >= 1.4 * scale and span <= 150_000:
            groups = _crowded_groups(to_inches.transform(np.column_stack([sx, sy])), 5.5 * r_in, min_size=3)[:2]
    inset_extents = []
    for letter, g in zip("AB", groups):
        gx, gy = top_sites["centroid_x"].to_numpy(float)[g], top_sites["centroid_y"].to_numpy(float)[g]
        pad = max(600.0, 0.25 * max(np.ptp(gx), np.ptp(gy)))
        box_ext = (gx.min() - pad, gy.min() - pad, gx.max() + pad, gy.max() + pad)
        inset_extents.append((letter, box_ext, g))
        ax.add_patch(Rectangle((box_ext[0], box_ext[1]), box_ext[2] - box_ext[0], box_ext[3] - box_ext[1],
                               facecolor="none", edgecolor="black", linewidth=1.1 * scale, zorder=9))
        ax.text(box_ext[0], box_ext[3], f"{letter} ", ha="right", va="bottom", fontsize=fs(9), fontweight="bold",
                zorder=9, path_effects=halo)
        corner = to_inches.transform((box_ext[0], box_ext[3]))
        obstacles += [(corner[0] - 0.06 * scale, corner[1] + 0.06 * scale)]
    if len(top_sites):
        on_inset = np.zeros(len(top_sites), dtype=bool)
        for g in groups:
            on_inset[g] = True
        ax.plot(sx, sy, "o", color="black", markersize=2.8 * scale, zorder=8, linestyle="none")
        _number_sites(fig, ax, top_sites[~on_inset], r_in, fs, obstacles)
        legend_handles.append(Line2D([], [], marker="o", markersize=9 * scale, markerfacecolor="white",
                                     markeredgecolor="black", linestyle="none"))
        legend_labels.append("Cluster site, numbered as in the table")

    # Grid ticks in km on the British National Grid, light grid lines for reading off positions.
    tick = tick_step(span)
    xt = np.arange(math.ceil(x0 / tick) * tick, x1 + 1e-6, tick)
    yt = np.arange(math.ceil(y0 / tick) * tick, y1 + 1e-6, tick)
    fmt = (lambda v: f"{v / 1000:g}")
    ax.set_xticks(xt, [fmt(v) for v in xt], fontsize=fs(7))
    ax.set_yticks(yt, [fmt(v) for v in yt], fontsize=fs(7), rotation=90, va="center")
    ax.tick_params(direction="in", length=4, top=True, right=True, labeltop=False, labelright=False)
    ax.grid(color="#9a9a9a", linewidth=0.3, alpha=0.5, zorder=0.5)
    ax.set_axisbelow(False)
    ax.set_xlabel("Easting, km (British National Grid, EPSG:27700)", fontsize=fs(7))
    ax.set_ylabel("Northing, km", fontsize=fs(7))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)

    # Scale bar (bottom left, in four alternating blocks) and north arrow (top right).
    bar = nice_length((x1 - x0) * 0.28)
    bar_label = length_label(bar)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    bh = 0.012 * (y1 - y0)
    ax.add_patch(Rectangle((bx - 0.015 * (x1 - x0), by - 0.025 * (y1 - y0)), bar + 0.05 * (x1 - x0), 0.075 * (y1 - y0),
                           facecolor="white", edgecolor="none", alpha=0.85, zorder=10))
    for i in range(4):
        ax.add_patch(Rectangle((bx + i * bar / 4, by), bar / 4, bh, facecolor="black" if i % 2 == 0 else "white",
                               edgecolor="black", linewidth=0.6, zorder=11))
    ax.text(bx, by + 1.6 * bh, "0", ha="center", va="bottom", fontsize=fs(7), zorder=11)
    ax.text(bx + bar / 2, by + 1.6 * bh, length_label(bar / 2).split()[0], ha="center", va="bottom", fontsize=fs(7),
            zorder=11)
    ax.text(bx + bar, by + 1.6 * bh, bar_label, ha="center", va="bottom", fontsize=fs(7), zorder=11)
    nx, ny = x1 - 0.06 * (x1 - x0), y1 - 0.11 * (y1 - y0)
    ah = 0.06 * (y1 - y0)
    aw = 0.35 * ah
    ax.add_patch(Polygon([(nx, ny + ah), (nx - aw / 2, ny), (nx, ny + 0.25 * ah)], closed=True, facecolor="black",
                         edgecolor="black", linewidth=0.6, zorder=11))
    ax.add_patch(Polygon([(nx, ny + ah), (nx + aw / 2, ny), (nx, ny + 0.25 * ah)], closed=True, facecolor="white",
                         edgecolor="black", linewidth=0.6, zorder=11))
    ax.text(nx, ny + ah * 1.05, "N", ha="center", va="bottom", fontsize=fs(11), fontweight="bold", zorder=11,
            path_effects=halo)

    # Title block.
    step("layout")
    area_name: Optional[str] = getattr(ds, "name", None)
    if title is None:
        title = "Injury collision hotspots" + (f": {area_name.split(' 20')[0]}" if area_name else "")
    period = period_text(sites.period, df, sites.years)
    if subtitle is None:
        subtitle = (f"Study period {period}. {len(df):,} injury collisions. Cluster sites: {sites.min_collisions} or more "
                    f"collisions within {sites.radius:g} m; "
                    + (f"{len(sites):,} site{'s' if len(sites) != 1 else ''}, the top {len(top_sites)} numbered."
                       if len(top_sites) else
                       f"{len(sites):,} sites{' (none on this map)' if len(sites) else ''}."))
    produced = f"Produced with roadsafe {__version__} on {_dt.date.today():%-d %B %Y}"
    fig.text(0.035, 0.955, title, fontsize=fs(17), fontweight="bold", va="baseline")
    fig.text(0.035, 0.922, subtitle, fontsize=fs(9), va="baseline")
    fig.text(0.035, 0.898, produced, fontsize=fs(8), color="#444444", va="baseline")

    # Site table; the insets under it; the legend at the foot of the column.
    near = None
    if len(top_sites):  # the roads around the sites, to name them, whatever the sheet's extent
        sx, sy = top_sites["centroid_x"], top_sites["centroid_y"]
        near = roads_in((float(sx.min() - 200), float(sy.min() - 200), float(sx.max() + 200), float(sy.max() + 200)))
    table = site_table(top_sites, near, sites, df_all)
    table_rect = (0.565, 0.88 - table_h, 0.41, table_h) if inset_extents else (0.565, 0.40, 0.41, 0.48)
    tax = fig.add_axes(table_rect)
    tax.set_axis_off()
    draw_site_table(tax, table, fs, sites, on_map_only=len(table) > 0 and int(table["number"].iloc[-1]) != len(table),
                height_in=table_rect[3] * h_mm / 25.4)
    if inset_extents:
        step("insets")
        width = 0.195 if len(inset_extents) > 1 else 0.27  # one inset alone is not stretched across the column
        for i, (letter, box_ext, g) in enumerate(inset_extents):
            rect = (0.565 + i * (width + 0.02), 0.30, width, inset_h)
            name_near = _nearest_town(towns, (box_ext[0] + box_ext[2]) / 2, (box_ext[1] + box_ext[3]) / 2)
            _draw_inset(fig, rect, f"{letter}{': ' + name_near if name_near else ''}", box_ext, df,
                        top_sites.iloc[g], county, districts, scale, fs, (w_mm, h_mm), user_layers,
                        roads_in=roads_in)
        for label, colour, size in _SEVERITY_DOTS:
            legend_handles.append(Line2D([], [], marker="o", color=colour, markersize=size * scale, linestyle="none",
                                         markeredgecolor="white", markeredgewidth=0.3))
            legend_labels.append(f"{label} collision (insets)")
        legend_handles.append(Rectangle((0, 0), 1, 1, facecolor="none", edgecolor="black", linewidth=1.1 * scale))
        legend_labels.append("Area shown on inset " + " and ".join(letter for letter, _, _ in inset_extents))

    legend_rect = (0.565, 0.105, 0.41, 0.175 if inset_extents else 0.27)
    lax = fig.add_axes(legend_rect)
    lax.set_axis_off()
    lh = legend_rect[3] * h_mm / 25.4  # the legend's height in inches: place its parts by inches
    lax.text(0.0, 1.0, "Legend", fontsize=fs(10), fontweight="bold", va="top", transform=lax.transAxes)
    below = 0.24 * scale  # inches from the top of the legend
    if cax_data is not None:
        mappable, norm = cax_data
        lax.text(0.0, 1 - below / lh, shading_label, fontsize=fs(7), va="top", transform=lax.transAxes)
        below += 0.16 * scale
        cbar_ax = fig.add_axes((0.5675, legend_rect[1] + legend_rect[3] * (1 - below / lh) - 0.018, 0.25, 0.016))
        cb = fig.colorbar(mappable, cax=cbar_ax, orientation="horizontal")
        from matplotlib.ticker import MaxNLocator

        cb.locator = MaxNLocator(5)  # the square-root scale crowds default ticks at the top end
        cb.update_ticks()
        cb.ax.tick_params(labelsize=fs(6.5), length=2, pad=1)
        cb.outline.set_linewidth(0.5)
        below += 0.42 * scale
    if legend_handles:
        lax.legend(legend_handles, legend_labels, loc="upper left", bbox_to_anchor=(0.0, 1 - below / lh),
                   frameon=False, fontsize=fs(6.8), ncols=2 if len(legend_handles) > 4 else 1, handlelength=2.4,
                   columnspacing=1.2, borderaxespad=0.0, labelspacing=0.35)

    # Attribution across the foot of the sheet.
    source = area_name or "the loaded files"
    # Credit what is on the sheet: the shipped layers only where they were drawn.
    parts = [_ATTRIBUTION_COLLISIONS.format(source=source)]
    if county is not None or districts is not None:
        parts.append(_ATTRIBUTION_BOUNDARIES if geography.in_cambridgeshire else geography.attribution)
        parts.append(f"Boundaries drawn: {geography.vintage}.")
    if drew_roads:
        parts.append(_ATTRIBUTION_ROADS if user_roads is None else
                     f"Roads: {Path(user_roads).name if isinstance(user_roads, (str, Path)) else 'a road layer'}, "
                     "supplied by the user.")
    if geography.in_cambridgeshire and (county is not None or districts is not None or drew_roads):
        parts.append(_ATTRIBUTION_OS)
    parts.append(_ATTRIBUTION_COSTS.format(price_year=sites.price_year))
    attribution = " ".join(parts)
    if user_layers:
        attribution += " Extra layers: " + ", ".join(n for n, _ in user_layers) + " (supplied by the user)."
    selection = getattr(ds, "selection", None)
    if selection:
        attribution += " Selected from the loaded records: " + "; ".join(selection) + "."
    fig.text(0.035, 0.018, "\n".join(textwrap.wrap(attribution, 210 if paper == "A4" else 230)),
             fontsize=fs(6.3), color="#333333", va="bottom")

    info = MapInfo(paper=paper, size_mm=(w_mm, h_mm), title=title, subtitle=subtitle, extent=(x0, y0, x1, y1),
                   site_numbers=numbers, table=table, scale_bar_m=bar, scale_bar_label=bar_label, shading=shading_key,
                   shading_label=shading_label, legend_labels=(["Legend"] + legend_labels), attribution=attribution,
                   period=sites.period, layers=[n for n, _ in user_layers], place_names=place_names,
                   selection=list(selection or []),
                   insets=[(letter, tuple(float(v) for v in ext), [numbers[i] for i in g])  # type: ignore[misc]
                           for letter, ext, g in inset_extents])
    fig.roadsafe_map = info  # type: ignore[attr-defined]
    if out_path is not None:
        step("writing")
        save_map(fig, out_path, dpi=dpi)
    return fig


def save_map(fig: Figure, out: Union[str, Path], dpi: int = 200) -> str:
    """Write a map figure to PDF or PNG (by suffix), fonts embedded as TrueType so the PDF's text
    can be searched and copied."""
    import matplotlib

    out_path = Path(out)
    suffix = out_path.suffix.lower()
    if suffix not in (".pdf", ".png"):
        raise ValueError(f"out must end in .pdf or .png; got {str(out)!r}")
    with matplotlib.rc_context({"pdf.fonttype": 42}), written_whole(out_path) as tmp:
        info = getattr(fig, "roadsafe_map", None)
        metadata: Optional[dict[str, str]] = None
        if info is not None:
            metadata = {"Title": info.title}
            if suffix == ".pdf" and info.selection:
                metadata["Subject"] = "Selected: " + "; ".join(info.selection)
        fig.savefig(tmp, dpi=dpi, format=suffix[1:], metadata=metadata)
    if hasattr(fig, "roadsafe_map"):
        fig.roadsafe_map.path = str(out_path)
    return str(out_path)


_LAYER_COLOURS = ["#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]


def _draw_user_layers(ax: Any, user_layers: Sequence[tuple[str, Any]], scale: float) -> list[Any]:
    """Draw each user layer (lines and polygon outlines as lines, points as diamonds) in its own
    colour; return a legend handle per layer."""
    import shapely

    handles = []
    for i, (_name, gdf) in enumerate(user_layers):
        colour = _LAYER_COLOURS[i % len(_LAYER_COLOURS)]
        is_point = gdf.geom_type.isin(["Point", "MultiPoint"])
        points, others = gdf[is_point], gdf[~is_point]
        if len(others):
            ax.add_collection(LineCollection(line_segments(others.geometry), colors=colour, linewidths=1.4 * scale,
                                             zorder=6))
        if len(points):
            xy = shapely.get_coordinates(shapely.get_parts(points.geometry.to_numpy()))
            ax.plot(xy[:, 0], xy[:, 1], "D", color=colour, markersize=4.5 * scale, markeredgecolor="white",
                    markeredgewidth=0.5, zorder=6, linestyle="none")
        marker = "D" if len(points) else None
        handles.append(Line2D([], [], color=colour, linewidth=1.4 * scale if len(others) else 0, marker=marker,
                              markersize=4.5 * scale, markeredgecolor="white", markeredgewidth=0.5))
    return handles


_SEVERITY_DOTS = [("Fatal", "#000000", 5.0), ("Serious", "#d7301f", 4.0), ("Slight", "#8c8c8c", 3.0)]


def _crowded_groups(points: np.ndarray, distance: float, min_size: int = 3) -> list[np.ndarray]:
    """Groups (single linkage at ``distance``) of at least ``min_size`` points, largest first; each
    group's indices ascending (so in site order)."""
    n = len(points)
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if np.hypot(*(points[i] - points[j])) <= distance:
                parent[root(i)] = root(j)
    roots = np.array([root(i) for i in range(n)])
    groups = [np.flatnonzero(roots == r) for r in dict.fromkeys(roots.tolist())]
    groups = [g for g in groups if len(g) >= min_size]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def _nearest_town(towns: Optional[pd.DataFrame], x: float, y: float, within: float = 6000.0) -> str:
    if towns is None or len(towns) == 0:
        return ""
    d = np.hypot(towns["easting"].to_numpy(float) - x, towns["northing"].to_numpy(float) - y)
    i = int(np.argmin(d))
    return str(towns["name"].iloc[i]) if d[i] <= within else ""


def _number_sites(fig: Figure, ax: Any, sites_df: pd.DataFrame, r_in: float, fs: Callable[[float], float],
                  obstacles: Sequence[tuple[float, float]] = ()) -> None:
    """Numbers in circles for each site, pushed clear of each other and of ``obstacles`` (page
    inches), with a leader line to the site when moved."""
    if len(sites_df) == 0:
        return
    to_inches = ax.transData + fig.dpi_scale_trans.inverted()
    sx = sites_df["centroid_x"].to_numpy(float)
    sy = sites_df["centroid_y"].to_numpy(float)
    pts_in = to_inches.transform(np.column_stack([sx, sy]))
    box = ax.get_window_extent().transformed(fig.dpi_scale_trans.inverted())
    lab_in = place_labels(pts_in, r_in, (box.x0, box.y0, box.x1, box.y1),
                           obstacles=np.asarray(list(obstacles), float).reshape(-1, 2))
    lab_xy = to_inches.inverted().transform(lab_in)
    for n, px, py, (lx, ly), pi, li in zip(sites_df["site_id"], sx, sy, lab_xy, pts_in, lab_in):
        if np.hypot(*(li - pi)) > 0.6 * r_in:
            ax.plot([px, lx], [py, ly], color="black", linewidth=0.7, zorder=8)
        ax.text(lx, ly, str(int(n)), ha="center", va="center", fontsize=fs(7.5), fontweight="bold", zorder=9,
                bbox=dict(boxstyle="circle,pad=0.22", facecolor="white", edgecolor="black", linewidth=1.0))


def _draw_inset(fig: Figure, rect: tuple[float, float, float, float], title: str,
                bounds: tuple[float, float, float, float], df: pd.DataFrame, sites_df: pd.DataFrame,
                county: Any, districts: Any, scale: float, fs: Callable[[float], float],
                page_mm: tuple[float, float], user_layers: Sequence[tuple[str, Any]] = (),
                roads_in: Callable[[tuple[float, float, float, float]], Any] = lambda box: None) -> Any:
    """A larger-scale map of a crowded area: every road, each collision as a dot by severity, the
    numbered sites and a scale bar."""

    ax = fig.add_axes(rect)
    w_mm, h_mm = page_mm
    x0, y0, x1, y1 = fit_extent(ax, bounds, (rect[3] * h_mm) / (rect[2] * w_mm))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(1.1 * scale)
    roads = roads_in((x0, y0, x1, y1))
    if roads is not None and len(roads):
        for label, classes, colour, width in reversed(_ROAD_STYLES):
            sel = roads[roads["highway"].isin(classes)]
            if len(sel):
                ax.add_collection(LineCollection(line_segments(sel.geometry), colors=colour, zorder=2,
                                                 linewidths=width * scale * (1.6 if label == "Minor road" else 1.3),
                                                 rasterized=label == "Minor road"))
    if districts is not None and len(districts):
        ax.add_collection(LineCollection(line_segments(districts.geometry), colors="#6a3d9a", linewidths=0.9 * scale,
                                         linestyles=(0, (5, 2.5)), zorder=3))
    x, y, _ = collision_xy(df)
    sev = severity_names(df)
    inside = np.isfinite(x) & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    for (label, colour, size), key in zip(reversed(_SEVERITY_DOTS), ("slight", "serious", "fatal")):
        sel = inside & (sev == key)
        ax.plot(x[sel], y[sel], "o", color=colour, markersize=size * scale * 0.55, markeredgecolor="white",
                markeredgewidth=0.2, linestyle="none", zorder=4 if key == "slight" else 5)
    _draw_user_layers(ax, user_layers, scale)
    _number_sites(fig, ax, sites_df, 0.085 * scale, fs)
    ax.set_title(title, loc="left", fontsize=fs(8), fontweight="bold", pad=2)
    bar = nice_length((x1 - x0) * 0.3)
    bx, by = x0 + 0.05 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    ax.add_patch(Rectangle((bx - 0.02 * (x1 - x0), by - 0.03 * (y1 - y0)), bar + 0.16 * (x1 - x0), 0.1 * (y1 - y0),
                           facecolor="white", edgecolor="none", alpha=0.85, zorder=10))
    ax.add_patch(Rectangle((bx, by), bar, 0.018 * (y1 - y0), facecolor="black", edgecolor="black", zorder=11))
    ax.text(bx + bar + 0.02 * (x1 - x0), by, length_label(bar), fontsize=fs(6.5), va="bottom", zorder=11)
    return ax


