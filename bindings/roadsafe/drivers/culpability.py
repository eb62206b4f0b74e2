"""Culpability of each driver from the vehicle table: proxy rules, one by one, with their reasons.

DfT's open files do not carry contributory factors (released only on request, replaced by road safety
factors from 2024 data), so who caused a collision is inferred from what the vehicle table records:
manoeuvre, first point of impact, how many vehicles, a pedestrian, and the road, weather and site
conditions of the collision file. Each rule is a heuristic, named in the ``rule`` column of every driver
it decides, in the spirit of responsibility analysis (Robertson & Drummer, Accid. Anal. Prev. 26(2):243-247,
1994: a driver is culpable unless mitigating factors say otherwise) and of the cases every scoring scheme
agrees on, single-vehicle crashes and rear-end shunts (Dorn & af Wahlberg 2019, *Behavioural culpability
for traffic accidents*). Sources and limits are in the README's "Driver culpability" section.

Rules, first match wins (two-vehicle collisions: "self" is the driver scored, "other" the other vehicle):

==============================  ============  ==========================================================
rule                            status        when
==============================  ============  ==========================================================
single_vehicle                  culpable      the only vehicle and no pedestrian: nobody else to share it
pedestrian_involved             undetermined  the only vehicle, and a pedestrian casualty (either may be at fault)
both_stationary                 undetermined  both parked or waiting: the record contradicts itself
stationary_struck               not culpable  self parked or waiting (manoeuvre 2, 3, 8, 10), other moving
hit_stationary_vehicle          culpable      other parked or waiting, self moving
struck_from_behind              not culpable  self going ahead or slowing (4), hit in the back by the other's front,
                                              the other not reversing
rear_end_striker                culpable      self's front into the back of the other going ahead or slowing
reversing                       culpable      self reversing (1), other not (the Highway Code puts it on the reverser)
struck_by_reversing             not culpable  other reversing, self not
turning / u_turn / moving_off   culpable      self turning (7, 9), U-turning (6), moving off (5), changing lane
changing_lane / overtaking                    (11, 12) or overtaking (13-15) across other going ahead or slowing
going_ahead_across_manoeuvre    not culpable  self going ahead or slowing, other making one of those manoeuvres
                                              (unless the manoeuvring vehicle was hit in the back: unresolved)
missing_manoeuvre               undetermined  a manoeuvre is missing or unknown and no rule above applied
two_vehicle_unresolved          undetermined  two moving vehicles, neither rule decides (head-on, both turning)
stationary_in_multi_vehicle     not culpable  three or more vehicles: self parked or waiting
struck_from_behind_in_multi     not culpable  three or more vehicles: self slowing or waiting, hit in the back
three_or_more_vehicles          undetermined  three or more vehicles otherwise (who started it is not recorded),
                                              or fewer vehicle rows than the collision states
mitigating_conditions           undetermined  would be culpable, but the road was snowy, icy, flooded, oily or
                                              muddy, it was snowing, foggy or windy, the site had defective
                                              signals, signs, surface or roadworks, there was a hazard in the
                                              carriageway, or the vehicle hit an animal, roadworks or an earlier
                                              collision (Robertson-Drummer's road and driving conditions)
==============================  ============  ==========================================================

Mitigation only lifts culpability (a parked car stays not culpable on ice); ``rule_before_conditions``
keeps the rule it lifted. Darkness and wet roads are not counted as mitigating: they are too common to
tell drivers apart, and a driver is expected to adjust to them.
"""
from __future__ import annotations

from typing import Iterable, Optional

import numpy as np
import pandas as pd

from ..io.fields import collision_rows
from .codes import GOING_AHEAD, column_of, dft_codes, impact_codes, manoeuvre_codes

STATUSES = ("culpable", "not culpable", "undetermined")
CULPABLE, NOT_CULPABLE, UNDETERMINED = range(3)

