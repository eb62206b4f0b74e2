"""Rates per 100,000 residents or per billion vehicle-miles for local-authority areas, and comparisons.

    rs.rates(ds, per="population", by="highway_authority")   # per area and calendar year, exact 95% intervals
    rs.compare(ds, with_="similar")                          # against GB and the most similar authorities

Denominators are shipped under ``datasets/gb/`` (ONS mid-year population 2001-2019 on April 2020 local authority
geography; DfT motor-vehicle traffic and road length by highway authority 1993-2019, Open Government Licence v3.0).
A collision's area is the code the records carry (``local_authority_highway``), or, for records without one,
the shipped 2019 boundary its location falls in. Areas whose codes changed (Dorset and Bournemouth/Poole in
2019, Buckinghamshire in 2020) are pooled with their successors until the counts and the denominators describe
the same ground. Only calendar years the records cover in full get a rate: a part year would understate it.
The interval is the exact Poisson interval of the count, divided by the denominator.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Sequence, Union

import numpy as np
import pandas as pd

from .. import errors
from ..io.coverage import coverage_of, covered_fraction
from ..io.data_files import data_path
from ..io.fields import collision_xy
from .periods import _trends_engine, event_weights

Per = Literal["population", "traffic"]
By = Literal["highway_authority", "district"]

#: Codes the records may carry that the denominators (April 2020 geography) no longer have -> their successors.
CODE_CHANGES: dict[str, tuple[str, ...]] = {
    "E06000028": ("E06000058",),                 # Bournemouth -> Bournemouth, Christchurch and Poole (2019)
    "E06000029": ("E06000058",),                 # Poole -> the same
    "E07000048": ("E06000058",),                 # Christchurch -> the same
    "E10000009": ("E06000058", "E06000059"),     # Dorset county (with Christchurch) -> both 2019 unitaries
    **{c: ("E06000059",) for c in ("E07000049", "E07000050", "E07000051", "E07000052", "E07000053")},
    # ^ East Dorset, North Dorset, Purbeck, West Dorset, Weymouth and Portland -> Dorset (2019)
    "E10000002": ("E06000060",),                 # Buckinghamshire county -> Buckinghamshire (2020)
    **{c: ("E06000060",) for c in ("E07000004", "E07000005", "E07000006", "E07000007")},  # its districts
    "E10000023": ("E06000065",),                 # North Yorkshire county -> the 2023 unitary (same ground)
    "E10000027": ("E06000066",),                 # Somerset county -> the 2023 unitary (same ground)
    "E06000048": ("E06000057",),                 # Northumberland, recoded 2013
    "E08000020": ("E08000037",),                 # Gateshead, recoded 2013
    "S12000009": ("S12000045",),                 # East Dunbartonshire
    "S12000015": ("S12000047",),                 # Fife (2018 boundary change)
    "S12000024": ("S12000048",),                 # Perth and Kinross (2018)
    "S12000043": ("S12000049",),                 # Glasgow City (as the 2015 records code it)
    "S12000046": ("S12000049",),                 # Glasgow City (2011-2018)
    "S12000044": ("S12000050",),                 # North Lanarkshire (2018)
}
#: GB's own denominators: the three countries' populations (traffic: every highway authority's sum).
GB_COUNTRIES = ("E92000001", "W92000004", "S92000003")

#: What each denominator is counted in, and the rate's unit.
SCALES = {"population": (1e5, "per 100,000 residents"), "traffic": (1e9, "per billion vehicle-miles")}
ATTRIBUTION = ("Population: Office for National Statistics mid-year estimates, Open Government Licence v3.0. "
               "Traffic: Department for Transport road traffic statistics, Open Government Licence v3.0.")
SIMILARITY = ("similar authorities: the nearest highway authorities on log population density (residents per km² "
              "of the 2019 ultra-generalised boundary) and log traffic per km of road (vehicle-miles / link length), "
              "each standardised over GB; the share of rural roads is not in the shipped DfT data and is not used")


@lru_cache(maxsize=None)
def population() -> pd.DataFrame:
    """ONS mid-year population by local authority (code, name, geography, year, population), 2001-2019."""
    return pd.read_csv(data_path("gb", "population_2001_2019.csv.gz"))


@lru_cache(maxsize=None)
def traffic() -> pd.DataFrame:
    """DfT motor-vehicle traffic by highway authority (code, name, year, link_length_km, vehicle_miles), 1993-2019."""
    return pd.read_csv(data_path("gb", "traffic_1993_2019.csv.gz"))


@lru_cache(maxsize=None)
def reference_counts_2015() -> pd.DataFrame:
    """Fatal, serious and slight collisions and casualties of 2015 by highway authority, from the real DfT files."""
    return pd.read_csv(data_path("gb", "ksi_2015_by_highway_authority.csv"))


def denominator(per: Per) -> pd.DataFrame:
    """code, name, year, value: residents (population) or vehicle-miles (traffic)."""
    if per == "population":
        p = population()
        return p[["code", "name", "year"]].assign(value=p["population"].astype(float))
    if per == "traffic":
        t = traffic()
        return t[["code", "name", "year"]].assign(value=t["vehicle_miles"].astype(float))
    raise errors.InvalidInputError(f"per must be 'population' or 'traffic', not {per!r}", value=str(per))


def _check_by(by: str, per: str) -> None:
    if by not in ("highway_authority", "district"):
        raise errors.InvalidInputError(f"by must be 'highway_authority' or 'district', not {by!r}", value=str(by))
    if by == "district" and per == "traffic":
        raise errors.InvalidInputError("DfT publishes traffic by highway authority only: use by='highway_authority' "
                                       "with per='traffic'", value=by)


def area_codes(collisions: pd.DataFrame, by: By = "highway_authority") -> np.ndarray:
    """Each collision's ONS area code: the records' ``local_authority_highway`` when they carry ONS codes,
    else the shipped 2019 boundary the location falls in ('' where neither says)."""
    from ..geo.boundaries import boundary_layer

    column = "local_authority_highway" if by == "highway_authority" else "local_authority_ons_district"
    if column in collisions.columns:
        codes = collisions[column].astype(object).to_numpy()
        if pd.Series(codes).dropna().astype(str).str.match(r"^[EWS]\d{8}$").mean() > 0.9:
            return np.array(["" if pd.isna(c) else str(c) for c in codes], dtype=object)
    import shapely

    layer = boundary_layer("highway_authorities_2019" if by == "highway_authority" else "districts_2019")
    x, y, _ = collision_xy(collisions)
    out = np.full(len(collisions), "", dtype=object)
    ok = np.isfinite(x) & np.isfinite(y)
    points = shapely.points(x[ok], y[ok])
    tree = shapely.STRtree(layer.geometry.to_numpy())
    point_i, poly_i = tree.query(points, predicate="within")
    hit = np.flatnonzero(ok)[point_i]
    out[hit] = layer["code"].to_numpy()[poly_i]
    # The ultra-generalised boundaries put a few collisions near a border into the neighbour: an area holding
    # under 1% of the located collisions takes them to the nearest area that holds more.
    codes, counts = np.unique(out[out != ""], return_counts=True)
    major = set(codes[counts >= 0.01 * counts.sum()])
    stray = np.flatnonzero([c != "" and c not in major for c in out])
    if len(stray) and major:
        kept = layer[layer["code"].isin(major)].reset_index(drop=True)
        _, nearest = shapely.STRtree(kept.geometry.to_numpy()).query_nearest(
            shapely.points(x[stray], y[stray]), all_matches=False)
        out[stray] = kept["code"].to_numpy()[nearest]
    return out


@dataclass
class _Units:
    """Collision codes pooled with denominator codes until both describe the same ground."""

    unit_of: dict[str, str]      # any code -> its unit's key
    members: dict[str, list[str]]  # unit key -> denominator codes


def _pool(codes: Sequence[str], known: set[str]) -> _Units:
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for c in codes:
        root(c)
        for s in CODE_CHANGES.get(c, ()) if c not in known else ():
            parent[root(s)] = root(c)
    groups: dict[str, list[str]] = {}
    for c in list(parent):
        groups.setdefault(root(c), []).append(c)
    unit_of, members = {}, {}
    for cs in groups.values():
        key = "+".join(sorted(c for c in cs if c in known) or sorted(cs))
        for c in cs:
            unit_of[c] = key
        members[key] = sorted(c for c in cs if c in known)
    return _Units(unit_of, members)


def exact_interval(counts: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson interval of each count."""
    lower, upper = _trends_engine().poisson_interval(np.asarray(counts, dtype=float), confidence)
    return np.asarray(lower), np.asarray(upper)


