"""The board's dashboard: one self-contained HTML file that works from an e-mail attachment with no network.

    rs.dashboard(ds, out="dashboard.html")                    # any Dataset, or ds.select(...) of an area
    rs.dashboard(ds, out="d.html", trauma=("trauma.csv", "injuries.csv"), roads="oproad.gpkg")

Built from a Jinja2 template (``templates/dashboard.html.j2``) with plotly.js (MIT, from the ``plotly`` wheel)
inlined, the collisions as compact columns, and the area's boundaries as line shapes in British National Grid
(no tiles, no CDN). Filters (years, severity, road user, district) re-aggregate the embedded rows in the page, so
the KSI trend, the month and hour x weekday charts, the "who" charts, the map and the site table change together;
the performance block, the rates and the comparisons are for all the records and say so.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

import numpy as np
import pandas as pd

from .. import errors
from ..linkage.police_records import ROAD_USERS
from ..io.output_files import check_output, written_whole
from .dashboard_data import (AGE_BANDS, INVOLVED, SEX_NAMES, WEEKDAYS, casualty_columns, collision_columns,
                             poisson_table, shapes, table_records)

if TYPE_CHECKING:
    import geopandas

#: Collisions drawn one by one up to this many in view; beyond it the map groups them into grid cells.
POINTS_IN_VIEW = 3000
#: Up to this many highway authorities in the data each get their similar authorities; more are compared with GB.
MAX_SIMILAR_AREAS = 6
DATA_LICENCE = ("Collision records: police STATS19 data, Department for Transport / the police force, Open "
                "Government Licence v3.0.")
PLOTLY_LICENCE = "Charts: plotly.js (MIT licence, © Plotly, Inc.), inlined from the plotly Python package."


@dataclass
class Dashboard:
    """What ``dashboard`` wrote: the file, its size, the build time and the figures it shows unfiltered."""

    path: str
    size_bytes: int
    seconds: float
    collisions: int
    ksi: int
    sites: int
    sections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"<roadsafe.Dashboard {self.path}: {self.size_bytes / 1e6:.1f} MB, built in {self.seconds:.1f} s; "
                f"{self.collisions:,} collisions, {self.ksi:,} KSI, {self.sites} numbered sites>")


def plotly_js() -> str:
    """plotly.js as shipped in the plotly wheel (read from the installed package, never fetched)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _period_start(ym: np.ndarray, by: str) -> np.ndarray:
    """The year each month (year * 12 + month - 1) falls in: its financial year's first year, or its own."""
    years = ym // 12
    return np.where(ym % 12 >= 3, years, years - 1) if by == "financial_year" else years


def _districts(ds: Any) -> tuple[np.ndarray, list[str]]:
    from ..trends.rates import area_codes
    from ..geo.boundaries import boundary_layer

    codes = area_codes(ds.collisions, by="district")
    names = boundary_layer("districts_2019").set_index("code")["name"].to_dict()
    present = sorted({c for c in codes if c}, key=lambda c: names.get(c, c))
    index = {c: i for i, c in enumerate(present)}
    return np.array([index.get(c, -1) for c in codes], dtype=np.int64), [names.get(c, c) for c in present]


def _adjustment(ds: Any) -> tuple[Optional[np.ndarray], dict[str, Any], Any]:
    """Per-collision DfT probabilities, or the estimated step (switch month, rate ratio and its interval); and
    the reclassification estimate (None with DfT probabilities or too few months)."""
    from ..severity.published import has_adjusted
    from ..trends.periods import event_weights
    from .board_report import _adjusted_ksi

    if has_adjusted(ds):
        w = event_weights(ds, adjusted=True)
        p = np.zeros(len(ds.collisions))
        p[w.index.to_numpy()] = w["serious_adjusted"].to_numpy(float)
        return p, {"basis": "DfT/ONS severity adjustment (the data's adjusted-severity probabilities)"}, None
    _, basis, switch, effect = _adjusted_ksi(ds)
    if effect is None or switch is None:
        return None, {"basis": basis}, None
    return None, {"basis": basis, "switch_ym": int(switch.year * 12 + switch.month - 1),
                  "ratio": float(effect.rate_ratio), "ratio_lower": float(effect.lower),
                  "ratio_upper": float(effect.upper), "switch": f"{switch:%B %Y}"}, effect


