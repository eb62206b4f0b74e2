"""rs.evaluate_schemes on the shipped Cambridgeshire data with made-up schemes (tests/data/schemes): counts checked
by an independent distance computation, periods by hand, coverage refused, and regression to the mean shown."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
import shapely
from roadsafe.errors import InvalidInputError

from conftest import TEST_DATA

SCHEMES = TEST_DATA / "schemes" / "cambridgeshire_schemes.gpkg"


@pytest.fixture(scope="module")
def evaluation(cambs):
    return rs.evaluate_schemes(cambs, SCHEMES, before_years=2, after_years=2, radius=50)


def _independent_counts(ds, schemes, starts, ends, radius, ksi=False):
    """Collisions within radius of each scheme between starts[i] and ends[i] (days included), by shapely distance."""
    c = ds.collisions
    ok = (c["location_status"] == "ok").to_numpy().copy()
    if ksi:
        ok &= c["collision_severity"].astype(str).str.lower().isin(["fatal", "serious"]).to_numpy()
    pts = shapely.points(c["location_easting_osgr"].to_numpy(float)[ok], c["location_northing_osgr"].to_numpy(float)[ok])
    dates = pd.to_datetime(c["date"]).to_numpy()[ok]
    out = []
    for geom, a, b in zip(schemes.geometry, starts, ends):
        near = shapely.distance(pts, geom) <= radius
        out.append(int((near & (dates >= np.datetime64(a)) & (dates <= np.datetime64(b))).sum()))
    return np.array(out)


def test_counts_and_periods_match_an_independent_count(cambs, evaluation):
    raw = gpd.read_file(SCHEMES).to_crs(27700)
    s = evaluation.schemes
    assert list(s.index) == list(raw["name"])
    start = pd.to_datetime(raw["start_date"])
    end = pd.to_datetime(raw["end_date"]).fillna(start)
    # before: the two years ending the day before the works; after: two years from the day after they end
    before_start = [d - pd.DateOffset(years=2) for d in start]
    before_end = start - pd.Timedelta(days=1)
    after_start = [e + pd.Timedelta(days=1) if e > s0 else s0 for s0, e in zip(start, end)]
    after_end = [a + pd.DateOffset(years=2) - pd.Timedelta(days=1) for a in after_start]
    assert list(s["before_start"]) == before_start and list(s["before_end"]) == list(before_end)
    assert list(s["after_start"]) == after_start and list(s["after_end"]) == after_end
    np.testing.assert_array_equal(s["observed_before"], _independent_counts(cambs, raw, before_start, before_end, 50))
    np.testing.assert_array_equal(s["observed_after"], _independent_counts(cambs, raw, after_start, after_end, 50))
    assert s.loc["Route treatment (line)", "geometry_type"] == "LineString"
    assert s.loc["20 mph zone (polygon)", "observed_before"] > 0


def test_predictions_are_the_spfs_yearly_rates_over_the_period(evaluation):
    spf, s = evaluation.spf, evaluation.schemes
    row = s.iloc[0]  # a point: its buffer is pi 50^2
    area = np.pi * 50 ** 2 / 1e6
    expected = 0.0
    for year in range(row["before_start"].year, row["before_end"].year + 1):
        first, last = max(row["before_start"], pd.Timestamp(f"{year}-01-01")), min(row["before_end"],
                                                                                 pd.Timestamp(f"{year}-12-31"))
        days_in_year = 366 if year % 4 == 0 else 365
        expected += spf.rates[year] * ((last - first).days + 1) / days_in_year
    expected *= area * spf.class_ratios[row["site_kind"]]
    assert row["predicted_before"] == pytest.approx(expected, rel=1e-12)
    assert spf.k > 0 and spf.sites == 20000
    assert set(spf.class_ratios.index) >= set(s["site_kind"])


def test_regression_to_the_mean_is_not_credited_to_the_schemes(evaluation):
    """The fixture's sites were picked for their 2012-13 counts and nothing was built: the naive estimate shows a
    large fall, Empirical Bayes none beyond chance."""
    eb, naive = evaluation.eb, evaluation.naive
    assert naive.percent_change > 25 and naive.lower < naive.upper < 1
    assert eb.lower < 1 < eb.upper
    assert evaluation.methods.index.tolist() == ["Empirical Bayes", "comparison group", "naive"]
    assert evaluation.result is eb
    assert "Empirical Bayes: 86 collisions after where" in repr(evaluation)


def test_a_period_the_data_do_not_cover_is_refused(cambs):
    with pytest.raises(InvalidInputError) as e:
        rs.evaluate_schemes(cambs, SCHEMES, before_years=3, after_years=2)
    assert str(e.value) == (
        "scheme 'St. Marks Street / Burghley Road': the before period 2011-01-06 to 2014-01-05 is not covered whole "
        "by the data (67% of its days; the records cover 1 January 2012 to 31 October 2017); 11 other scheme(s) too. "
        "Shorten before_years, leave the scheme out, or load data that covers the period")
    cut = cambs.select(end="2015-12-31")
    with pytest.raises(InvalidInputError, match="the after period 2014-01-06 to 2016-01-05 is not covered whole"):
        rs.evaluate_schemes(cut, SCHEMES, before_years=2, after_years=2)


def test_the_four_period_method_leaves_out_the_selection_period(cambs):
    raw = gpd.read_file(SCHEMES).to_crs(27700).head(3)
    spf = rs.SafetyPerformance(rates={y: 20.0 for y in range(2012, 2018)}, k=0.5)
    ev = rs.evaluate_schemes(cambs, raw, before_years=1, after_years=2, exclude_months=12, reference=spf,
                             severity="ksi")
    start = pd.to_datetime(raw["start_date"])
    before_end = start - pd.DateOffset(months=12) - pd.Timedelta(days=1)
    before_start = [e + pd.Timedelta(days=1) - pd.DateOffset(years=1) for e in before_end]
    assert list(ev.schemes["before_end"]) == list(before_end)
    assert list(ev.schemes["before_start"]) == before_start
    np.testing.assert_array_equal(ev.schemes["observed_before"],
                                  _independent_counts(cambs, raw, before_start, before_end, 50, ksi=True))
    assert "the 12 months before the works left out" in ev.settings and "KSI collisions" in ev.settings
    # the user's SPF: 20 collisions per km2 a year at every site; 2012-01-06 to 2013-01-05 is 361 days of the leap
    # year 2012 and 5 of 2013
    assert ev.schemes["predicted_before"].iloc[0] == pytest.approx(20 * np.pi * 50 ** 2 / 1e6 * (361 / 366 + 5 / 365),
                                                                   rel=1e-12)


def test_reference_sites_of_the_users_own(cambs):
    rng = np.random.default_rng(0)
    c = cambs.collisions
    c = c[c["location_status"] == "ok"].sample(300, random_state=1)
    ref = gpd.GeoDataFrame(geometry=gpd.points_from_xy(c["location_easting_osgr"] + rng.normal(0, 200, 300),
                                                       c["location_northing_osgr"] + rng.normal(0, 200, 300)),
                           crs=27700)
    ev = rs.evaluate_schemes(cambs, SCHEMES, before_years=2, after_years=2, reference=ref)
    assert ev.spf.sites == 300 and ev.spf.source == "300 reference sites"
    assert "site_kind" not in ev.schemes.columns
    ref.loc[4, "geometry"] = shapely.Point(np.nan, np.nan)
    with pytest.raises(InvalidInputError, match=r"^1 reference site\(s\) have no location \(the first is row 5\)"):
        rs.evaluate_schemes(cambs, SCHEMES, before_years=2, after_years=2, reference=ref)


@pytest.mark.parametrize("change, message", [
    ({"start_date": None}, "scheme 'St. Marks Street / Burghley Road' (row 1): start_date None is not a date "
                           "(write YYYY-MM-DD)"),
    ({"start_date": "soon"}, "scheme 'St. Marks Street / Burghley Road' (row 1): start_date 'soon' is not a date "
                             "(write YYYY-MM-DD)"),
    ({"end_date": "2013-01-01"}, "scheme 'St. Marks Street / Burghley Road' (row 1): the works end (2013-01-01) "
                                 "before they start (2014-01-06)"),
])
def test_bad_schemes_are_named(cambs, change, message):
    raw = gpd.read_file(SCHEMES)
    for column, value in change.items():
        raw[column] = raw[column].astype(object)
        raw.loc[0, column] = value
    with pytest.raises(InvalidInputError) as e:
        rs.evaluate_schemes(cambs, raw)
    assert str(e.value) == "the schemes, " + message


def test_schemes_without_a_start_date_are_refused(cambs, tmp_path):
    raw = gpd.read_file(SCHEMES).drop(columns=["start_date"])
    path = tmp_path / "no_dates.gpkg"
    raw.to_file(path)
    with pytest.raises(InvalidInputError) as e:
        rs.evaluate_schemes(cambs, path)
    assert str(e.value) == (f"{path} has no start date column (one of start, start_date, works_start, scheme_start): "
                            "each scheme needs the date its works started")


def test_without_a_road_network_the_user_is_told_what_to_give(national):
    schemes = gpd.GeoDataFrame({"start": ["2015-06-01"]}, geometry=[shapely.Point(530000, 180000)], crs=27700)
    ds = rs.Dataset.from_frames(national.collisions)
    ds.coverage = [("2014-01-01", "2016-12-31")]  # stated, so the periods pass and the roads are asked for
    with pytest.raises(InvalidInputError, match="no road network for this area to fit the prediction model on"):
        rs.evaluate_schemes(ds, schemes, before_years=1, after_years=1)