def rate_table(counts: pd.DataFrame, per: Per, confidence: float = 0.95) -> pd.DataFrame:
    """Rates for counts given as (code, year, count): pooled by code changes, with the denominator, the rate
    (per 100,000 residents or per billion vehicle-miles) and its exact interval. NaN where no denominator."""
    den = denominator(per)
    scale, unit_text = SCALES[per]
    rows = []
    for year, part in counts.groupby("year", sort=True):
        d = den[den["year"] == year].drop_duplicates("code")
        value, name = dict(zip(d["code"], d["value"])), dict(zip(d["code"], d["name"].astype(str)))
        units = _pool(list(part["code"]), set(value))
        sums: dict[str, float] = {}
        recorded: dict[str, list[str]] = {}
        for code, n in zip(part["code"], part["count"]):
            key = units.unit_of[code]
            sums[key] = sums.get(key, 0.0) + float(n)
            recorded.setdefault(key, []).append(code)
        for key, n in sorted(sums.items()):
            members = units.members[key]
            rows.append({"code": key, "name": " + ".join(name[m] for m in members), "year": int(year), "count": n,
                         "denominator": float(sum(value[m] for m in members)) if members else np.nan,
                         "codes_in_records": ", ".join(sorted(recorded[key]))})
    out = pd.DataFrame(rows, columns=["code", "name", "year", "count", "denominator", "codes_in_records"])
    lower, upper = exact_interval(out["count"].to_numpy(), confidence)
    den_scaled = out["denominator"].to_numpy(dtype=float) / scale
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate"] = out["count"] / den_scaled
        out["lower"], out["upper"] = lower / den_scaled, upper / den_scaled
    out.attrs["unit"] = unit_text
    return out


