"""Selecting an area and a period: ds.select, Dataset.from_frames and the command line's area options.

Known answers come from the national 2015 lines themselves (read with the csv module) and from the
county's own export, which must hold the same Cambridgeshire collisions record by record.
"""
from __future__ import annotations

import csv
import gzip
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
import shapely

from conftest import NATIONAL_2015 as FILES
from conftest import TEST_DATA, run_roadsafe

NATIONAL = TEST_DATA / "national_2015"
SEVERITY = {"1": "Fatal", "2": "Serious", "3": "Slight"}


def _raw(table: str) -> list[dict[str, str]]:
    with gzip.open(NATIONAL / f"{table}_2015_four_forces.csv.gz", "rt", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def raw():
    return {t: _raw(t) for t in ("Accidents", "Vehicles", "Casualties")}


def _expected(raw, keep) -> tuple[Counter, int, int]:
    ids = {r["Accident_Index"] for r in raw["Accidents"] if keep(r)}
    severities = Counter(SEVERITY[r["Accident_Severity"]] for r in raw["Accidents"] if r["Accident_Index"] in ids)
    vehicles = sum(r["Accident_Index"] in ids for r in raw["Vehicles"])
    casualties = sum(r["Accident_Index"] in ids for r in raw["Casualties"])
    return severities, vehicles, casualties


def _counts(ds) -> tuple[Counter, int, int]:
    return Counter(ds.collisions["collision_severity"].astype(str)), len(ds.vehicles), len(ds.casualties)


@pytest.mark.parametrize("query, field, code", [
    ({"police_force": "West Yorkshire"}, "Police_Force", "13"),
    ({"police_force": 98}, "Police_Force", "98"),
    ({"highway_authority": "Leeds"}, "Local_Authority_(Highway)", "E08000035"),
    ({"highway_authority": "E10000003"}, "Local_Authority_(Highway)", "E10000003"),
    ({"local_authority_district": "Bradford"}, "Local_Authority_(District)", "200"),
    ({"local_authority_district": "E07000012"}, "Local_Authority_(District)", "395"),  # South Cambridgeshire
])
def test_counts_match_the_raw_lines(national, raw, query, field, code):
    chosen = national.select(**query)
    assert _counts(chosen) == _expected(raw, lambda r: r[field] == code)
    assert len(chosen.collisions) > 0


def test_names_codes_and_variants_choose_the_same_force(national):
    base = national.select(police_force=35).collisions["collision_index"].tolist()
    for query in ("Cambridgeshire", "cambridgeshire constabulary", "E23000023", "35", ["Cambridgeshire"]):
        chosen = national.select(police_force=query)
        assert chosen.collisions["collision_index"].tolist() == base, query
        assert chosen.name == "Cambridgeshire"
    scotland = national.select(police_force="Police Scotland")  # the single force and the legacy ones
    assert set(scotland.collisions["police_force"].astype(str)) == {"Dumfries and Galloway"}
    assert scotland.selection[0] == "Police Scotland (police force 91, 92, 93, 94, 95, 96, 97, 98, 99)"
    both = national.select(police_force=["City of London", "Devon & Cornwall"])
    assert set(both.collisions["police_force"].astype(str)) == {"City of London"}


def test_vehicles_and_casualties_follow_their_collisions(national):
    chosen = national.select(local_authority_district="Leeds")
    col, veh, cas = chosen.collisions, chosen.vehicles, chosen.casualties
    assert (col["collision_index"].to_numpy()[veh["collision_row"].to_numpy(dtype=int)] ==
            veh["collision_index"].to_numpy()).all()
    assert (col["collision_index"].to_numpy()[cas["collision_row"].to_numpy(dtype=int)] ==
            cas["collision_index"].to_numpy()).all()
    vrow = cas["vehicle_row"].to_numpy(dtype=float, na_value=np.nan)
    placed = ~np.isnan(vrow)
    assert placed.sum() > 0.99 * len(cas)
    v = veh.iloc[vrow[placed].astype(int)]
    assert (v["collision_index"].to_numpy() == cas["collision_index"].to_numpy()[placed]).all()
    assert (v["vehicle_reference"].to_numpy() == cas["vehicle_reference"].to_numpy()[placed]).all()


def test_the_2015_cambridgeshire_collisions_are_the_county_exports_record_by_record(national, cambs):
    """DfT's national file and the county's own export: the same 1,968 collisions of 2015, each matched
    one to one on date, time and severity with locations within 20 m (DfT rounds to 10 m)."""
    ours = national.select(police_force="Cambridgeshire").collisions
    county = cambs.select(start="2015-01-01", end="2015-12-31").collisions
    assert Counter(ours["collision_severity"].astype(str)) == {"Fatal": 31, "Serious": 295, "Slight": 1642}
    assert Counter(county["collision_severity"].astype(str)) == Counter(ours["collision_severity"].astype(str))

    def key(df):
        return df["date"].dt.strftime("%Y-%m-%d") + " " + df["time"].astype(str) + " " + df["collision_severity"].astype(str)

    pairs = ours.assign(k=key(ours)).merge(county.assign(k=key(county)), on="k", suffixes=("_dft", "_county"))
    near = np.hypot(pairs["location_easting_osgr_dft"] - pairs["location_easting_osgr_county"],
                    pairs["location_northing_osgr_dft"] - pairs["location_northing_osgr_county"]) <= 20
    matched = pairs[near]
    assert matched["collision_index_dft"].nunique() == len(ours) == 1968
    assert matched["collision_index_county"].nunique() == len(county) == 1968
    assert len(matched) == 1968  # one to one


def test_period_and_area_combine(national, raw):
    chosen = national.select(police_force=13, start="2015-03-01", end="2015-03-31")
    expected = _expected(raw, lambda r: r["Police_Force"] == "13" and r["Date"][3:] == "03/2015")
    assert _counts(chosen) == expected
    assert chosen.selection == ["West Yorkshire (police force 13)", "dates 1 March 2015 to 31 March 2015",
                                f"{sum(expected[0].values()):,} of 7,876 collisions"]
    assert "selected: dates 1 March 2015 to 31 March 2015" in str(chosen.report)
    assert "selected: West Yorkshire (police force 13)" in repr(chosen)
    again = chosen.select(local_authority_district="Leeds")  # selections compose, and keep their history
    assert again.selection[:2] == chosen.selection[:2] and again.name == "Leeds"


def test_any_polygon_in_any_crs(national, raw, tmp_path):
    import geopandas as gpd

    box = shapely.box(540000, 250000, 555000, 265000)  # Cambridge, in British National Grid metres

    def inside(r):
        x, y = r["Location_Easting_OSGR"], r["Location_Northing_OSGR"]
        return x not in ("", "NULL") and 540000 <= float(x) <= 555000 and 250000 <= float(y) <= 265000

    expected = _expected(raw, inside)
    assert _counts(national.select(area=box)) == expected
    path = tmp_path / "cambridge.gpkg"
    gpd.GeoDataFrame({"name": ["Cambridge"]}, geometry=[box], crs=27700).to_file(path)
    from_file = national.select(area=path)
    assert _counts(from_file) == expected and from_file.name == "cambridge"
    # The same box in WGS84 (its edges densified so they stay straight in BNG): the same collisions.
    wgs84 = gpd.GeoSeries([box.segmentize(50)], crs=27700).to_crs(4326)
    assert _counts(national.select(area=wgs84)) == expected


def test_from_frames_round_trip_and_pandas_filters(national):
    same = rs.Dataset.from_frames(national.collisions, national.vehicles, national.casualties)
    pd.testing.assert_frame_equal(rs.ksi_table(same, by="month", unit="casualty"),
                                  rs.ksi_table(national, by="month", unit="casualty"))
    col = national.collisions
    twenty = rs.Dataset.from_frames(col[col["speed_limit"].astype(str) == "20"], national.vehicles, national.casualties)
    assert len(twenty.collisions) == int((col["speed_limit"].astype(str) == "20").sum()) > 0
    assert set(twenty.vehicles["collision_index"]) <= set(twenty.collisions["collision_index"])
    assert any(note.endswith("vehicles left out: their collision is not among the collisions")
               for note in twenty.report.selection)
    table = rs.ksi_table(twenty, by="calendar_year")
    assert table.loc["2015", "fatal"] + table.loc["2015", "serious"] + table.loc["2015", "slight"] == len(twenty.collisions)


@pytest.mark.parametrize("query, error, message", [
    ({"police_force": "West Yorks"}, rs.errors.InvalidInputError,
     "no police force called 'West Yorks' in the data guide; closest: West Yorkshire, South Yorkshire"),
    ({"highway_authority": "Kentt"}, rs.errors.InvalidInputError,
     "no highway authority called 'Kentt' in the data guide; closest: Kent, Brent"),
    ({"start": "2015-13-01"}, rs.errors.InvalidInputError, "start must be a date (YYYY-MM-DD), got '2015-13-01'"),
    ({"start": "2015-06-01", "end": "2015-05-01"}, rs.errors.InvalidInputError,
     "end 2015-05-01 is before start 2015-06-01"),
    ({"area": "/no/such/boundary.gpkg"}, rs.errors.RoadsafeIOError, "area file not found: /no/such/boundary.gpkg"),
    ({"area": 42}, rs.errors.InvalidInputError, "area must be a GeoDataFrame, a GeoSeries, a shapely geometry or a "
                                                "vector file, not int"),
])
def test_bad_choices_say_what_is_wrong(national, query, error, message):
    with pytest.raises(error) as e:
        national.select(**query)
    assert str(e.value) == message


def test_a_field_the_records_lack_is_a_clear_error(cambs):
    with pytest.raises(rs.errors.InvalidInputError, match="these records carry no local_authority_district or "
                                                          "local_authority_ons_district column"):
        cambs.select(local_authority_district="Cambridge")


def test_duplicate_collisions_are_refused_by_from_frames(national):
    col = national.collisions
    with pytest.raises(rs.errors.InvalidInputError, match="appears more than once among the collisions"):
        rs.Dataset.from_frames(pd.concat([col.head(2), col.head(1)]))


def test_command_line_area_options(raw, tmp_path):
    out = tmp_path / "wy.csv"
    r = run_roadsafe("trends", *map(str, FILES), "--police-force", "West Yorkshire", "--from", "2015-01-01",
                     "--to", "2015-06-30", "--by", "month", "--quiet", "--out", str(out))
    assert r.returncode == 0, r.stderr
    expected = _expected(raw, lambda row: row["Police_Force"] == "13" and int(row["Date"][3:5]) <= 6)[0]
    n = sum(expected.values())
    assert f"Selected: West Yorkshire (police force 13); dates 1 January 2015 to 30 June 2015; {n:,} of 7,876 " \
           "collisions" in r.stdout
    table = pd.read_csv(out)
    assert table["fatal"].sum() == expected["Fatal"] and table["slight"].sum() == expected["Slight"]
    r = run_roadsafe("trends", *map(str, FILES), "--district", "Leedz", "--quiet")
    assert r.returncode == 3
    assert "roadsafe: bad input: no district called 'Leedz' in the data guide; closest: Leeds" in r.stderr


def test_command_line_area_file_and_highway_authority(raw, tmp_path):
    import geopandas as gpd

    path = tmp_path / "cambridge.gpkg"
    gpd.GeoDataFrame({"name": ["Cambridge"]}, geometry=[shapely.box(540000, 250000, 555000, 265000)],
                     crs=27700).to_crs(4326).to_file(path)
    r = run_roadsafe("hotspots", *map(str, FILES), "--area", str(path), "--highway-authority", "Cambridgeshire",
                     "--min-collisions", "3", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "Selected: Cambridgeshire (highway authority E10000003); area cambridge; " in r.stdout
    assert "Cluster sites: 3 or more collisions within 50 m" in r.stdout and "(Cambridgeshire, cambridge)" in r.stdout
    r = run_roadsafe("trends", *map(str, FILES), "--area", str(tmp_path / "missing.gpkg"), "--quiet")
    assert r.returncode == 4
    assert f"roadsafe: cannot read input: area file not found: {tmp_path / 'missing.gpkg'}" in r.stderr


def test_geopackage_outputs_record_the_selection(tmp_path):
    import sqlite3

    out = tmp_path / "sites.gpkg"
    r = run_roadsafe("hotspots", *map(str, FILES), "--police-force", "West Yorkshire", "--min-collisions", "3",
                     "--out", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(out) as db:
        (description,) = db.execute("SELECT description FROM gpkg_contents").fetchone()
    assert description == "Selected from the loaded records: West Yorkshire (police force 13); 5,286 of 7,876 collisions"