def _performance(ds: Any, as_of: Any, effect: Any) -> tuple[Optional[dict[str, Any]], str]:
    from ..io.coverage import coverage_of, describe_spans
    from ..trends.performance import default_as_of, performance_summary
    from .board_report import _with_adjusted_verdicts

    try:
        as_of_ts = pd.Timestamp(as_of) if as_of is not None else default_as_of(ds)
        perf = _with_adjusted_verdicts(performance_summary(ds, as_of=as_of_ts), ds, as_of_ts, effect)
    except (ValueError, errors.RoadsafeError) as e:
        return None, f"no performance block: {e}"
    if (perf["verdict"] == "not covered").all():
        return None, (f"no performance block: the records ({describe_spans(coverage_of(ds))}) do not cover the "
                      f"periods it compares as of {as_of_ts:%d %B %Y}")
    cols = [c for c in ("measure", "comparison", "current", "reference", "change_percent", "verdict",
                        "adjusted_verdict") if c in perf.columns]
    return table_records(perf[cols]), f"as of {as_of_ts:%d %B %Y}"


def _rates(ds: Any) -> dict[str, Any]:
    from ..trends.comparison import SIMILARITY, compare
    from ..trends.rates import rates

    out: dict[str, Any] = {"how": SIMILARITY}
    for per in ("population", "traffic"):
        try:
            r = rates(ds, per=per)
            out[per] = table_records(r[r["rate"].notna()][["name", "year", "count", "rate", "lower", "upper"]], 1)
            many = r["code"].nunique() > MAX_SIMILAR_AREAS  # a national table: each area against GB only
            c = compare(r, with_="gb" if many else "similar", n=5)
        except (ValueError, errors.RoadsafeError) as e:
            out.setdefault(per, None)
            out[f"{per}_note"] = out[f"compare_{per}_note"] = str(e)
            out[f"compare_{per}"] = None
            continue
        names = dict(zip(c["code"], c["name"]))
        c["similar_to"] = [names.get(s, "") if isinstance(s, str) else "" for s in c.get("similar_to", [""] * len(c))]
        out[f"compare_{per}"] = table_records(c[["role", "name", "similar_to", "count", "rate", "lower", "upper",
                                                 "vs_gb"]], 1)
    return out


def _sites(ds: Any, top: int, roads: Any) -> tuple[dict[str, Any], list[list[int]]]:
    """The numbered cluster sites (as on the printed map), named from ``roads`` (the user's GeoDataFrame, or
    "shipped": the county's roads) or else from the records."""
    from ..hotspots import cluster_sites
    from ..severity.published import adjusted_probabilities
    from .site_table import site_table

    sites = cluster_sites(ds, preset="urban", adjusted=adjusted_probabilities(ds))
    top_sites = sites.sites.head(int(top)).reset_index(drop=True)
    table = site_table(top_sites, roads, sites, ds.collisions)
    members = sites.members.groupby("site_id")["row"].apply(list)
    rows = [[int(r) for r in members.get(s, [])] for s in top_sites["site_id"]]
    info = {"number": table["number"].astype(int).tolist() if len(table) else [],
            "location": table["location"].astype(str).tolist() if len(table) else [],
            "x": table["easting"].astype(int).tolist() if len(table) else [],
            "y": table["northing"].astype(int).tolist() if len(table) else [],
            "rule": f"{sites.min_collisions}+ collisions within {sites.radius:g} m"
                    + (f" over {sites.years:g} years" if sites.years else "")}
    return info, rows


def _road_layer(ds: Any, roads: Any) -> Optional["geopandas.GeoDataFrame"]:
    """The user's roads around the collisions (standard vocabulary), or None without them."""
    from ..geo.road_layers import read_road_layer
    from ..io.fields import collision_xy

    if roads is None:
        return None
    x, y, _ = collision_xy(ds.collisions)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return None
    return read_road_layer(roads, (float(x[ok].min()), float(y[ok].min()), float(x[ok].max()), float(y[ok].max())))