#: (rule, status), in the order the rules are tried; a rule's number is its position here.
RULES: tuple[tuple[str, str], ...] = (
    ("single_vehicle", "culpable"), ("pedestrian_involved", "undetermined"),
    ("both_stationary", "undetermined"), ("stationary_struck", "not culpable"),
    ("hit_stationary_vehicle", "culpable"), ("struck_from_behind", "not culpable"),
    ("rear_end_striker", "culpable"), ("reversing", "culpable"), ("struck_by_reversing", "not culpable"),
    ("turning", "culpable"), ("u_turn", "culpable"), ("moving_off", "culpable"), ("changing_lane", "culpable"),
    ("overtaking", "culpable"), ("going_ahead_across_manoeuvre", "not culpable"),
    ("missing_manoeuvre", "undetermined"), ("two_vehicle_unresolved", "undetermined"),
    ("stationary_in_multi_vehicle", "not culpable"), ("struck_from_behind_in_multi", "not culpable"),
    ("three_or_more_vehicles", "undetermined"), ("mitigating_conditions", "undetermined"),
)
RULE_NAMES = tuple(r for r, _ in RULES)
_RULE = {name: i for i, name in enumerate(RULE_NAMES)}
_STATUS_OF_RULE = np.array([STATUSES.index(s) for _, s in RULES], dtype=np.int8)

STATIONARY = (2, 3, 8, 10)  # parked, waiting to go, waiting to turn left, waiting to turn right
REVERSING, SLOWING = 1, 4
#: Manoeuvres that cross or cut into the path of a vehicle going ahead, and the rule each one names.
ACROSS = {7: "turning", 9: "turning", 6: "u_turn", 5: "moving_off", 11: "changing_lane", 12: "changing_lane",
          13: "overtaking", 14: "overtaking", 15: "overtaking"}
FRONT, BACK = 1, 2

# Conditions that mitigate (DfT codes): road surface snow, ice, flood, oil, mud; weather snowing, high winds,
# fog; any special condition at the site; any carriageway hazard; the vehicle hitting an earlier collision,
# roadworks or an animal in the carriageway.
_MITIGATING_SURFACE = (3, 4, 5, 6, 7)
_MITIGATING_WEATHER = (3, 4, 5, 6, 7)
_MITIGATING_SITE = (1, 2, 3, 4, 5, 6, 7)
_MITIGATING_HAZARD = (1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21)
_MITIGATING_OBJECT_HIT = (1, 2, 12)

#: Driver fields carried into the result, by the name they get there and the vehicle columns they may have.
DRIVER_FIELDS = {
    "vehicle_type": ("vehicle_type",),
    "vehicle_manoeuvre": ("vehicle_manoeuvre", "vehicle_manoeuvre_historic"),
    "first_point_of_impact": ("first_point_of_impact",),
    "junction_location": ("junction_location",),
    "sex_of_driver": ("sex_of_driver",),
    "age_of_driver": ("age_of_driver",),
    "age_band_of_driver": ("age_band_of_driver",),
    "journey_purpose_of_driver": ("journey_purpose_of_driver", "journey_purpose_of_driver_historic"),
    "driver_imd_decile": ("driver_imd_decile",),
    "engine_capacity_cc": ("engine_capacity_cc",),
    "age_of_vehicle": ("age_of_vehicle",),
    "driver_distance_banding": ("driver_distance_banding",),
}
#: Bands for the two numeric vehicle fields (upper bounds included), as involvement ratios group them.
ENGINE_BANDS = ((0, 125, "up to 125cc"), (126, 1000, "126-1000cc"), (1001, 1400, "1001-1400cc"),
                (1401, 1800, "1401-1800cc"), (1801, 2500, "1801-2500cc"), (2501, 10**7, "over 2500cc"))
VEHICLE_AGE_BANDS = ((0, 2, "0-2 years"), (3, 5, "3-5 years"), (6, 9, "6-9 years"), (10, 14, "10-14 years"),
                     (15, 10**4, "15 years or more"))


