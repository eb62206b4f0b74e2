"""Culpability: each proxy rule on hand-made collisions with the answer known by hand, the factors file,
the rule summary, and invariants on the real 2015 national records."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe.drivers import rule_summary

from conftest import TEST_DATA

FOUR_FORCES = TEST_DATA / "national_2015"

GOING_AHEAD, PARKED, WAITING, SLOWING, REVERSING = 18, 2, 3, 4, 1
FRONT, BACK, OFFSIDE, NEARSIDE = 1, 2, 3, 4


def _dataset(cases: list[dict]) -> rs.Dataset:
    """One collision per case: its vehicles as (manoeuvre, impact[, hit object]) and its conditions."""
    col, veh, cas = [], [], []
    for i, case in enumerate(cases):
        index = f"C{i:03d}"
        col.append({"collision_index": index, "collision_severity": case.get("severity", 3),
                    "number_of_vehicles": case.get("stated", len(case["vehicles"])),
                    "road_surface_conditions": case.get("surface", 1), "weather_conditions": case.get("weather", 1),
                    "special_conditions_at_site": 0, "carriageway_hazards_historic": 0})
        for ref, v in enumerate(case["vehicles"], start=1):
            veh.append({"collision_index": index, "vehicle_reference": ref, "vehicle_manoeuvre_historic": v[0],
                        "first_point_of_impact": v[1], "hit_object_in_carriageway": v[2] if len(v) > 2 else 0,
                        "age_band_of_driver": "16 - 20", "sex_of_driver": "Male", "vehicle_type": "Car"})
        cas.append({"collision_index": index, "vehicle_reference": 1, "casualty_reference": 1,
                    "casualty_class": 3 if case.get("pedestrian") else 1})
    return rs.Dataset.from_frames(pd.DataFrame(col), pd.DataFrame(veh), pd.DataFrame(cas))


# (vehicles, conditions) -> the (status, rule) of each vehicle in order, worked out by hand from the rule table.
CASES = {
    "single vehicle": ({"vehicles": [(GOING_AHEAD, FRONT)]}, [("culpable", "single_vehicle")]),
    "single vehicle and a pedestrian": ({"vehicles": [(GOING_AHEAD, FRONT)], "pedestrian": True},
                                        [("undetermined", "pedestrian_involved")]),
    "moving into a parked car": ({"vehicles": [(GOING_AHEAD, FRONT), (PARKED, OFFSIDE)]},
                                 [("culpable", "hit_stationary_vehicle"), ("not culpable", "stationary_struck")]),
    "rear-end into a slowing car": ({"vehicles": [(SLOWING, BACK), (GOING_AHEAD, FRONT)]},
                                    [("not culpable", "struck_from_behind"), ("culpable", "rear_end_striker")]),
    "rear-end into a car going ahead": ({"vehicles": [(GOING_AHEAD, FRONT), (GOING_AHEAD, BACK)]},
                                        [("culpable", "rear_end_striker"), ("not culpable", "struck_from_behind")]),
    "moving off, hit from behind": ({"vehicles": [(5, BACK), (GOING_AHEAD, FRONT)]},
                                    [("undetermined", "two_vehicle_unresolved")] * 2),
    "reversing into a car going ahead": ({"vehicles": [(REVERSING, BACK), (GOING_AHEAD, FRONT)]},
                                         [("culpable", "reversing"), ("not culpable", "struck_by_reversing")]),
    "turning right across": ({"vehicles": [(9, OFFSIDE), (GOING_AHEAD, FRONT)]},
                             [("culpable", "turning"), ("not culpable", "going_ahead_across_manoeuvre")]),
    "U-turn across": ({"vehicles": [(GOING_AHEAD, FRONT), (6, NEARSIDE)]},
                      [("not culpable", "going_ahead_across_manoeuvre"), ("culpable", "u_turn")]),
    "moving off into traffic": ({"vehicles": [(5, FRONT), (GOING_AHEAD, NEARSIDE)]},
                                [("culpable", "moving_off"), ("not culpable", "going_ahead_across_manoeuvre")]),
    "changing lane": ({"vehicles": [(12, OFFSIDE), (GOING_AHEAD, NEARSIDE)]},
                      [("culpable", "changing_lane"), ("not culpable", "going_ahead_across_manoeuvre")]),
    "overtaking": ({"vehicles": [(13, NEARSIDE), (SLOWING, OFFSIDE)]},
                   [("culpable", "overtaking"), ("not culpable", "going_ahead_across_manoeuvre")]),
    "head-on, both going ahead": ({"vehicles": [(GOING_AHEAD, FRONT), (GOING_AHEAD, FRONT)]},
                                  [("undetermined", "two_vehicle_unresolved")] * 2),
    "both waiting": ({"vehicles": [(WAITING, BACK), (10, FRONT)]}, [("undetermined", "both_stationary")] * 2),
    "a manoeuvre missing": ({"vehicles": [(-1, OFFSIDE), (GOING_AHEAD, NEARSIDE)]},
                            [("undetermined", "missing_manoeuvre")] * 2),
    "three vehicles": ({"vehicles": [(PARKED, BACK), (SLOWING, BACK), (GOING_AHEAD, FRONT)]},
                       [("not culpable", "stationary_in_multi_vehicle"), ("not culpable", "struck_from_behind_in_multi"),
                        ("undetermined", "three_or_more_vehicles")]),
    "two stated, one listed": ({"vehicles": [(GOING_AHEAD, FRONT)], "stated": 2},
                               [("undetermined", "three_or_more_vehicles")]),
    "single vehicle on ice": ({"vehicles": [(GOING_AHEAD, FRONT)], "surface": 4},
                              [("undetermined", "mitigating_conditions")]),
    "single vehicle in fog": ({"vehicles": [(GOING_AHEAD, FRONT)], "weather": 7},
                              [("undetermined", "mitigating_conditions")]),
    "single vehicle hits an animal": ({"vehicles": [(GOING_AHEAD, FRONT, 12)]},
                                      [("undetermined", "mitigating_conditions")]),
    "wet road does not mitigate": ({"vehicles": [(GOING_AHEAD, FRONT)], "surface": 2}, [("culpable", "single_vehicle")]),
    "a parked car stays not culpable in snow": ({"vehicles": [(GOING_AHEAD, FRONT), (PARKED, BACK)], "surface": 3},
                                                [("undetermined", "mitigating_conditions"),
                                                 ("not culpable", "stationary_struck")]),
}


@pytest.fixture(scope="module")
def hand_made():
    ds = _dataset([case for case, _ in CASES.values()])
    return rs.culpability(ds)


@pytest.mark.parametrize("name", list(CASES))
def test_each_rule_gives_the_answer_worked_out_by_hand(hand_made, name):
    i = list(CASES).index(name)
    got = hand_made[hand_made["collision_index"] == f"C{i:03d}"]
    assert list(zip(got["status"].astype(str), got["rule"].astype(str))) == CASES[name][1]


def test_mitigation_keeps_the_rule_it_lifted_and_can_be_switched_off():
    ds = _dataset([{"vehicles": [(GOING_AHEAD, FRONT)], "surface": 4}])
    on = rs.culpability(ds)
    assert on["rule_before_conditions"].iloc[0] == "single_vehicle"
    off = rs.culpability(ds, mitigation=False)
    assert (off["status"].iloc[0], off["rule"].iloc[0]) == ("culpable", "single_vehicle")


def test_labels_and_codes_give_the_same_answer(national):
    """The reader's labelled categoricals and plain DfT codes are read alike."""
    from roadsafe.drivers.codes import manoeuvre_codes

    labelled = manoeuvre_codes(national.vehicles)
    raw = pd.read_csv(FOUR_FORCES / "Vehicles_2015_four_forces.csv.gz", dtype=str)
    codes = pd.to_numeric(raw["Vehicle_Manoeuvre"]).to_numpy()
    expected = np.where((codes >= 16) & (codes <= 18), 19, codes)
    order = national.vehicles["source_line"].to_numpy() - 2  # line 1 is the header
    assert (labelled == np.where(expected[order] == 99, -1, expected[order])).all()


