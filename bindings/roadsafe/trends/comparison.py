"""The data's rates against Great Britain and against similar authorities (2015, the shipped DfT counts).

    rs.compare(ds, with_="similar")          # each area, GB, and the n most similar highway authorities
    rs.compare(rs.rates(ds, per="traffic"))  # a rates table in: its per, measure and unit are used
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, Sequence, Union

import numpy as np
import pandas as pd

from .. import errors
from .denominators import ATTRIBUTION, GB_COUNTRIES, SCALES, Per, denominator, population, reference_counts_2015, traffic
from .rates import exact_interval, rate_table, rates

SIMILARITY = ("similar authorities: the nearest highway authorities on log population density (residents per km² "
              "of the 2019 ultra-generalised boundary) and log traffic per km of road (vehicle-miles / link length), "
              "each standardised over GB; the share of rural roads is not in the shipped DfT data and is not used")



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
