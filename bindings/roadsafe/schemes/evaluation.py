"""Did the schemes work? Counts before and after each scheme, with Empirical Bayes, naive and comparison-group
estimates side by side so the user sees what regression to the mean did.

    ev = rs.evaluate_schemes(ds, "schemes.gpkg", before_years=3, after_years=3, radius=50, severity="ksi")
    ev                      # pooled EB change with its interval, beside the naive and comparison-group ones
    ev.schemes              # one row per scheme: periods, counts, expected without the scheme, change
    ev.methods              # the three pooled estimates
    ev.rose                 # schemes with more collisions after than expected without them

Periods: the before period is the ``before_years`` ending the day before the works start (less
``exclude_months`` of site-selection period: the four-period method), the after period the ``after_years``
starting the day after the works end. Both must be covered whole by the records (``ds.coverage``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Optional, Union

import numpy as np
import pandas as pd

from ..errors import InvalidInputError
from ..io.coverage import coverage_of, covered_fraction, describe_spans
from ..io.fields import collision_xy, collisions_of, severity_names
from .before_after import BeforeAfter, change_words, comparison_group_before_after, eb_before_after, naive_before_after
from .forest_chart import forest_chart
from .reference_sites import (buffer_area_km2, buffered_sites, near_pairs, network_cells, point_tree,
                              road_kind_near)
from .safety_performance import SafetyPerformance, fit_safety_performance

if TYPE_CHECKING:
    import geopandas

BNG = "EPSG:27700"
START_COLUMNS = ("start", "start_date", "works_start", "scheme_start")
END_COLUMNS = ("end", "end_date", "works_end", "end_of_works", "scheme_end")
NAME_COLUMNS = ("name", "scheme", "scheme_name", "id")
METHODS = {"eb": "Empirical Bayes", "comparison_group": "comparison group", "naive": "naive"}


@dataclass(repr=False)
class SchemeEvaluation:
    """The evaluation of a set of schemes (see the module docstring)."""

    schemes: pd.DataFrame       # one row per scheme
    eb: BeforeAfter
    naive: BeforeAfter
    comparison_group: BeforeAfter
    spf: SafetyPerformance
    method: str                 # the headline method: eb, comparison_group or naive
    before_years: float
    after_years: float
    exclude_months: int
    radius: float
    severity: str
    coverage: str
    skipped: int                # collisions without a usable location, not counted anywhere

    @property
    def result(self) -> BeforeAfter:
        """The headline estimate (``method``)."""
        return {"eb": self.eb, "naive": self.naive, "comparison_group": self.comparison_group}[self.method]

    @property
    def methods(self) -> pd.DataFrame:
        """The pooled estimate of each method, EB first."""
        return pd.DataFrame([r.summary() for r in (self.eb, self.comparison_group, self.naive)]).set_index("method")

    @property
    def rose(self) -> pd.DataFrame:
        """Schemes with more collisions after than expected without them (by the headline method)."""
        return self.schemes[self.schemes["rose"]]

    @property
    def settings(self) -> str:
        """The periods, severity, buffer and reference used, in a sentence."""
        four = f", the {self.exclude_months} months before the works left out (site selection)" \
            if self.exclude_months else ""
        return (f"{_years(self.before_years)} before and {_years(self.after_years)} after each scheme{four}; "
                f"{'KSI' if self.severity == 'ksi' else 'all injury'} collisions within {self.radius:g} m; "
                f"predictions from {self.spf.source} (k = {self.spf.k:.3f})")

    def chart(self, top: int = 25, ax: Any = None) -> Any:
        """The forest chart: each scheme's theta with its interval (the ``top`` with most collisions before; red
        where more than expected), then the pooled EB, comparison-group and naive estimates."""
        return forest_chart(self.schemes, [self.eb, self.comparison_group, self.naive], top=top, ax=ax)

    def __repr__(self) -> str:
        r = self.result
        lo, hi = r.percent_interval
        lines = [f"<SchemeEvaluation of {len(self.schemes)} schemes: {self.settings}",
                 f"  {r.method}: {r.observed_after:g} collisions after where {r.expected_after:.1f} were expected "
                 f"without the schemes: {change_words(r.percent_change)} ({r.confidence:.0%} CI {lo:+.1f}% to "
                 f"{hi:+.1f}% fewer)"]
        for other in (self.eb, self.comparison_group, self.naive):
            if other is not r:
                lines.append(f"  {other.method}: {change_words(other.percent_change)} "
                             f"({other.percent_interval[0]:+.1f}% to {other.percent_interval[1]:+.1f}% fewer)")
        lines.append(f"  {len(self.rose)} scheme(s) with more collisions than expected>")
        return "\n".join(lines)


def _years(n: float) -> str:
    return f"{n:g} year{'s' * (n != 1)}"


def _column(gdf: pd.DataFrame, names: tuple[str, ...]) -> Optional[str]:
    lower = {str(c).lower(): c for c in gdf.columns}
    return next((lower[n] for n in names if n in lower), None)


def _layer(source: Any, wrong_kind: str) -> "geopandas.GeoDataFrame":
    """A file GDAL reads or a GeoDataFrame, in EPSG:27700 (no CRS: taken to be in it already)."""
    import geopandas as gpd

    from ..geo.layers import read_layer

    if isinstance(source, (str, Path)):
        return read_layer(source)
    if isinstance(source, gpd.GeoDataFrame):
        return source.set_crs(BNG) if source.crs is None else source.to_crs(BNG)
    raise InvalidInputError(wrong_kind)


def read_schemes(schemes: Union[str, Path, "geopandas.GeoDataFrame"]) -> "geopandas.GeoDataFrame":
    """The schemes as a GeoDataFrame in EPSG:27700 with ``name``, ``start`` and ``end`` (end of works, the
    start when not given): from a file GDAL reads or a GeoDataFrame (no CRS: taken as EPSG:27700)."""
    import geopandas as gpd

    where = str(schemes) if isinstance(schemes, (str, Path)) else "the schemes"
    gdf = _layer(schemes, "schemes must be a file GDAL reads or a GeoDataFrame")
    if len(gdf) == 0:
        raise InvalidInputError(f"{where} holds no schemes", file=where)
    start_col = _column(gdf, START_COLUMNS)
    if start_col is None:
        raise InvalidInputError(f"{where} has no start date column (one of {', '.join(START_COLUMNS)}): each scheme "
                                "needs the date its works started", file=where)
    end_col = _column(gdf, END_COLUMNS)
    name_col = _column(gdf, NAME_COLUMNS)
    out = gpd.GeoDataFrame({"name": gdf[name_col].astype(str).to_numpy() if name_col else
                            [f"scheme {i + 1}" for i in range(len(gdf))]}, geometry=gdf.geometry.to_numpy(), crs=BNG)
    for column, source in (("start", start_col), ("end", end_col)):
        if source is None:
            out[column] = out["start"]
            continue
        raw = gdf[source]
        dates = pd.to_datetime(raw.astype(str).where(raw.notna()), errors="coerce", format="mixed", dayfirst=False)
        bad = raw.notna() & dates.isna()
        if column == "start":
            bad |= raw.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InvalidInputError(f"{where}, scheme {out['name'].iloc[i]!r} (row {i + 1}): {source} "
                                    f"{raw.iloc[i]!r} is not a date (write YYYY-MM-DD)", file=where, line=i + 1,
                                    column=str(source), value=str(raw.iloc[i]))
        out[column] = dates.dt.normalize().to_numpy()
    out["end"] = out["end"].fillna(out["start"])
    late = out["end"] < out["start"]
    if late.any():
        i = int(np.flatnonzero(late.to_numpy())[0])
        raise InvalidInputError(f"{where}, scheme {out['name'].iloc[i]!r} (row {i + 1}): the works end "
                                f"({out['end'].iloc[i]:%Y-%m-%d}) before they start ({out['start'].iloc[i]:%Y-%m-%d})",
                                file=where, line=i + 1)
    bad = _without_location(out)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(f"{where}, scheme {out['name'].iloc[i]!r} (row {i + 1}) has no geometry",
                                file=where, line=i + 1)
    return out


def _without_location(gdf: "geopandas.GeoDataFrame") -> np.ndarray:
    """Rows whose geometry is missing, empty or has coordinates that are not numbers."""
    missing = (gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy()
    bounds = np.asarray(gdf.geometry.bounds, dtype=float)
    return missing | ~np.isfinite(bounds).all(axis=1)


def scheme_periods(schemes: pd.DataFrame, before_years: float, after_years: float,
                   exclude_months: int) -> pd.DataFrame:
    """The before and after periods of each scheme (first and last day, both included)."""
    before_end = schemes["start"] - pd.DateOffset(months=exclude_months) - pd.Timedelta(days=1)
    before_start = before_end + pd.Timedelta(days=1) - pd.DateOffset(months=round(12 * before_years))
    # Works over a span: the after period starts the day after they end; a scheme in a day starts on it.
    after_start = schemes["end"].where(schemes["end"] == schemes["start"], schemes["end"] + pd.Timedelta(days=1))
    after_end = after_start + pd.DateOffset(months=round(12 * after_years)) - pd.Timedelta(days=1)
    return pd.DataFrame({"before_start": before_start, "before_end": before_end, "after_start": after_start,
                         "after_end": after_end}, index=schemes.index)


def _refuse_uncovered(periods: pd.DataFrame, names: pd.Series, spans: Any) -> None:
    """Refuse a before or after period the records do not cover whole (its counts would be false zeros)."""
    for when in ("before", "after"):
        share = covered_fraction(spans, periods[f"{when}_start"], periods[f"{when}_end"])
        if (share < 1).any():
            i = int(np.flatnonzero(share < 1)[0])
            n = int((share < 1).sum())
            a, b = periods[f"{when}_start"].iloc[i], periods[f"{when}_end"].iloc[i]
            raise InvalidInputError(
                f"scheme {names.iloc[i]!r}: the {when} period {a:%Y-%m-%d} to {b:%Y-%m-%d} is not covered whole by "
                f"the data ({share[i]:.0%} of its days; the records cover {describe_spans(spans)})"
                + (f"; {n - 1} other scheme(s) too" if n > 1 else "")
                + f". Shorten {when}_years, leave the scheme out, or load data that covers the period")


def _in_period(dates: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    return (dates >= start) & (dates <= end)


def _days(a: pd.Series, b: pd.Series) -> np.ndarray:
    return ((b - a).dt.days + 1).to_numpy(dtype=float)


def evaluate_schemes(ds: Any, schemes: Union[str, Path, "geopandas.GeoDataFrame"], before_years: float = 3,
                     after_years: float = 3, radius: float = 50, severity: Literal["all", "ksi"] = "all",
                     reference: Union[None, str, Path, "geopandas.GeoDataFrame", SafetyPerformance] = None,
                     exclude_months: int = 0, method: Literal["eb", "comparison_group", "naive"] = "eb",
                     roads: Any = None, confidence: float = 0.95, max_reference_cells: int = 20000,
                     seed: int = 0) -> SchemeEvaluation:
    """Evaluate road safety schemes by before/after counts within ``radius`` metres of each.

    ``schemes``: a file GDAL reads or a GeoDataFrame of points, lines or polygons, each with a start date of works
    (column start/start_date/works_start) and optionally its end (end/end_date/works_end/end_of_works) and a name.
    ``severity``: all injury collisions or ``"ksi"`` (fatal and serious). ``reference``: where the predictions
    come from:
    - None (default): the rest of the area's road network (``roads``: a line layer or GeoDataFrame; by default
      the shipped roads when the data lie in Cambridgeshire), as cells of a point buffer's area, with a term per
      road class (``max_reference_cells`` cells at most, drawn with ``seed``); each scheme takes the class of the
      most important road within ``radius``;
    - a file or GeoDataFrame of reference sites (similar untreated sites), buffered like the schemes;
    - a ``SafetyPerformance`` of your own (collisions per km^2 a year by calendar year, and k).
    Either way the prediction for a scheme is the SPF's yearly rates times its buffer's area over its periods,
    so the trend is carried by the years. The comparison-group estimate uses every collision in the data away
    from the schemes as its comparison group. ``exclude_months``: months before the works left out of the before
    period (the four-period method: the site-selection period). ``method`` picks the headline estimate.
    """
    if method not in METHODS:
        raise InvalidInputError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if severity not in ("all", "ksi"):
        raise InvalidInputError(f"severity must be 'all' or 'ksi', not {severity!r}")
    if not radius > 0 or not before_years > 0 or not after_years > 0 or exclude_months < 0:
        raise InvalidInputError("radius, before_years and after_years must be > 0 and exclude_months >= 0")
    gdf = read_schemes(schemes)
    periods = scheme_periods(gdf, before_years, after_years, int(exclude_months))
    spans = coverage_of(ds)
    _refuse_uncovered(periods, gdf["name"], spans)

    df = collisions_of(ds)
    x, y, skipped = collision_xy(df)
    located = np.isfinite(x) & np.isfinite(y)
    x, y = x[located], y[located]
    dates = pd.to_datetime(df["date"]).to_numpy()[located].astype("datetime64[D]")
    counted = np.ones(len(x), dtype=bool)
    if severity == "ksi":
        counted = np.isin(severity_names(df)[located], ("fatal", "serious"))
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    geoms = gdf.geometry.to_numpy()

    # Counts within the buffer of each scheme, in its periods.
    tree = point_tree(x[counted], y[counted])
    g, p = near_pairs(geoms, x[counted], y[counted], radius, tree)
    d = dates[counted][p]
    col = {c: periods[c].to_numpy().astype("datetime64[D]") for c in periods.columns}
    n = len(gdf)
    before = np.bincount(g, weights=_in_period(d, col["before_start"][g], col["before_end"][g]), minlength=n)
    after = np.bincount(g, weights=_in_period(d, col["after_start"][g], col["after_end"][g]), minlength=n)

    # The comparison group: counted collisions near no scheme, in each scheme's periods (cumulative daily counts).
    near_any = np.zeros(counted.sum(), dtype=bool)
    near_any[p] = True
    away = np.sort(dates[counted][~near_any])

    def total(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (np.searchsorted(away, b, side="right") - np.searchsorted(away, a, side="left")).astype(float)

    comp_before, comp_after = total(col["before_start"], col["before_end"]), total(col["after_start"], col["after_end"])

    if isinstance(reference, SafetyPerformance):
        spf = reference
    road_class = None
    if isinstance(reference, SafetyPerformance):
        spf = reference
    elif reference is None:
        network = _road_network(roads, x, y)
        counts, cell_kind = network_cells(network, x, y, counted, years, spans, radius, geoms, max_reference_cells,
                                          seed)
        spf = fit_safety_performance(counts, cell_kind,
                                     source=f"{counts['site'].nunique():,} road-network cells of the area")
        road_class = road_kind_near(geoms, network, radius)
    else:
        ref = read_reference_sites(reference)
        counts = buffered_sites(ref.geometry.to_numpy(), x, y, counted, years, spans, radius, tree)
        spf = fit_safety_performance(counts, source=f"{len(ref):,} reference sites")
    area = buffer_area_km2(geoms, radius)
    pb = spf.predict(area, periods["before_start"], periods["before_end"], road_class)
    pa = spf.predict(area, periods["after_start"], periods["after_end"], road_class)

    names = pd.Index(gdf["name"], name="scheme")
    eb = eb_before_after(before, after, pb, pa, spf.k, confidence, index=names)
    length_ratio = _days(periods["after_start"], periods["after_end"]) / _days(periods["before_start"],
                                                                              periods["before_end"])
    naive = naive_before_after(before, after, length_ratio, confidence, index=names)
    comparison = comparison_group_before_after(before, after, comp_before, comp_after, confidence, index=names)
    headline = {"eb": eb, "naive": naive, "comparison_group": comparison}[method]

    table = pd.DataFrame({"geometry_type": gdf.geometry.geom_type.to_numpy(), "start": gdf["start"].to_numpy(),
                          "end": gdf["end"].to_numpy()}, index=names)
    if road_class is not None:
        table["site_kind"] = road_class
    for c in periods.columns:
        table[c] = periods[c].to_numpy()
    table["observed_before"] = before
    table["observed_after"] = after
    table["predicted_before"] = pb
    table["predicted_after"] = pa
    table["eb_before"] = eb.sites["eb_before"].to_numpy()
    for c in ("expected_after", "theta", "lower", "upper", "log_lower", "log_upper", "percent_change", "rose"):
        table[c] = headline.sites[c].to_numpy()
    table["naive_change"] = naive.sites["percent_change"].to_numpy()
    table["comparison_group_change"] = comparison.sites["percent_change"].to_numpy()
    table["eb_change"] = eb.sites["percent_change"].to_numpy()
    return SchemeEvaluation(schemes=table, eb=eb, naive=naive, comparison_group=comparison, spf=spf, method=method,
                            before_years=before_years, after_years=after_years, exclude_months=int(exclude_months),
                            radius=float(radius), severity=severity, coverage=describe_spans(spans),
                            skipped=int(skipped))


@functools.lru_cache(maxsize=4)
def _shipped_roads(bbox: tuple[float, float, float, float]) -> Optional["geopandas.GeoDataFrame"]:
    """The shipped roads over ``bbox``, read once a session (reading the county's takes seconds; never changed)."""
    from ..geo.layers import shipped_roads

    return shipped_roads(bbox)


def _road_network(roads: Any, x: np.ndarray, y: np.ndarray) -> "geopandas.GeoDataFrame":
    """The road lines (with ``highway``) over the collisions' extent: the user's, else the shipped ones when the
    data lie in Cambridgeshire."""
    from ..geo.road_layers import read_road_layer

    if len(x) == 0:
        raise InvalidInputError("no located collisions to evaluate schemes with")
    bbox = (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
    if roads is not None:
        network = read_road_layer(roads, bbox)
    else:
        network = _shipped_roads(bbox)
        inside = 0.0
        if network is not None and len(network):
            x0, y0, x1, y1 = network.total_bounds
            inside = float(np.mean((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)))
        if network is None or inside < 0.9:
            raise InvalidInputError(
                "no road network for this area to fit the prediction model on: give roads= (a line layer such as OS "
                "Open Roads or OpenStreetMap), reference= (a file of similar untreated sites) or reference= a "
                "SafetyPerformance of your own (roadsafe ships roads for Cambridgeshire only)")
    if len(network) == 0:
        raise InvalidInputError("the road network has no roads where the collisions are")
    return network


def read_reference_sites(sites: Union[str, Path, "geopandas.GeoDataFrame"]) -> "geopandas.GeoDataFrame":
    """Reference sites: a file GDAL reads or a GeoDataFrame (no dates needed), in EPSG:27700."""
    gdf = _layer(sites, "reference must be None, a file of reference sites, a GeoDataFrame or a SafetyPerformance")
    bad = _without_location(gdf)
    if bad.any():
        raise InvalidInputError(f"{int(bad.sum())} reference site(s) have no location (the first is row "
                                f"{int(np.flatnonzero(bad)[0]) + 1}); drop them or give their coordinates")
    return gdf