def _map_layers(geo: Any, roads: Optional["geopandas.GeoDataFrame"], national: bool) -> dict[str, Any]:
    tolerance = 500.0 if national else 50.0
    out: dict[str, Any] = {"outline": None, "inner": None, "roads": None, "outline_label": geo.outline_label,
                           "inner_label": geo.inner_label, "vintage": geo.vintage, "attribution": geo.attribution}
    if geo.outline is not None:
        out["outline"] = shapes(geo.outline.geometry, tolerance)
    if geo.inner is not None:
        out["inner"] = shapes(geo.inner.geometry, tolerance)
    if roads is not None:  # the classified network keeps the file small
        major = roads[roads["highway"].isin(["motorway", "trunk", "primary", "secondary"])]
        out["roads"] = shapes(major.geometry, 20.0)
    return out


def _mais(ds: Any, trauma: Any, links: Any) -> Optional[dict[str, Any]]:
    """MAIS 3+ casualties by financial year from linked hospital records, with MAIS 3+ per 100,000 residents of
    the data's highway authorities (mid-year population of the year the financial year starts; years the
    records cover in full only) and its exact interval."""
    from ..io.coverage import coverage_of, covered_fraction
    from ..trends.rates import exact_interval, rates
    from .board_report import _mais3_table

    table = _mais3_table(ds, trauma, links)
    if table is None:
        return None
    cols = [c for c in ("fatal", "serious", "severe_mais3", "ksi", "killed_plus_severe", "linkage_rate")
            if c in table.columns]
    out = table[cols].copy()
    try:
        residents = rates(ds, per="population").groupby("year")["denominator"].sum()
    except (ValueError, errors.RoadsafeError):
        residents = pd.Series(dtype=float)
    starts = [pd.Timestamp(int(str(p)[:4]), 4, 1) for p in out.index]
    whole = covered_fraction(coverage_of(ds), starts, [s + pd.DateOffset(years=1) - pd.Timedelta(days=1)
                                                       for s in starts]) >= 1.0
    den = np.array([residents.get(s.year, np.nan) for s in starts], dtype=float) / 1e5
    den[~whole] = np.nan
    count = out["severe_mais3"].to_numpy(dtype=float)
    lower, upper = exact_interval(np.nan_to_num(count))
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mais3_per_100k"] = count / den
        out["mais3_per_100k_lower"], out["mais3_per_100k_upper"] = lower / den, upper / den
    return table_records(out.reset_index(), 2)