def rates(ds: Any, per: Per = "population", by: By = "highway_authority", measure: str = "ksi",
          unit: Literal["collision", "casualty"] = "collision", confidence: float = 0.95) -> pd.DataFrame:
    """``measure`` (fatal, serious, slight or ksi) ``unit``s per 100,000 residents (``per="population"``) or per
    billion vehicle-miles (``per="traffic"``, highway authorities only), one row per area and calendar year.

    Columns: code (codes joined by "+" where changed authorities were pooled), name, year, count, denominator
    (residents or vehicle-miles), rate, lower, upper (exact Poisson interval), codes_in_records, coverage
    (the share of the year the records cover; a year not covered in full has NaN count and rate).
    """
    _check_by(by, per)
    if measure not in ("fatal", "serious", "slight", "ksi"):
        raise errors.InvalidInputError(f"measure must be fatal, serious, slight or ksi, not {measure!r}",
                                       value=str(measure))
    events = event_weights(ds, unit=unit)
    codes = area_codes(ds.collisions, by)[events.index.to_numpy()]
    years = pd.DatetimeIndex(events["date"]).year.to_numpy()
    counts = pd.DataFrame({"code": codes, "year": years, "count": events[measure].to_numpy(float)})
    counts = counts[counts["code"] != ""].groupby(["code", "year"], as_index=False)["count"].sum()
    out = rate_table(counts, per, confidence)
    spans = coverage_of(ds)
    year_list = sorted(out["year"].unique())
    share = dict(zip(year_list, covered_fraction(spans, [pd.Timestamp(y, 1, 1) for y in year_list],
                                                 [pd.Timestamp(y, 12, 31) for y in year_list])))
    out["coverage"] = out["year"].map(share).astype(float)
    part = out["coverage"] < 1.0
    out.loc[part, ["count", "rate", "lower", "upper"]] = np.nan
    out.attrs.update(unit=SCALES[per][1], measure=measure, count_unit=unit, per=per, by=by, attribution=ATTRIBUTION)
    return out.reset_index(drop=True)


