"""Police-side records in the trauma registry's vocabulary: what linkage compares patients against.

``police_casualties(ds)`` gives one row per police casualty and ``police_collisions(ds)`` one row per
collision, each with a single datetime, BNG coordinates and the trauma registry's road-user, sex and
severity vocabularies, so a police record and a registry patient can be compared field by field.

Road users (``ROAD_USERS``) from STATS19 fields:

======================  ==================================================================================
road_user               casualty_type (casualty_class "Pedestrian" is always a pedestrian)
======================  ==================================================================================
pedestrian              Pedestrian
pedal_cyclist           Cyclist
motorcyclist            every motorcycle rider or passenger type, electric motorcycles, pre-2005 codes
car_occupant            Car occupant, Taxi/Private hire car occupant (and the 1979-2004 car and taxi codes)
bus_occupant            Minibus, Bus or coach occupant (and the 1979-1998 minibus/motor caravan code)
goods_vehicle_occupant  Van / goods vehicle occupants of every weight (and the 1979-1998 code)
other                   Horse rider, agricultural vehicle, tram, mobility scooter, other vehicle occupant
unknown                 Unknown vehicle type, or the field missing
======================  ==================================================================================

The collision-level ``involves_*`` flags are True when any source says so: a casualty of that road user
(casualty table), a vehicle of that kind (vehicle table: pedal cycle, motorcycle, car or taxi, bus or
minibus, goods vehicle), or the collision's own flag (local exports such as Cambridgeshire's:
``involves_pedestrian``, ``involves_pedal_cycle``, ``involves_motorcycle``, ``involves_psv`` for buses,
``involves_hgv`` / ``involves_lgv`` for goods vehicles). Cambridgeshire's export lists only three
vehicles per collision, so its flags and its vehicles are combined.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from ..io.fields import SEVERITIES, collision_rows

ROAD_USERS = ("pedestrian", "pedal_cyclist", "motorcyclist", "car_occupant", "bus_occupant",
              "goods_vehicle_occupant", "other", "unknown")
SEXES = ("M", "F", "U")

# Collision-level flag name -> the road user it is about.
INVOLVEMENT_FLAGS = {"involves_pedestrian": "pedestrian", "involves_pedal_cyclist": "pedal_cyclist",
                     "involves_motorcyclist": "motorcyclist", "involves_car": "car_occupant",
                     "involves_bus": "bus_occupant", "involves_goods_vehicle": "goods_vehicle_occupant"}

_CASUALTY_TYPE = {
    "Pedestrian": "pedestrian",
    "Cyclist": "pedal_cyclist",
    "Taxi/Private hire car occupant": "car_occupant",
    "Car occupant": "car_occupant",
    "Taxi (excluding private hire cars) (1979-2004)": "car_occupant",
    "Car (including private hire cars) (1979-2004)": "car_occupant",
    "Minibus (8 - 16 passenger seats) occupant": "bus_occupant",
    "Bus or coach occupant (17 or more pass seats)": "bus_occupant",
    "Minibus/Motor caravan (1979-1998)": "bus_occupant",
    "Van / Goods vehicle (3.5 tonnes mgw or under) occupant": "goods_vehicle_occupant",
    "Goods vehicle (over 3.5t. and under 7.5t.) occupant": "goods_vehicle_occupant",
    "Goods vehicle (7.5 tonnes mgw and over) occupant": "goods_vehicle_occupant",
    "Goods vehicle (unknown weight) occupant": "goods_vehicle_occupant",
    "Goods over 3.5 tonnes (1979-1998)": "goods_vehicle_occupant",
    "Horse rider": "other",
    "Agricultural vehicle occupant": "other",
    "Tram occupant": "other",
    "Mobility scooter rider": "other",
    "Other vehicle occupant": "other",
    "Unknown vehicle type (self rep only)": "unknown",
}

_VEHICLE_TYPE = {
    "Pedal cycle": "pedal_cyclist",
    "Taxi/Private hire car": "car_occupant",
    "Car": "car_occupant",
    "Taxi (excluding private hire cars) (1979-2004)": "car_occupant",
    "Car (including private hire cars) (1979-2004)": "car_occupant",
    "Minibus (8 - 16 passenger seats)": "bus_occupant",
    "Bus or coach (17 or more pass seats)": "bus_occupant",
    "Minibus/Motor caravan (1979-1998)": "bus_occupant",
    "Van / Goods 3.5 tonnes mgw or under": "goods_vehicle_occupant",
    "Goods over 3.5t. and under 7.5t": "goods_vehicle_occupant",
    "Goods 7.5 tonnes mgw and over": "goods_vehicle_occupant",
    "Goods vehicle - unknown weight": "goods_vehicle_occupant",
    "Goods over 3.5 tonnes (1979-1998)": "goods_vehicle_occupant",
}

# A local export's own collision flags -> the road user they are about.
_COLLISION_FLAGS = {"involves_pedestrian": "pedestrian", "involves_pedal_cycle": "pedal_cyclist",
                    "involves_motorcycle": "motorcyclist", "involves_psv": "bus_occupant",
                    "involves_hgv": "goods_vehicle_occupant", "involves_lgv": "goods_vehicle_occupant"}


def _labels(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str)


def _is_motorcycle(label: pd.Series) -> np.ndarray:
    return (label.str.startswith("Motorcycle") | label.str.startswith("Electric motorcycle")).to_numpy()


def casualty_road_user(casualty_class: Optional[pd.Series], casualty_type: Optional[pd.Series],
                       n: int) -> np.ndarray:
    """The trauma road-user label of each casualty (an object array of ``ROAD_USERS`` values)."""
    out = np.full(n, "unknown", dtype=object)
    if casualty_type is not None:
        t = _labels(casualty_type)
        mapped = t.map(_CASUALTY_TYPE).to_numpy(dtype=object)
        known = pd.notna(mapped)
        out[known] = mapped[known]
        out[_is_motorcycle(t)] = "motorcyclist"
    if casualty_class is not None:
        out[(_labels(casualty_class) == "Pedestrian").to_numpy()] = "pedestrian"
    return out


def vehicle_road_user(vehicle_type: pd.Series) -> np.ndarray:
    """The road user whose occupants a vehicle carries (``None`` for types that name no group here)."""
    t = _labels(vehicle_type)
    out = t.map(_VEHICLE_TYPE).to_numpy(dtype=object)
    out[_is_motorcycle(t)] = "motorcyclist"
    return out


def _minutes_of_day(time: pd.Series) -> np.ndarray:
    """Minutes since midnight of an "HH:MM" time column (float, NaN when missing)."""
    if isinstance(time.dtype, pd.CategoricalDtype) and len(time.cat.categories) == 1440 \
            and str(time.cat.categories[0]) == "00:00" and str(time.cat.categories[-1]) == "23:59":
        codes = time.cat.codes.to_numpy().astype(float)  # the engine's time categories are the 1440 minutes in order
        codes[codes < 0] = np.nan
        return codes
    text = _labels(time)
    parts = text.str.extract(r"^\s*(\d{1,2}):(\d{2})")
    return (pd.to_numeric(parts[0], errors="coerce") * 60 + pd.to_numeric(parts[1], errors="coerce")).to_numpy(float)


def _datetimes(collisions: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Collision date + time (date at 12:00 when the time is missing) and whether the time was known."""
    n = len(collisions)
    if "date" not in collisions.columns:
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"), np.zeros(n, dtype=bool)
    date = pd.to_datetime(collisions["date"]).to_numpy(dtype="datetime64[ns]")
    if "time" in collisions.columns:
        minutes = _minutes_of_day(collisions["time"])
    else:
        minutes = np.full(n, np.nan)
    time_known = ~np.isnan(minutes) & ~np.isnat(date)
    offset = np.where(time_known, minutes, 12 * 60).astype(np.int64) * np.int64(60_000_000_000)
    out = date.astype(np.int64) + offset
    result = out.view("datetime64[ns]").copy()
    result[np.isnat(date)] = np.datetime64("NaT")
    return result, time_known