def _isin(values: np.ndarray, codes) -> np.ndarray:
    """``np.isin`` for small code sets: a lookup table indexed by code (codes are small integers, -1 missing)."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    top = max(int(values.max()), max(codes, default=0))
    table = np.zeros(top + 2, dtype=bool)
    table[np.asarray(codes, dtype=np.int64) + 1] = True
    return table[np.clip(values, -1, None) + 1]


def pedestrian_collisions(ds, n_collisions: int) -> np.ndarray:
    """True for each collision with a pedestrian casualty (casualty table), else as the collision file says
    (number_of_pedestrians or involves_pedestrian, as local exports have them)."""
    cas = getattr(ds, "casualties", pd.DataFrame())
    if len(cas) and "casualty_class" in cas.columns:
        rows = collision_rows(ds, cas)
        ped = dft_codes(cas, "casualty", ("casualty_class",)) == 3
        out = np.zeros(n_collisions, dtype=bool)
        out[rows[ped & (rows >= 0)]] = True
        return out
    col = ds.collisions
    if "number_of_pedestrians" in col.columns:
        return pd.to_numeric(col["number_of_pedestrians"], errors="coerce").fillna(0).to_numpy() > 0
    if "involves_pedestrian" in col.columns:
        flag = col["involves_pedestrian"].astype(str).str.strip().str.upper()
        return flag.isin(["Y", "YES", "TRUE", "1"]).to_numpy()
    return np.zeros(n_collisions, dtype=bool)


def mitigating_collisions(collisions: pd.DataFrame) -> np.ndarray:
    """True for each collision whose road, weather or site conditions mitigate (see the module's table)."""
    surface = dft_codes(collisions, "collision", ("road_surface_conditions",))
    weather = dft_codes(collisions, "collision", ("weather_conditions",))
    site = dft_codes(collisions, "collision", ("special_conditions_at_site",))
    hazard = dft_codes(collisions, "collision", ("carriageway_hazards", "carriageway_hazards_historic"))
    return (_isin(surface, _MITIGATING_SURFACE) | _isin(weather, _MITIGATING_WEATHER)
            | _isin(site, _MITIGATING_SITE) | _isin(hazard, _MITIGATING_HAZARD))


def vehicle_rules(manoeuvre: np.ndarray, impact: np.ndarray, collision: np.ndarray, vehicles_in_collision: np.ndarray,
                  pedestrian: np.ndarray) -> np.ndarray:
    """The rule number (index into RULES) of each vehicle, before conditions: the proxy rules as numpy over
    codes. ``collision``: each vehicle's collision (any integer id, -1 for none); ``vehicles_in_collision``
    and ``pedestrian``: per vehicle, of its collision."""
    n = len(manoeuvre)
    rule = np.full(n, _RULE["three_or_more_vehicles"], dtype=np.int16)
    stationary = _isin(manoeuvre, STATIONARY)

    single = vehicles_in_collision == 1
    rule[single] = np.where(pedestrian[single], _RULE["pedestrian_involved"], _RULE["single_vehicle"])

    multi = vehicles_in_collision >= 3
    behind_multi = multi & (impact == BACK) & _isin(manoeuvre, (SLOWING, 3, 8, 10))
    rule[behind_multi] = _RULE["struck_from_behind_in_multi"]
    rule[multi & stationary] = _RULE["stationary_in_multi_vehicle"]

    # Two-vehicle collisions: pair each vehicle with the other one of its collision.
    pair = np.flatnonzero(vehicles_in_collision == 2)
    if len(pair):
        order = pair[np.argsort(collision[pair], kind="stable")]
        first, second = order[0::2], order[1::2]
        other = np.empty(n, dtype=np.int64)
        other[first], other[second] = second, first
        s = order
        o = other[s]
        ms, mo, ps, po = manoeuvre[s], manoeuvre[o], impact[s], impact[o]
        st_s, st_o = stationary[s], stationary[o]
        moving_s = (ms >= 0) & ~st_s
        moving_o = (mo >= 0) & ~st_o
        ahead_s = _isin(ms, (GOING_AHEAD, SLOWING))
        ahead_o = _isin(mo, (GOING_AHEAD, SLOWING))
        across_s = _isin(ms, tuple(ACROSS))
        across_o = _isin(mo, tuple(ACROSS))
        rev_s, rev_o = ms == REVERSING, mo == REVERSING
        rear_s = (ps == BACK) & (po == FRONT)  # self hit in the back by the other's front
        rear_o = (po == BACK) & (ps == FRONT)
        across_rule = np.full(len(s), _RULE["two_vehicle_unresolved"], dtype=np.int16)
        for code, name in ACROSS.items():
            across_rule[ms == code] = _RULE[name]
        conditions = [
            st_s & st_o,
            st_s & moving_o,
            st_o & moving_s,
            rear_s & ahead_s & ~rev_o,
            rear_o & ahead_o & ~rev_s,
            rev_s & ~rev_o & (mo >= 0),
            rev_o & ~rev_s & (ms >= 0),
            across_s & ahead_o & ~rear_s,
            ahead_s & across_o & ~rear_o,
            (ms < 0) | (mo < 0),
        ]
        fixed = [np.full(len(s), _RULE[name], dtype=np.int16) for name in
                 ("both_stationary", "stationary_struck", "hit_stationary_vehicle", "struck_from_behind",
                  "rear_end_striker", "reversing", "struck_by_reversing")]
        choices = [*fixed, across_rule, np.full(len(s), _RULE["going_ahead_across_manoeuvre"], dtype=np.int16),
                   np.full(len(s), _RULE["missing_manoeuvre"], dtype=np.int16)]
        rule[s] = np.select(conditions, choices, default=_RULE["two_vehicle_unresolved"])
    return rule


def _band(values: pd.Series, bands) -> pd.Categorical:
    """Whole numbers into labelled bands (lower and upper bounds included); missing or below all -> NaN."""
    if pd.api.types.is_integer_dtype(values.dtype):
        whole = values.to_numpy(dtype=np.int64, na_value=-1)
    else:
        v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=-1.0)
        whole = np.where(v == np.floor(v), v, -1).astype(np.int64)
    whole = np.where((whole >= 0) & (whole < 10**6), whole, -1)
    # A lookup table from each whole number up to the largest present to its band (-1: none).
    upto = np.arange(int(whole.max()) + 2 if len(whole) else 1)
    lut = np.full(len(upto), -1, dtype=np.int64)
    for i, (low, high, _) in enumerate(bands):
        lut[(upto >= low) & (upto <= high)] = i
    codes = np.where(whole >= 0, lut[np.maximum(whole, 0)], -1)
    return pd.Categorical.from_codes(codes, categories=[label for _, _, label in bands])