def test_labels_as_plain_text_are_read_too(national):
    """A table built by hand with labels as text (not categoricals) scores as the reader's own."""
    vehicles = national.vehicles.copy()
    for column in ("vehicle_manoeuvre_historic", "first_point_of_impact"):
        vehicles[column] = vehicles[column].astype(object)
    by_hand = rs.culpability(rs.Dataset.from_frames(national.collisions, vehicles, national.casualties))
    assert (by_hand["rule"] == rs.culpability(national)["rule"]).all()


def test_two_vehicle_rules_never_blame_both_or_neither(national):
    """Real 2015 records: a pair rule that decides one driver decides the other the opposite way."""
    d = rs.culpability(national, mitigation=False)
    two = d[d["vehicles_in_collision"] == 2]
    status = two["status"].astype(str)
    per = pd.DataFrame({"row": two["collision_row"], "c": status == "culpable", "n": status == "not culpable",
                        "u": status == "undetermined"}).groupby("row").sum()
    shapes = set(map(tuple, per[["c", "n", "u"]].to_numpy()))
    assert shapes <= {(1, 1, 0), (0, 0, 2)}
    assert ((per["c"] == 1) & (per["n"] == 1)).sum() > 2000


def test_rule_summary_counts_every_driver(national):
    d = rs.culpability(national)
    s = rule_summary(d)
    assert s["drivers"].sum() == len(d) == len(national.vehicles)
    assert s.attrs["undetermined_share"] == pytest.approx((d["status"] == "undetermined").mean())
    assert s.loc[s["status"] == "undetermined", "share"].sum() == pytest.approx(s.attrs["undetermined_share"])
    # Single-vehicle collisions without a pedestrian, counted straight from the files' rows.
    raw = pd.read_csv(FOUR_FORCES / "Vehicles_2015_four_forces.csv.gz", dtype=str)
    acc = pd.read_csv(FOUR_FORCES / "Accidents_2015_four_forces.csv.gz", dtype=str)
    cas = pd.read_csv(FOUR_FORCES / "Casualties_2015_four_forces.csv.gz", dtype=str)
    single = set(acc.loc[acc["Number_of_Vehicles"] == "1", "Accident_Index"])
    ped = set(cas.loc[cas["Casualty_Class"] == "3", "Accident_Index"])
    alone = raw["Accident_Index"].isin(single - ped)
    decided = d["rule_before_conditions"] == "single_vehicle"
    assert decided.sum() == alone.sum()