def _coordinates(collisions: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(collisions)
    if "location_easting_osgr" not in collisions.columns or "location_northing_osgr" not in collisions.columns:
        return np.full(n, np.nan), np.full(n, np.nan)
    e = pd.to_numeric(collisions["location_easting_osgr"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    nn = pd.to_numeric(collisions["location_northing_osgr"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    e, nn = e.copy(), nn.copy()
    if "location_status" in collisions.columns:
        bad = (_labels(collisions["location_status"]) != "ok").to_numpy()
        e[bad] = np.nan
        nn[bad] = np.nan
    return e, nn


def _severity(series: Optional[pd.Series], n: int) -> pd.Categorical:
    if series is None:
        return pd.Categorical([None] * n, categories=list(SEVERITIES))
    lower = _labels(series).str.strip().str.lower()
    return pd.Categorical(lower.where(lower.isin(SEVERITIES)), categories=list(SEVERITIES))


def _text(series: Optional[pd.Series], n: int) -> np.ndarray:
    """Identifiers as Python strings ("" when missing); integer references lose no digits."""
    if series is None:
        return np.full(n, "", dtype=object)
    if pd.api.types.is_integer_dtype(series.dtype):
        values = series.to_numpy(dtype=np.int64, na_value=0).astype(str).astype(object)
        values[series.isna().to_numpy()] = ""
        return values
    return _labels(series).to_numpy(dtype=object)


def _string_ids(frame: pd.DataFrame) -> pd.DataFrame:
    for name in ("collision_index", "collision_reference", "casualty_reference"):
        if name in frame.columns:
            frame[name] = frame[name].astype("str")
    return frame


def _column(df: pd.DataFrame, name: str) -> Optional[pd.Series]:
    return df[name] if name in df.columns else None


def _casualties_frame(ds) -> pd.DataFrame:
    cas = getattr(ds, "casualties", None)
    return cas if cas is not None else pd.DataFrame()


def police_casualties(ds) -> pd.DataFrame:
    """One row per police casualty, in the trauma registry's vocabulary.

    Columns: ``collision_row`` and ``casualty_row`` (rows of ``ds.collisions`` / ``ds.casualties``),
    ``collision_index``, ``collision_reference``, ``casualty_reference`` (strings), ``datetime`` (the
    collision's date and time; 12:00 on the date when the time is missing, NaT without a date),
    ``time_known``, ``easting``, ``northing`` (BNG metres, NaN unless ``location_status`` is ok), ``age``
    (float years, NaN unknown), ``sex`` (M, F, U), ``road_user`` (``ROAD_USERS``), ``severity`` (fatal,
    serious, slight). Casualties whose collision is not in the dataset keep NaT / NaN collision fields
    and ``collision_row`` -1. A dataset without a casualty table (e.g. the Cambridgeshire export) gives
    an empty frame: use ``police_collisions``.
    """

    cas = _casualties_frame(ds)
    col = ds.collisions
    n = len(cas)
    if n == 0:
        crow = np.zeros(0, dtype=np.int64)
    else:
        crow = collision_rows(ds, cas).astype(np.int64)
    ok = crow >= 0
    safe = np.where(ok, crow, 0)
    when, time_known = _datetimes(col)
    east, north = _coordinates(col)

    def at(values: np.ndarray, missing) -> np.ndarray:
        if len(values) == 0:
            return np.full(n, missing, dtype=values.dtype)
        out = values[safe].copy()
        out[~ok] = missing
        return out

    if "age_of_casualty" in cas.columns:
        age = pd.to_numeric(cas["age_of_casualty"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        age = np.where(age < 0, np.nan, age)
    else:
        age = np.full(n, np.nan)
    sex_label = _labels(cas["sex_of_casualty"]) if "sex_of_casualty" in cas.columns else pd.Series([""] * n)
    sex = np.where(sex_label == "Male", "M", np.where(sex_label == "Female", "F", "U"))
    index_of_collision = _text(_column(col, "collision_index"), len(col))
    reference_of_collision = _text(_column(col, "collision_reference"), len(col))
    collision_index = _text(_column(cas, "collision_index"), n)
    missing_index = collision_index == ""
    collision_index[missing_index & ok] = at(index_of_collision, "")[missing_index & ok]
    reference = at(reference_of_collision, "") if len(col) else np.full(n, "", dtype=object)
    if "collision_reference" in cas.columns:
        own = _text(cas["collision_reference"], n)
        reference = np.where(own != "", own, reference)
    frame = pd.DataFrame({
        "collision_row": crow,
        "casualty_row": np.arange(n, dtype=np.int64),
        "collision_index": collision_index.astype(object),
        "collision_reference": np.asarray(reference, dtype=object),
        "casualty_reference": _text(_column(cas, "casualty_reference"), n),
        "datetime": at(when, np.datetime64("NaT")),
        "time_known": at(time_known, False),
        "easting": at(east, np.nan),
        "northing": at(north, np.nan),
        "age": age,
        "sex": pd.Categorical(sex, categories=list(SEXES)),
        "road_user": pd.Categorical(casualty_road_user(_column(cas, "casualty_class"),
                                                       _column(cas, "casualty_type"), n),
                                    categories=list(ROAD_USERS)),
        "severity": _severity(_column(cas, "casualty_severity"), n),
    })
    return _string_ids(frame)


def police_collisions(ds) -> pd.DataFrame:
    """One row per collision, in the trauma registry's vocabulary.

    Columns: ``collision_row``, ``collision_index``, ``collision_reference``, ``datetime``,
    ``time_known``, ``easting``, ``northing``, ``severity`` (as in ``police_casualties``), the bool flags
    ``involves_pedestrian``, ``involves_pedal_cyclist``, ``involves_motorcyclist``, ``involves_car``,
    ``involves_bus``, ``involves_goods_vehicle`` (True when a casualty, a vehicle or the collision's own
    flag says so; see the module docstring), and ``n_casualties`` (float: ``number_of_casualties``, else
    the casualty rows counted when there is a casualty table, else NaN), ``pedestrian_age`` (float, NaN
    unknown) and ``pedestrian_sex`` (M, F, U): the first pedestrian's, from exports that record them
    (Cambridgeshire's ``pedestrian_1_age`` / ``pedestrian_1_sex``; NaN / U otherwise, and for a
    collision with no pedestrian). Cambridgeshire writes age 0 for a pedestrian of unknown age (42 of its
    1,145 first pedestrians), so 0 is read as unknown.
    """

    col = ds.collisions
    n = len(col)
    when, time_known = _datetimes(col)
    east, north = _coordinates(col)
    flags = {name: np.zeros(n, dtype=bool) for name in INVOLVEMENT_FLAGS}
    by_user = {user: name for name, user in INVOLVEMENT_FLAGS.items()}

    cas = _casualties_frame(ds)
    if len(cas):
        rows = collision_rows(ds, cas).astype(np.int64)
        users = casualty_road_user(_column(cas, "casualty_class"), _column(cas, "casualty_type"), len(cas))
        for user, name in by_user.items():
            hit = rows[(users == user) & (rows >= 0)]
            flags[name][hit] = True
    veh = getattr(ds, "vehicles", None)
    if veh is not None and len(veh) and "vehicle_type" in veh.columns:
        rows = collision_rows(ds, veh).astype(np.int64)
        users = vehicle_road_user(veh["vehicle_type"])
        for user, name in by_user.items():
            hit = rows[(users == user) & (rows >= 0)]
            flags[name][hit] = True
    for column, user in _COLLISION_FLAGS.items():
        if column in col.columns:
            flags[by_user[user]] |= col[column].fillna(0).astype("int64").to_numpy() > 0

    if "number_of_casualties" in col.columns:
        n_casualties = pd.to_numeric(col["number_of_casualties"], errors="coerce").to_numpy(dtype=float,
                                                                                             na_value=np.nan)
    elif len(cas):
        rows = collision_rows(ds, cas).astype(np.int64)
        n_casualties = np.bincount(rows[rows >= 0], minlength=n).astype(float)
    else:
        n_casualties = np.full(n, np.nan)

    pedestrian_age, pedestrian_sex = _first_pedestrian(col, flags["involves_pedestrian"])
    frame = pd.DataFrame({
        "collision_row": np.arange(n, dtype=np.int64),
        "collision_index": _text(_column(col, "collision_index"), n),
        "collision_reference": _text(_column(col, "collision_reference"), n),
        "datetime": when,
        "time_known": time_known,
        "easting": east,
        "northing": north,
        "severity": _severity(_column(col, "collision_severity"), n),
        **flags,
        "n_casualties": n_casualties,
        "pedestrian_age": pedestrian_age,
        "pedestrian_sex": pd.Categorical(pedestrian_sex, categories=list(SEXES)),
    })
    return _string_ids(frame)


def _first_pedestrian(collisions: pd.DataFrame, involves_pedestrian: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first pedestrian's age (NaN unknown; 0, Cambridgeshire's unknown, too) and sex (M, F, U) from a
    local export's ``pedestrian_1_age`` / ``pedestrian_1_sex``, only for collisions involving a pedestrian."""
    n = len(collisions)
    age = np.full(n, np.nan)
    if "pedestrian_1_age" in collisions.columns:
        age = pd.to_numeric(collisions["pedestrian_1_age"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        age = np.where((age > 0) & involves_pedestrian, age, np.nan)
    sex = np.full(n, "U", dtype=object)
    if "pedestrian_1_sex" in collisions.columns:
        label = _labels(collisions["pedestrian_1_sex"]).str.strip().str.lower().to_numpy()
        sex[(label == "male") & involves_pedestrian] = "M"
        sex[(label == "female") & involves_pedestrian] = "F"
    return age, sex
