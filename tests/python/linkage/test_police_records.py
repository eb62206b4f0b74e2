"""police_casualties / police_collisions against counts computed independently from the raw files."""
from __future__ import annotations

import collections
import csv
import datetime as dt

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe.linkage.police_records import (
    ROAD_USERS,
    police_casualties,
    police_collisions,
)

from conftest import TEST_DATA, raw_cambs_rows

STATS19 = TEST_DATA / "stats19"
CASUALTY_FILE = STATS19 / "dft-road-casualty-statistics-casualty-2021_first60rows.csv"
COLLISION_FILE = STATS19 / "collisions_2024_handmade.csv"

# casualty_type code -> road user, written from the DfT data guide's code list (an independent table).
ROAD_USER_OF_CODE = {
    0: "pedestrian", 1: "pedal_cyclist",
    2: "motorcyclist", 3: "motorcyclist", 4: "motorcyclist", 5: "motorcyclist", 23: "motorcyclist",
    97: "motorcyclist", 103: "motorcyclist", 104: "motorcyclist", 105: "motorcyclist", 106: "motorcyclist",
    8: "car_occupant", 9: "car_occupant", 108: "car_occupant", 109: "car_occupant",
    10: "bus_occupant", 11: "bus_occupant", 110: "bus_occupant",
    19: "goods_vehicle_occupant", 20: "goods_vehicle_occupant", 21: "goods_vehicle_occupant",
    98: "goods_vehicle_occupant", 113: "goods_vehicle_occupant",
    16: "other", 17: "other", 18: "other", 22: "other", 90: "other",
    99: "unknown", -1: "unknown",
}


