"""Rates per 100,000 residents or per billion vehicle-miles for local-authority areas.

    rs.rates(ds, per="population", by="highway_authority")   # per area and calendar year, exact 95% intervals

A collision's area is the code the records carry (``local_authority_highway``), or, for records without one,
the shipped 2019 boundary its location falls in. Areas whose codes changed (Dorset and Bournemouth/Poole in
2019, Buckinghamshire in 2020, a few recoded) are pooled with their successors (``denominators.pool_codes``).
Only calendar years the records cover in full get a rate: a part year would understate it. The interval is the
exact Poisson interval of the count, divided by the denominator.
"""
from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from .. import errors
from ..io.coverage import coverage_of, covered_fraction
from ..io.fields import collision_xy
from .denominators import ATTRIBUTION, SCALES, Per, denominator, pool_codes
from .periods import _trends_engine, event_weights

By = Literal["highway_authority", "district"]


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
        units = pool_codes(list(part["code"]), set(value))
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
