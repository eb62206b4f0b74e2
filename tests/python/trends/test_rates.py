"""Rates per 100,000 residents and per billion vehicle-miles, and comparisons with GB and similar authorities.

Known answers: the county's own export, placed by location, gives the same 2015 KSI collisions per highway
authority as DfT's national file codes them; rates and intervals recomputed with scipy's chi-squared quantiles;
the shipped denominators against the published ONS total for Great Britain.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

import roadsafe as rs
from roadsafe.trends.comparison import area_features, compare, similar_authorities
from roadsafe.trends.denominators import CODE_CHANGES, denominator, population, reference_counts_2015, traffic
from roadsafe.trends.rates import area_codes, rate_table


def garwood(k: float) -> tuple[float, float]:
    lower = chi2.ppf(0.025, 2 * k) / 2 if k > 0 else 0.0
    return lower, chi2.ppf(0.975, 2 * k + 2) / 2


def test_shipped_denominators_match_the_published_gb_population_and_cover_every_2015_authority():
    p = population()
    gb_2015 = p[(p["year"] == 2015) & p["code"].isin(["E92000001", "W92000004", "S92000003"])]["population"].sum()
    assert gb_2015 == 63_258_413  # ONS mid-2015: England 54,786,327 + Wales 3,099,086 + Scotland 5,373,000
    t = traffic()
    assert t["year"].between(1993, 2019).all() and t["code"].str.match(r"^[EWS]\d{8}$").all()
    ref = reference_counts_2015()
    assert ref["fatal_casualties"].sum() == 1730 and ref["serious_casualties"].sum() == 22144  # DfT RRCGB 2015
    for per in ("population", "traffic"):
        counts = pd.DataFrame({"code": ref["code"], "year": 2015, "count": ref["fatal_collisions"] + ref["serious_collisions"]})
        table = rate_table(counts, per)
        # Every authority code of 2015 has a denominator (the recoded ones pooled or renamed), but Heathrow's.
        assert table[table["denominator"].isna()]["codes_in_records"].tolist() == ["EHEATHROW"]


def test_cambridgeshire_by_location_matches_dft_codes_and_the_rate_is_count_over_population(cambs):
    r = rs.rates(cambs, per="population")
    y2015 = r[r["year"] == 2015].set_index("code")
    ref = reference_counts_2015().set_index("code")
    for code in ("E10000003", "E06000031"):  # Cambridgeshire, Peterborough
        assert y2015.loc[code, "count"] == ref.loc[code, "fatal_collisions"] + ref.loc[code, "serious_collisions"]
    assert y2015.loc["E10000003", "count"] == 263 and y2015.loc["E10000003", "denominator"] == 641_524
    assert y2015.loc["E10000003", "rate"] == pytest.approx(263 / 641_524 * 1e5)
    lower, upper = garwood(263)
    assert y2015.loc["E10000003", "lower"] == pytest.approx(lower / 6.41524, rel=1e-6)
    assert y2015.loc["E10000003", "upper"] == pytest.approx(upper / 6.41524, rel=1e-6)
    assert r.attrs["unit"] == "per 100,000 residents"
    # 2017 is covered to 31 October only: no rate (a part year would understate it), coverage said.
    y2017 = r[r["year"] == 2017]
    assert y2017["rate"].isna().all() and y2017["coverage"].round(3).eq(0.833).all()
    assert set(r["code"]) == {"E10000003", "E06000031"}  # the border collisions stay in the county's areas


def test_traffic_rates_use_vehicle_miles_and_need_highway_authorities(cambs):
    r = rs.rates(cambs, per="traffic").set_index(["code", "year"])
    t = traffic().set_index(["code", "year"])
    vm = t.loc[("E06000031", 2015), "vehicle_miles"]
    assert r.loc[("E06000031", 2015), "rate"] == pytest.approx(63 / vm * 1e9)
    with pytest.raises(rs.errors.InvalidInputError) as e:
        rs.rates(cambs, per="traffic", by="district")
    assert str(e.value) == ("DfT publishes traffic by highway authority only: use by='highway_authority' with "
                            "per='traffic'")
    with pytest.raises(rs.errors.InvalidInputError, match=r"per must be 'population' or 'traffic', not 'people'"):
        rs.rates(cambs, per="people")


def test_districts_by_location_add_up_to_the_highway_authorities(cambs):
    d = rs.rates(cambs, by="district")
    h = rs.rates(cambs)
    y = 2015
    county = d[(d["year"] == y) & d["code"].str.startswith("E07")]["count"].sum()
    assert county == h[(h["year"] == y) & (h["code"] == "E10000003")]["count"].iloc[0]
    assert d[d["year"] == y]["count"].sum() == h[h["year"] == y]["count"].sum()


def test_recoded_authorities_are_pooled_with_their_successors():
    # Dorset county, Bournemouth and Poole (records before 2019) against the 2019 unitaries' populations.
    counts = pd.DataFrame({"code": ["E10000009", "E06000028", "E06000029", "E06000031"], "year": 2015,
                           "count": [100.0, 40.0, 30.0, 63.0]})
    table = rate_table(counts, "population").set_index("code")
    pop = denominator("population")
    p15 = pop[pop["year"] == 2015].set_index("code")["value"]
    pooled = table.loc["E06000058+E06000059"]
    assert pooled["count"] == 170 and pooled["denominator"] == p15["E06000058"] + p15["E06000059"]
    assert pooled["codes_in_records"] == "E06000028, E06000029, E10000009"
    assert table.loc["E06000031", "count"] == 63
    assert CODE_CHANGES["E10000002"] == ("E06000060",)  # Buckinghamshire county -> the 2020 unitary


def test_national_records_use_their_own_codes(national):
    codes = area_codes(national.collisions)
    assert set(codes) >= {"E10000003", "E08000035"}  # the file's Local_Authority_(Highway), not locations
    r = rs.rates(national).set_index("code")
    ref = reference_counts_2015().set_index("code")
    ksi = ref["fatal_collisions"] + ref["serious_collisions"]
    every = ref["fatal_collisions"] + ref["serious_collisions"] + ref["slight_collisions"]
    held = pd.Series(codes).value_counts()
    whole = [c for c in held.index if held[c] == every[c]]  # authorities whose every collision is in these forces
    assert len(whole) >= 8
    assert r.loc[whole, "count"].tolist() == ksi[whole].astype(float).tolist()


def test_compare_against_gb_and_similar_authorities(cambs):
    c = compare(cambs, with_="similar", n=3)
    gb = c[c["role"] == "Great Britain"].iloc[0]
    assert gb["count"] == 21_654 and gb["rate"] == pytest.approx(21_654 / 63_258_413 * 1e5)
    area = c[c["role"] == "area"].set_index("code")
    assert area.loc["E10000003", "vs_gb"] == "higher"  # 41.0 (36.2-46.3) against 34.2
    assert area.loc["E06000031", "vs_gb"] == "comparable"
    similar = c[(c["role"] == "similar") & (c["similar_to"] == "E10000003")]
    assert len(similar) == 3 and "E10000003" not in set(similar["code"])
    assert similar["distance"].is_monotonic_increasing
    s = similar_authorities("E10000003", n=50)
    assert list(similar["code"]) == list(s.index[:3]) and s.attrs["how"].startswith("similar authorities")
    chosen = compare(cambs, with_=["E10000020"]).set_index("code")
    assert chosen.loc["E10000020", "role"] == "chosen" and chosen.loc["E10000020", "count"] == 338
    assert set(compare(cambs, with_="gb")["role"]) == {"area", "Great Britain"}
    again = compare(rs.rates(cambs, per="traffic"))  # a rates table in: its per is used
    assert again.attrs["unit"] == "per billion vehicle-miles"


def test_compare_refuses_records_that_do_not_cover_2015(cambs):
    later = cambs.select(start="2016-01-01")
    with pytest.raises(rs.errors.InvalidInputError, match="do not cover 2015 in full"):
        compare(later)
    with pytest.raises(rs.errors.InvalidInputError, match="no population, traffic and 2019 boundary"):
        similar_authorities("E99999999")


def test_similarity_features_are_standardised_log_density_and_traffic_per_km():
    s = similar_authorities("E06000031", n=5, year=2015)
    f = area_features(2015)
    z = np.log(f[["density", "traffic_per_km"]])
    z = (z - z.mean()) / z.std()
    d = np.hypot(z["density"] - z.loc["E06000031", "density"], z["traffic_per_km"] - z.loc["E06000031", "traffic_per_km"])
    assert s["distance"].to_numpy() == pytest.approx(np.sort(d.drop("E06000031").to_numpy())[:5])