def driver_fields(vehicles: pd.DataFrame) -> pd.DataFrame:
    """The driver and vehicle fields the analyses group by, under their current DfT names (``_historic``
    columns renamed), with ``engine_size`` and ``vehicle_age`` banded from the numbers."""
    out = pd.DataFrame(index=vehicles.index)
    for name, candidates in DRIVER_FIELDS.items():
        col = column_of(vehicles, candidates)
        if col is not None:
            out[name] = vehicles[col]
    if "engine_capacity_cc" in out.columns:
        out["engine_size"] = _band(out["engine_capacity_cc"], ENGINE_BANDS)
    if "age_of_vehicle" in out.columns:
        out["vehicle_age"] = _band(out["age_of_vehicle"], VEHICLE_AGE_BANDS)
    return out


def culpability(ds, factors=None, *, mitigation: bool = True, driver_codes: Optional[Iterable[int]] = None,
                mitigating_codes: Optional[Iterable[int]] = None) -> pd.DataFrame:
    """One row per driver (vehicle) of ``ds``: ``status`` (culpable / not culpable / undetermined), the
    ``rule`` that decided it, and the driver's fields.

    Without ``factors`` the proxy rules of this module decide (see its docstring for each rule and its
    reason). With ``factors`` (a contributory-factors or road-safety-factors file: a path or a DataFrame,
    layout in ``roadsafe.drivers.factors``) the drivers of the collisions it covers are scored from their
    factors instead, Robertson-Drummer style, and the rest keep the proxy rules. ``mitigation=False`` leaves
    road and weather conditions out. ``driver_codes`` / ``mitigating_codes``: the factor codes that blame or
    mitigate (default: the 2005-2023 contributory factors; give them for road safety factors).
    ``rule_summary(result)`` gives the share decided by each rule and the share undetermined.

    Columns: ``collision_index``, ``vehicle_reference``, ``collision_row``, ``status``, ``rule``,
    ``rule_before_conditions``, ``vehicles_in_collision``, ``collision_severity``, then the driver fields
    present (``age_band_of_driver``, ``sex_of_driver``, ``vehicle_type``, ``journey_purpose_of_driver``,
    ``driver_imd_decile``, ``engine_size``, ``vehicle_age``, ...).
    """
    from .. import errors
    from ..io.fields import require_columns, severity_names

    vehicles = ds.vehicles
    collisions = ds.collisions
    if len(vehicles) == 0:
        raise errors.InvalidInputError(
            "the data have no vehicle records: culpability scores drivers from the vehicle table; load a vehicle "
            "file with the collisions (or an export with vehicle columns, through a profile)")
    require_columns(vehicles, ["collision_index"], "vehicles", "culpability")
    rows = collision_rows(ds, vehicles)
    counted = np.bincount(rows[rows >= 0], minlength=len(collisions))
    if "number_of_vehicles" in collisions.columns:  # a local export may list only its first vehicles
        stated = pd.to_numeric(collisions["number_of_vehicles"], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
        in_collision = np.maximum(counted, stated)
    else:
        in_collision = counted
    safe = np.maximum(rows, 0)
    per_vehicle = np.where(rows >= 0, in_collision[safe], 0)
    # The pairing needs both vehicles present: a two-vehicle collision with one vehicle row is unresolved.
    per_vehicle = np.where((per_vehicle == 2) & (counted[safe] != 2), 3, per_vehicle)
    pedestrian = pedestrian_collisions(ds, len(collisions))[safe] & (rows >= 0)
    rule = vehicle_rules(manoeuvre_codes(vehicles), impact_codes(vehicles), rows, per_vehicle, pedestrian)
    before = rule.copy()
    if mitigation:
        mitigated = mitigating_collisions(collisions)[safe] & (rows >= 0)
        hit = dft_codes(vehicles, "vehicle", ("hit_object_in_carriageway",))
        mitigated |= _isin(hit, _MITIGATING_OBJECT_HIT)
        rule[mitigated & (_STATUS_OF_RULE[rule] == CULPABLE)] = _RULE["mitigating_conditions"]

    out = pd.DataFrame({
        "collision_index": vehicles["collision_index"].array,  # as read (no copy to Python strings)
        "vehicle_reference": vehicles["vehicle_reference"].array if "vehicle_reference" in vehicles.columns
        else np.arange(len(vehicles)),
        "collision_row": rows,
        "status": pd.Categorical.from_codes(_STATUS_OF_RULE[rule], categories=list(STATUSES)),
        "rule": pd.Categorical.from_codes(rule, categories=list(RULE_NAMES)),
        "rule_before_conditions": pd.Categorical.from_codes(before, categories=list(RULE_NAMES)),
        "vehicles_in_collision": per_vehicle,
    })
    if "collision_severity" in collisions.columns:
        names = severity_names(collisions)
        per_collision = np.select([names == "fatal", names == "serious", names == "slight"], [0, 1, 2], -1)
        out["collision_severity"] = pd.Categorical.from_codes(np.where(rows >= 0, per_collision[safe], -1),
                                                              categories=["fatal", "serious", "slight"])
    fields = driver_fields(vehicles)
    for name in fields.columns:
        out[name] = fields[name].array  # categoricals stay categoricals (age bands in their order)
    out.attrs.update({"method": "proxy rules on the vehicle table", "mitigation": mitigation})
    if factors is not None:
        from .factors import score_factors

        out = score_factors(out, factors, driver_codes, mitigating_codes)
    return out


def rule_summary(drivers: pd.DataFrame) -> pd.DataFrame:
    """Drivers decided by each rule, with its status and share of all drivers, and the undetermined
    share overall in ``attrs['undetermined_share']``."""
    counts = drivers.groupby(["rule", "status"], observed=True).size().rename("drivers").reset_index()
    counts = counts[counts["drivers"] > 0].sort_values("drivers", ascending=False).reset_index(drop=True)
    counts["share"] = counts["drivers"] / max(len(drivers), 1)
    counts.attrs["undetermined_share"] = float((drivers["status"] == "undetermined").mean()) if len(drivers) \
        else float("nan")
    counts.attrs["drivers"] = len(drivers)
    return counts