def _factor_case():
    return _dataset([{"vehicles": [(GOING_AHEAD, FRONT), (GOING_AHEAD, FRONT)]},   # C000: head-on
                     {"vehicles": [(GOING_AHEAD, FRONT), (GOING_AHEAD, FRONT)]},   # C001
                     {"vehicles": [(GOING_AHEAD, FRONT)]},                         # C002: not in the file
                     {"vehicles": [(GOING_AHEAD, FRONT), (9, OFFSIDE)]}])          # C003


def test_factors_score_drivers_robertson_drummer_style(tmp_path):
    path = tmp_path / "factors.csv"
    path.write_text("collision_index,vehicle_reference,factor\n"
                    "C000,1,405\n"            # failed to look properly: the driver's fault
                    "C001,1,306\nC001,1,103\n"  # speeding on a slippery road: shared
                    "C001,2,201\n"            # tyres defective only: mitigated
                    "C003,2,602\n")              # careless, in a hurry: the driver turning right
    d = rs.culpability(_factor_case(), str(path))
    got = list(zip(d["collision_index"], d["status"].astype(str), d["rule"].astype(str)))
    assert got == [("C000", "culpable", "factors_driver"), ("C000", "not culpable", "factors_other_driver"),
                   ("C001", "undetermined", "factors_mixed"), ("C001", "not culpable", "factors_mitigating"),
                   ("C002", "culpable", "single_vehicle"),
                   ("C003", "not culpable", "factors_other_driver"), ("C003", "culpable", "factors_driver")]


def test_road_safety_factor_codes_can_be_given():
    factors = pd.DataFrame({"accident_index": ["C000"], "vehicle_reference": ["2"], "factor": ["17"]})
    d = rs.culpability(_factor_case(), factors, driver_codes=[17], mitigating_codes=[3])
    assert list(d["status"].astype(str))[:2] == ["not culpable", "culpable"]


def test_a_bad_factor_code_names_its_line(tmp_path):
    path = tmp_path / "factors.csv"
    path.write_text("collision_index,vehicle_reference,factor\nC000,1,405\nC000,2,x1\n")
    with pytest.raises(rs.errors.InvalidInputError) as e:
        rs.culpability(_factor_case(), str(path))
    assert str(e.value).startswith(f"{path}, line 3, column factor: 'x1' is not a factor code (a whole number such "
                                   "as 405); correct or remove the line")


def test_a_factors_file_without_its_columns_is_refused():
    with pytest.raises(rs.errors.SchemaMismatchError, match="the factors .* have no factor column"):
        rs.culpability(_factor_case(), pd.DataFrame({"collision_index": ["C000"], "vehicle_reference": [1]}))


def test_collisions_without_vehicles_are_refused(national):
    alone = rs.Dataset.from_frames(national.collisions)
    with pytest.raises(rs.errors.InvalidInputError) as e:
        rs.culpability(alone)
    assert str(e.value).startswith("the data have no vehicle records: culpability scores drivers from the vehicle "
                                   "table; load a vehicle file")