@lru_cache(maxsize=4)
def area_features(year: int) -> pd.DataFrame:
    """Per highway authority: population density (residents per km²) and traffic per km of road (vehicle-miles
    per km), the year's ONS and DfT figures over the 2019 boundaries' areas. Treat it as read-only."""
    from ..geo.boundaries import boundary_layer

    layer = boundary_layer("highway_authorities_2019")
    area = pd.Series(layer.geometry.area.to_numpy() / 1e6, index=layer["code"].to_numpy())
    pop = population()
    pop = pop[pop["year"] == year].drop_duplicates("code").set_index("code")
    t = traffic()
    t = t[t["year"] == year].drop_duplicates("code").set_index("code")
    codes = sorted(set(area.index) & set(pop.index) & set(t.index))
    return pd.DataFrame({"name": t.loc[codes, "name"].to_numpy(),
                         "density": pop.loc[codes, "population"].to_numpy(float) / area.loc[codes].to_numpy(),
                         "traffic_per_km": t.loc[codes, "vehicle_miles"].to_numpy(float)
                         / t.loc[codes, "link_length_km"].to_numpy(float)}, index=pd.Index(codes, name="code"))


def similar_authorities(code: str, n: int = 5, year: int = 2015) -> pd.DataFrame:
    """The ``n`` highway authorities nearest to ``code`` on standardised log population density and log traffic
    per km of road (see ``SIMILARITY``), with their features and the distance."""
    f = area_features(year)
    if code not in f.index:
        raise errors.InvalidInputError(f"no population, traffic and 2019 boundary for highway authority {code} in "
                                       f"{year}, so no similar authorities can be chosen", value=code)
    z = np.log(f[["density", "traffic_per_km"]])
    z = (z - z.mean()) / z.std()
    distance = np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1))
    out = f.assign(distance=distance).drop(index=code).sort_values("distance").head(n)
    out.attrs["how"] = SIMILARITY
    return out


def _reference_rates(per: Per, measure: str, unit: str, confidence: float) -> pd.DataFrame:
    ref = reference_counts_2015()
    column = {"collision": "collisions", "casualty": "casualties"}[unit]
    count = (ref[f"fatal_{column}"] + ref[f"serious_{column}"]) if measure == "ksi" else ref[f"{measure}_{column}"]
    return rate_table(pd.DataFrame({"code": ref["code"], "year": ref["year"], "count": count.astype(float)}),
                      per, confidence)


def _gb_rate(per: Per, measure: str, unit: str, confidence: float) -> dict[str, Any]:
    """Great Britain: every 2015 count (an authority without a denominator included) over GB's population or
    every highway authority's traffic."""
    ref = reference_counts_2015()
    column = {"collision": "collisions", "casualty": "casualties"}[unit]
    names = ["fatal", "serious"] if measure == "ksi" else [measure]
    count = float(sum(ref[f"{m}_{column}"].sum() for m in names))
    den = denominator(per)
    den = den[den["year"] == 2015]
    value = float(den[den["code"].isin(GB_COUNTRIES)]["value"].sum() if per == "population" else den["value"].sum())
    scale = SCALES[per][0]
    lower, upper = exact_interval(np.array([count]), confidence)
    return {"code": "K03000001", "name": "Great Britain", "year": 2015, "count": count, "denominator": value,
            "rate": count / value * scale, "lower": lower[0] / value * scale, "upper": upper[0] / value * scale}