def _raw(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def dft():
    return rs.read_stats19([COLLISION_FILE, CASUALTY_FILE])


def test_road_users_constant():
    assert ROAD_USERS == ("pedestrian", "pedal_cyclist", "motorcyclist", "car_occupant", "bus_occupant",
                          "goods_vehicle_occupant", "other", "unknown")


def test_casualty_columns_and_types(dft):
    k = police_casualties(dft)
    assert list(k.columns) == ["collision_row", "casualty_row", "collision_index", "collision_reference",
                               "casualty_reference", "datetime", "time_known", "easting", "northing", "age",
                               "sex", "road_user", "severity"]
    assert k["datetime"].dtype == np.dtype("datetime64[ns]")
    assert k["time_known"].dtype == bool
    assert k["age"].dtype == float and k["easting"].dtype == float
    assert list(k["road_user"].cat.categories) == list(ROAD_USERS)


def test_casualties_match_raw_dft_file(dft):
    raw = _raw(CASUALTY_FILE)
    k = police_casualties(dft)
    assert len(k) == len(raw) == 60
    assert list(k["casualty_row"]) == list(range(60))
    assert list(k["collision_index"]) == [r["collision_index"] for r in raw]
    assert list(k["casualty_reference"]) == [r["casualty_reference"] for r in raw]
    want_users = collections.Counter("pedestrian" if r["casualty_class"] == "3"
                                     else ROAD_USER_OF_CODE[int(r["casualty_type"])] for r in raw)
    assert dict(k["road_user"].value_counts()[lambda s: s > 0]) == dict(want_users)
    want_sex = collections.Counter({"1": "M", "2": "F"}.get(r["sex_of_casualty"], "U") for r in raw)
    assert dict(k["sex"].value_counts()[lambda s: s > 0]) == dict(want_sex)
    want_sev = collections.Counter({"1": "fatal", "2": "serious", "3": "slight"}[r["casualty_severity"]] for r in raw)
    assert dict(k["severity"].value_counts()[lambda s: s > 0]) == dict(want_sev)
    ages = [float(r["age_of_casualty"]) if int(r["age_of_casualty"]) >= 0 else np.nan for r in raw]
    np.testing.assert_array_equal(k["age"].to_numpy(), np.array(ages))


def test_casualties_take_their_collision_fields(dft):
    raw_collisions = {r["collision_index"]: r for r in _raw(COLLISION_FILE)}
    k = police_casualties(dft)
    joined = k[k["collision_row"] >= 0]
    assert set(joined["collision_index"]) == set(raw_collisions)
    for r in joined.itertuples():
        c = raw_collisions[r.collision_index]
        day = dt.datetime.strptime(c["date"] + " " + c["time"], "%d/%m/%Y %H:%M")
        assert r.datetime == pd.Timestamp(day)
        assert r.time_known
        assert r.easting == float(c["location_easting_osgr"]) and r.northing == float(c["location_northing_osgr"])
        assert r.collision_reference == c["collision_ref_no"]
    unjoined = k[k["collision_row"] < 0]
    assert len(unjoined) == 57
    assert unjoined["datetime"].isna().all() and unjoined["easting"].isna().all()
    assert not unjoined["time_known"].any()
    # the casualty file's own collision_ref_no is kept for casualties whose collision is not loaded
    raw = _raw(CASUALTY_FILE)
    assert list(k["collision_reference"]) == [r["collision_ref_no"] for r in raw]


def test_dft_collisions(dft):
    raw = _raw(COLLISION_FILE)
    c = police_collisions(dft)
    assert list(c.columns) == ["collision_row", "collision_index", "collision_reference", "datetime", "time_known",
                               "easting", "northing", "severity", "involves_pedestrian", "involves_pedal_cyclist",
                               "involves_motorcyclist", "involves_car", "involves_bus", "involves_goods_vehicle",
                               "n_casualties", "pedestrian_age", "pedestrian_sex"]
    assert list(c["collision_index"]) == [r["collision_index"] for r in raw]
    assert list(c["severity"].astype(str)) == [{"1": "fatal", "2": "serious", "3": "slight"}[r["collision_severity"]]
                                               for r in raw]
    assert list(c["n_casualties"]) == [float(r["number_of_casualties"]) for r in raw]
    # each of the three collisions has one casualty in the casualty file: flags follow its road user
    cas = {r["collision_index"]: r for r in _raw(CASUALTY_FILE)}
    for row in c.itertuples():
        r = cas[row.collision_index]
        user = "pedestrian" if r["casualty_class"] == "3" else ROAD_USER_OF_CODE[int(r["casualty_type"])]
        assert row.involves_pedestrian == (user == "pedestrian")
        assert row.involves_motorcyclist == (user == "motorcyclist")
        assert row.involves_pedal_cyclist == (user == "pedal_cyclist")


def test_cambridgeshire_has_no_casualties_but_typed_columns(cambs):
    k = police_casualties(cambs)
    assert len(k) == 0
    assert k["datetime"].dtype == np.dtype("datetime64[ns]")
    assert list(k["road_user"].cat.categories) == list(ROAD_USERS)


def test_cambridgeshire_collisions_match_raw_export(cambs):
    header, rows = raw_cambs_rows()
    col = {name: header.index(name) for name in ("Reference", "Date", "Time", "Severity", "Ped", "Cycle", "TWMV",
                                                  "HGV", "LGV", "PSV", "Easting", "Northing")}
    types = [header.index(name) for name in ("Vehicle_1_Type", "Vehicle_2_Type", "Vehicle_3_Type")]
    c = police_collisions(cambs)
    assert len(c) == len(rows) == 12108
    by_ref = c.set_index("collision_index")

    def kinds(row) -> set[str]:
        out = set()
        for i in types:
            t = row[i]
            if t == "Pedal cycle":
                out.add("cycle")
            elif t.startswith("Motorcycle") or t.startswith("Electric motorcycle"):
                out.add("motorcycle")
            elif t in ("Car", "Taxi/private hire ca"):
                out.add("car")
            elif t.startswith("Bus or coach") or t.startswith("Minibus"):
                out.add("bus")
            elif t.startswith("Van/GV") or t.startswith("GV"):
                out.add("goods")
        return out

    want = collections.Counter()
    for row in rows:
        k = kinds(row)
        want["pedestrian"] += row[col["Ped"]] == "Y"
        want["cycle"] += row[col["Cycle"]] == "Y" or "cycle" in k
        want["motorcycle"] += row[col["TWMV"]] == "Y" or "motorcycle" in k
        want["car"] += "car" in k
        want["bus"] += row[col["PSV"]] == "Y" or "bus" in k
        want["goods"] += row[col["HGV"]] == "Y" or row[col["LGV"]] == "Y" or "goods" in k
    assert int(c["involves_pedestrian"].sum()) == want["pedestrian"] == 1145
    assert int(c["involves_pedal_cyclist"].sum()) == want["cycle"]
    assert int(c["involves_motorcyclist"].sum()) == want["motorcycle"]
    assert int(c["involves_car"].sum()) == want["car"]
    assert int(c["involves_bus"].sum()) == want["bus"]
    assert int(c["involves_goods_vehicle"].sum()) == want["goods"]
    assert c["n_casualties"].isna().all()
    assert dict(c["severity"].value_counts()) == {"slight": 10050, "serious": 1872, "fatal": 186}
    # date + HMM time, and placeholder coordinates not used
    for row in rows[:200] + rows[-200:]:
        hmm = int(row[col["Time"]])
        when = dt.datetime.strptime(row[col["Date"]], "%Y%m%d") + dt.timedelta(hours=hmm // 100, minutes=hmm % 100)
        got = by_ref.loc[row[col["Reference"]]]
        assert got["datetime"] == pd.Timestamp(when) and got["time_known"]
    placeholder = [r[col["Reference"]] for r in rows
                   if r[col["Easting"]] == "500000.0009" or r[col["Northing"]] == "199999.9999"]
    assert len(placeholder) == 5
    assert by_ref.loc[placeholder, "easting"].isna().all()
    located = c["easting"].notna()
    assert int(located.sum()) == 12108 - 5


def test_cambridgeshire_first_pedestrian_matches_raw_export(cambs):
    header, rows = raw_cambs_rows()
    ref, ped, sex, age = (header.index(n) for n in ("Reference", "Ped", "Pedestrian-1_Sex", "Pedestrian_1_Age"))
    c = police_collisions(cambs).set_index("collision_index")
    want_sex = {r[ref]: ({"Male": "M", "Female": "F"}.get(r[sex], "U") if r[ped] == "Y" else "U") for r in rows}
    want_age = {r[ref]: (float(r[age]) if r[ped] == "Y" and r[age] not in ("", "0") else np.nan) for r in rows}
    got_sex = c["pedestrian_sex"].astype(str).to_dict()
    got_age = c["pedestrian_age"].to_dict()
    assert got_sex == want_sex
    assert all((np.isnan(got_age[k]) and np.isnan(v)) or got_age[k] == v for k, v in want_age.items())
    assert (c["pedestrian_sex"] != "U").sum() == 1144 and c["pedestrian_age"].notna().sum() == 1103
    # no pedestrian, nothing known
    assert c.loc[~c["involves_pedestrian"], "pedestrian_age"].isna().all()


def test_dft_collisions_have_no_first_pedestrian_fields(dft):
    c = police_collisions(dft)
    assert c["pedestrian_age"].isna().all() and (c["pedestrian_sex"] == "U").all()
