"""Target groups: the road users, ages and roads a partnership reports on, as filters.

Every table and summary (``ksi_table``, ``performance_summary``) takes ``groups=`` with one of these
names, or a list of them:

=================  ==========================================  ===============================================
name               from casualty fields (DfT casualty file)    from collision fields only (e.g. Cambridgeshire)
=================  ==========================================  ===============================================
children           age_of_casualty < 16                        involves_child (a child casualty, any road user)
young_people       age_of_casualty 17..25                      not available
older_people       age_of_casualty >= 70                       not available
pedestrians        casualty_class "Pedestrian"                 involves_pedestrian
pedal_cyclists     casualty_type "Cyclist"                     involves_pedal_cycle (or a pedal-cycle vehicle)
motorcyclists      casualty_type "Motorcycle ..." riders and   involves_motorcycle (or a motorcycle vehicle)
                   passengers (incl. electric, pre-2005 codes)
car_occupants      casualty_type "Car occupant" (code 9, and   a vehicle of type "Car" in the collision
                   109 before 2005; taxis are not included)
rural_roads        urban_or_rural_area "Rural"                 the same collision field (error if absent)
speed_limit_50     speed_limit >= 50 (collision field)         the same
district           local_authority_district, one group per     the same collision field (error if absent)
                   district ("district: Cambridge")
=================  ==========================================  ===============================================

``basis`` says which: "casualty" when a casualty's own fields chose it, "collision" when the collision's
fields (its vehicles, its pedestrian and child flags, its road) did. With ``unit="collision"`` a
collision is in a casualty-based group when any of its casualties is. The Cambridgeshire export has no
casualty table, so its groups are collision-based: "pedestrians" there means collisions involving a
pedestrian, counted by the collision's severity.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ..io.fields import collision_rows

GROUPS = ("children", "young_people", "older_people", "pedestrians", "pedal_cyclists", "motorcyclists",
          "car_occupants", "rural_roads", "speed_limit_50", "district")

_ALIASES = {
    "child": "children", "children": "children",
    "young": "young_people", "young_people": "young_people", "young people": "young_people",
    "older": "older_people", "older_people": "older_people", "older people": "older_people",
    "pedestrian": "pedestrians", "pedestrians": "pedestrians",
    "cyclist": "pedal_cyclists", "cyclists": "pedal_cyclists", "pedal_cyclists": "pedal_cyclists",
    "pedal cyclists": "pedal_cyclists",
    "motorcyclist": "motorcyclists", "motorcyclists": "motorcyclists",
    "car_occupants": "car_occupants", "car occupants": "car_occupants",
    "rural": "rural_roads", "rural_roads": "rural_roads", "rural roads": "rural_roads",
    "speed_limit_50": "speed_limit_50", "50+": "speed_limit_50", "speed limit 50+": "speed_limit_50",
    "district": "district", "by_district": "district", "by district": "district",
}

_CAR_OCCUPANT_TYPES = {"Car occupant", "Car (including private hire cars) (1979-2004)"}


class GroupUnavailable(ValueError):
    """The dataset has no field from which this group can be chosen."""


@dataclass(frozen=True)
class GroupSelection:
    """One group's members. Exactly one of ``collisions`` / ``casualties`` is set: a boolean mask over
    ``ds.collisions`` rows (basis "collision") or over ``ds.casualties`` rows (basis "casualty")."""
    name: str
    basis: str
    collisions: Optional[np.ndarray] = None
    casualties: Optional[np.ndarray] = None


def normalise_groups(groups: Union[None, str, Sequence[str]]) -> list[str]:
    if groups is None:
        return []
    names = [groups] if isinstance(groups, str) else list(groups)
    out = []
    for g in names:
        key = _ALIASES.get(str(g).strip().lower())
        if key is None:
            raise ValueError(f"unknown group {g!r}; the groups are: {', '.join(GROUPS)}")
        out.append(key)
    return out


def has_casualties(ds) -> bool:
    cas = ds.casualties
    return cas is not None and len(cas) > 0


def _flag(collisions: pd.DataFrame, column: str) -> Optional[np.ndarray]:
    if column not in collisions.columns:
        return None
    return collisions[column].fillna(0).astype("int64").to_numpy() > 0


def _vehicle_flag(ds, predicate) -> Optional[np.ndarray]:
    veh = ds.vehicles
    if veh is None or len(veh) == 0 or "vehicle_type" not in veh.columns:
        return None

    hit = predicate(veh["vehicle_type"].astype(object).fillna("").astype(str)).to_numpy()
    rows = collision_rows(ds, veh)[hit]
    mask = np.zeros(len(ds.collisions), dtype=bool)
    mask[rows[rows >= 0]] = True
    return mask


def _label(series: pd.Series) -> pd.Series:
    return series.astype(object).fillna("").astype(str)


def _casualty_selection(ds, name: str) -> Optional[np.ndarray]:
    cas = ds.casualties
    if name in ("children", "young_people", "older_people"):
        if "age_of_casualty" not in cas.columns:
            return None
        age = pd.to_numeric(cas["age_of_casualty"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            if name == "children":
                return age < 16
            if name == "young_people":
                return (age >= 17) & (age <= 25)
            return age >= 70
    if name == "pedestrians" and "casualty_class" in cas.columns:
        return (_label(cas["casualty_class"]) == "Pedestrian").to_numpy()
    if name in ("pedal_cyclists", "motorcyclists", "car_occupants") and "casualty_type" in cas.columns:
        t = _label(cas["casualty_type"])
        if name == "pedal_cyclists":
            return (t == "Cyclist").to_numpy()
        if name == "motorcyclists":
            return (t.str.startswith("Motorcycle") | t.str.startswith("Electric motorcycle")).to_numpy()
        return t.isin(_CAR_OCCUPANT_TYPES).to_numpy()
    return None


def _collision_selection(ds, name: str) -> Optional[np.ndarray]:
    col = ds.collisions
    if name == "children":
        return _flag(col, "involves_child")
    if name == "pedestrians":
        flag = _flag(col, "involves_pedestrian")
        return flag
    if name == "pedal_cyclists":
        flag = _flag(col, "involves_pedal_cycle")
        return flag if flag is not None else _vehicle_flag(ds, lambda t: t == "Pedal cycle")
    if name == "motorcyclists":
        flag = _flag(col, "involves_motorcycle")
        return flag if flag is not None else _vehicle_flag(
            ds, lambda t: t.str.startswith("Motorcycle") | t.str.startswith("Electric motorcycle"))
    if name == "car_occupants":
        return _vehicle_flag(ds, lambda t: t == "Car")
    return None


def _road_selection(ds, name: str) -> Optional[np.ndarray]:
    col = ds.collisions
    if name == "rural_roads" and "urban_or_rural_area" in col.columns:
        return (_label(col["urban_or_rural_area"]) == "Rural").to_numpy()
    if name == "speed_limit_50" and "speed_limit" in col.columns:
        limit = pd.to_numeric(col["speed_limit"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            return limit >= 50
    return None


def select_groups(ds, groups: Union[None, str, Sequence[str]]) -> list[GroupSelection]:
    """The selections for ``groups`` (a name or a list); "district" expands to one group per district."""
    out: list[GroupSelection] = []
    casualty_data = has_casualties(ds)
    for name in normalise_groups(groups):
        if name == "district":
            col = ds.collisions
            field = next((f for f in ("local_authority_district", "local_authority_ons_district",
                                      "local_authority_highway") if f in col.columns and col[f].notna().any()), None)
            if field is None:
                raise GroupUnavailable("group 'district' needs local_authority_district (or "
                                       "local_authority_ons_district / local_authority_highway), which this "
                                       "dataset does not have")
            cat = col[field].astype("category")
            codes = cat.cat.codes.to_numpy()
            present = np.unique(codes[codes >= 0])
            named = sorted((str(cat.cat.categories[c]), c) for c in present)
            for value, code in named:
                out.append(GroupSelection(f"district: {value}", "collision", collisions=codes == code))
            continue
        if name in ("rural_roads", "speed_limit_50"):
            mask = _road_selection(ds, name)
            if mask is None:
                field = "urban_or_rural_area" if name == "rural_roads" else "speed_limit"
                raise GroupUnavailable(f"group {name!r} needs the collision field {field}, which this dataset "
                                       "does not have")
            out.append(GroupSelection(name, "collision", collisions=mask))
            continue
        if casualty_data:
            mask = _casualty_selection(ds, name)
            if mask is not None:
                out.append(GroupSelection(name, "casualty", casualties=mask))
                continue
        mask = _collision_selection(ds, name)
        if mask is None:
            raise GroupUnavailable(
                f"group {name!r} needs casualty fields (age_of_casualty, casualty_class, casualty_type) or a "
                "collision flag for it; this dataset has neither")
        out.append(GroupSelection(name, "collision", collisions=mask))
    return out


def group_names(groups: Iterable[GroupSelection]) -> list[str]:
    return [g.name for g in groups]