def _verdict(lower: float, upper: float, reference: float) -> str:
    if not np.isfinite(lower) or not np.isfinite(reference):
        return "no data"
    return "higher" if lower > reference else "lower" if upper < reference else "comparable"


def compare(ds: Any, with_: Union[str, Sequence[str]] = "similar", per: Per = "population", measure: str = "ksi",
            unit: Literal["collision", "casualty"] = "collision", n: int = 5, confidence: float = 0.95) -> pd.DataFrame:
    """The data's highway authorities against Great Britain and against other authorities, in 2015 (the year of
    the shipped real DfT national counts; the records must cover it in full).

    ``with_``: "similar" (the ``n`` nearest authorities, see ``SIMILARITY``), "gb" (Great Britain only) or a list of
    ONS highway-authority codes. Rows: each area (role "area", with ``vs_gb`` higher / comparable / lower: its
    interval above, around or below the GB rate), then "Great Britain", then the others (role "similar" with the
    ``similar_to`` area and ``distance``, or "chosen"). ``ds`` may also be a ``rates(..., by="highway_authority")``
    table, whose per, measure and unit are then used.
    """
    if isinstance(ds, pd.DataFrame):
        area = ds
        per, measure, unit = area.attrs["per"], area.attrs["measure"], area.attrs["count_unit"]
        if area.attrs.get("by") != "highway_authority":
            raise errors.InvalidInputError("compare needs rates by highway authority", value=str(area.attrs.get("by")))
    else:
        area = rates(ds, per=per, by="highway_authority", measure=measure, unit=unit, confidence=confidence)
    area = area[(area["year"] == 2015) & area["rate"].notna()]
    if area.empty:
        raise errors.InvalidInputError("comparisons use the real DfT counts of 2015 shipped with roadsafe, and these "
                                       "records do not cover 2015 in full (or have no area with a denominator)",
                                       value="2015")
    gb = _gb_rate(per, measure, unit, confidence)
    ref = _reference_rates(per, measure, unit, confidence).set_index("code")
    rows = [dict(r, role="area", vs_gb=_verdict(r["lower"], r["upper"], gb["rate"]))
            for r in area.drop(columns=["codes_in_records", "coverage"]).to_dict("records")]
    rows.append(dict(gb, role="Great Britain", vs_gb=""))
    others: list[tuple[str, str, float]] = []
    if isinstance(with_, str) and with_ == "similar":
        for code in area["code"]:
            try:
                sim = similar_authorities(code, n=n)
            except errors.InvalidInputError:
                continue
            others += [(c, code, float(d)) for c, d in zip(sim.index, sim["distance"])]
    elif isinstance(with_, str) and with_ != "gb":
        raise errors.InvalidInputError(f"with_ must be 'similar', 'gb' or a list of highway-authority codes, not "
                                       f"{with_!r}", value=with_)
    elif not isinstance(with_, str):
        others = [(str(c), "", np.nan) for c in with_]
    for code, to, distance in others:
        if code not in ref.index:
            raise errors.InvalidInputError(f"no 2015 counts and denominator for highway authority {code}", value=code)
        r = ref.loc[code]
        rows.append({"code": code, "name": r["name"], "year": 2015, "count": r["count"], "denominator": r["denominator"],
                     "rate": r["rate"], "lower": r["lower"], "upper": r["upper"],
                     "role": "similar" if to else "chosen", "similar_to": to, "distance": distance,
                     "vs_gb": _verdict(r["lower"], r["upper"], gb["rate"])})
    out = pd.DataFrame(rows)
    out.attrs.update(unit=SCALES[per][1], measure=measure, count_unit=unit, per=per, how=SIMILARITY,
                     attribution=ATTRIBUTION + " Counts: DfT road safety data 2015, Open Government Licence v3.0.")
    return out