def dashboard(ds: Any, out: Union[str, Path] = "dashboard.html", title: Optional[str] = None,
              by: str = "financial_year", trauma: Any = None, links: Any = None, roads: Any = None, top: int = 10,
              as_of: Any = None, progress: Optional[Callable[[str], None]] = None) -> Dashboard:
    """Write the board's dashboard: one HTML file, every script, style and shape inside it.

    - ``by``: "financial_year" (April to March, default) or "calendar_year", for the trend and the year filters.
    - ``trauma`` / ``links``: hospital trauma records (as ``rs.board_report``) add a MAIS 3+ table.
    - ``roads``: the user's road network (any file GDAL reads, or a GeoDataFrame), its classified roads drawn.
    - ``top``: how many cluster sites are numbered (as on the printed map: the urban preset, densest first).
    - ``as_of``: the date of the performance block (default: the end of the last full month of data).
    """
    import jinja2

    from .._version import __version__
    from ..geo.boundaries import area_geography
    from ..io.coverage import coverage_of, covered_fraction, describe_spans
    from ..trends.denominators import ATTRIBUTION

    started = time.perf_counter()
    if by not in ("financial_year", "calendar_year"):
        raise errors.InvalidInputError(f"by must be 'financial_year' or 'calendar_year', not {by!r}", value=str(by))
    out_path = check_output(out)
    if out_path.suffix.lower() not in (".html", ".htm"):
        raise errors.InvalidInputError(f"out must end in .html; got {str(out)!r}", value=str(out))
    if len(ds.collisions) == 0:
        raise errors.InvalidInputError("the dataset has no collisions: there is nothing to show")
    step = progress or (lambda _stage: None)
    name = getattr(ds, "name", None) or ""
    title = title or ("Road safety dashboard" + (f": {name.split(' 20')[0]}" if name else ""))
    national = ds.collisions["police_force"].nunique() > 3 if "police_force" in ds.collisions.columns else False

    step("collisions")
    district_index, district_names = _districts(ds)
    p, adjustment, effect = _adjustment(ds)
    col = collision_columns(ds, district_index, p)
    step("casualties")
    cas = casualty_columns(ds)
    step("sites")
    road_layer = _road_layer(ds, roads)
    geo = area_geography(ds)
    # Without the user's roads, sites in Cambridgeshire are named from the shipped county roads, as on the printed map.
    sites, site_rows = _sites(ds, top, road_layer if road_layer is not None else
                              "shipped" if geo.in_cambridgeshire else None)
    step("map shapes")
    layers = _map_layers(geo, road_layer, national)
    step("performance and rates")
    performance, performance_note = _performance(ds, as_of, effect)
    rate_tables = _rates(ds)
    mais = _mais(ds, trauma, links)

    ym = np.asarray(col["ym"])
    sev = np.asarray(col["s"])
    start = _period_start(ym[ym >= 0], by)
    periods = sorted(set(start.tolist()))
    # The largest count a period can show (all its collisions, on the adjusted basis) bounds the interval table.
    per_period = pd.Series(start).value_counts()
    largest = float(per_period.max() if len(per_period) else 1) * max(1.0, adjustment.get("ratio_upper", 1.0))
    spans = coverage_of(ds)
    starts = [pd.Timestamp(y, 4 if by == "financial_year" else 1, 1) for y in periods]
    coverage = covered_fraction(spans, starts, [s + pd.DateOffset(years=1) - pd.Timedelta(days=1) for s in starts])
    data = {
        "title": title, "by": by, "periods": periods,
        "period_coverage": np.round(coverage, 3).tolist(), "collisions": col, "casualties": cas,
        "districts": district_names, "involved": list(INVOLVED), "weekdays": list(WEEKDAYS),
        "age_bands": list(AGE_BANDS), "sexes": list(SEX_NAMES.values()),
        "road_users": list(ROAD_USERS),
        "coverage": [[f"{a:%Y-%m-%d}", f"{b:%Y-%m-%d}"] for a, b in spans],
        "adjustment": adjustment, "poisson": poisson_table(largest), "sites": sites, "site_rows": site_rows,
        "layers": layers, "points_in_view": POINTS_IN_VIEW,
    }
    step("writing")
    env = jinja2.Environment(loader=jinja2.PackageLoader("roadsafe.maps", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    blob = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    report = getattr(ds, "report", None)
    html = env.get_template("dashboard.html.j2").render(
        title=title, data_json=blob, plotly_js=plotly_js(), version=__version__,
        built=dt.datetime.now(dt.timezone.utc).strftime("%d %B %Y %H:%M UTC"),
        name=name, coverage=describe_spans(spans), selection=list(getattr(ds, "selection", []) or []),
        report=(f"{report.rows_loaded:,} of {report.rows_read:,} rows loaded" if report is not None
                and hasattr(report, "rows_loaded") else ""),
        performance=performance, performance_note=performance_note, rates=rate_tables, mais=mais,
        adjustment=adjustment, data_licence=DATA_LICENCE, denominators=ATTRIBUTION,
        geography=layers["attribution"], vintage=layers["vintage"], plotly_licence=PLOTLY_LICENCE,
        sites_rule=sites["rule"], n_collisions=len(ds.collisions), by=by, points_in_view=POINTS_IN_VIEW)
    with written_whole(out_path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    ksi = int(((sev == 0) | (sev == 1)).sum())
    sections = ["how are we doing", "when", "who", "where", "rates"] + (["MAIS 3+"] if mais else [])
    notes = [n for n in (performance_note if performance is None else "",
                         rate_tables.get("compare_population_note", "")) if n]
    return Dashboard(path=str(out_path), size_bytes=out_path.stat().st_size, seconds=time.perf_counter() - started,
                     collisions=len(ds.collisions), ksi=ksi, sites=len(site_rows), sections=sections, notes=notes)
