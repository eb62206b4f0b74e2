"""Culpability scored from contributory factors (or road safety factors), when a force supplies them.

DfT's open files do not carry the factors; a partnership may hold them from its police force. The file
is a CSV (or a DataFrame) with one row per factor recorded against a vehicle:

=====================  =====================================================================
column                 meaning
=====================  =====================================================================
collision_index        as in the vehicle file (``accident_index`` is accepted too)
vehicle_reference      the vehicle the factor was recorded against (blank/0: not a vehicle's)
factor                 the factor's code: contributory factors 101-999 (2005-2023 scheme), or a
                       road safety factor code with ``driver_codes`` / ``mitigating_codes`` given
=====================  =====================================================================

Scoring, in the spirit of Robertson & Drummer (Accid. Anal. Prev. 26(2):243-247, 1994) as far as the
factors allow: factors that put the fault on the driver (``driver_codes``; by default injudicious action
3xx, driver error or reaction 4xx, impairment or distraction 5xx, behaviour or inexperience 6xx, and the
special codes 901 stolen vehicle and 903 door opened negligently) against those that mitigate it
(``mitigating_codes``; by default road environment 1xx, vehicle defects 2xx, vision affected 7xx):

==========================  ============  ==============================================================
rule                        status        when
==========================  ============  ==============================================================
factors_driver              culpable      driver factors on the vehicle, no mitigating ones
factors_mixed               undetermined  both (Robertson-Drummer's "contributory": fault shared)
factors_mitigating          not culpable  only mitigating factors on the vehicle
factors_other_driver        not culpable  no factor on the vehicle, driver factors on another vehicle
factors_none                undetermined  the collision is in the file but nothing decides this driver
==========================  ============  ==============================================================

Collisions not in the file keep the proxy rules (their ``rule`` says which). Robertson-Drummer's own
score (eight mitigating items, 8-26, cut-offs usually quoted as <=12 culpable, 13-14 contributory) needs
witness, task-difficulty and fatigue items the factors do not hold; the three bands above are its
nearest reading, and the cut-off between them is a choice, stated here.
"""
from __future__ import annotations

import os
from typing import Iterable, Optional, Union

import numpy as np
import pandas as pd

from .. import errors
from ..io.fields import require_columns

#: Contributory-factor codes (2005-2023) that put the fault on the driver or rider.
DRIVER_CODES = tuple(range(301, 311)) + tuple(range(401, 411)) + tuple(range(501, 512)) + tuple(range(601, 608)) \
    + (901, 903)
#: Contributory-factor codes that mitigate it: road environment, vehicle defects, vision affected.
MITIGATING_CODES = tuple(range(101, 110)) + tuple(range(201, 207)) + tuple(range(701, 711))
FACTOR_RULES = ("factors_driver", "factors_mixed", "factors_mitigating", "factors_other_driver", "factors_none")
_STATUS = {"factors_driver": "culpable", "factors_mixed": "undetermined", "factors_mitigating": "not culpable",
           "factors_other_driver": "not culpable", "factors_none": "undetermined"}


def read_factors(factors: Union[str, "os.PathLike[str]", pd.DataFrame]) -> pd.DataFrame:
    """The factors file as a DataFrame with ``collision_index`` (str), ``vehicle_reference`` (int, 0 when
    blank) and ``factor`` (int), checked: a bad code names its line."""
    if isinstance(factors, pd.DataFrame):
        frame, where = factors.copy(), "the factors table"
    else:
        where = str(factors)
        try:
            frame = pd.read_csv(factors, dtype=str, keep_default_na=False)
        except OSError as e:
            raise errors.RoadsafeIOError(f"cannot read the factors file {where}: {e.strerror or e}") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if "collision_index" not in frame.columns and "accident_index" in frame.columns:
        frame = frame.rename(columns={"accident_index": "collision_index"})
    require_columns(frame, ["collision_index", "vehicle_reference", "factor"], f"factors ({where})",
                    "culpability from factors")
    code = pd.to_numeric(frame["factor"], errors="coerce")
    bad = code.isna() | (code != code.round())
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise errors.InvalidInputError(
            f"{where}, line {i + 2}, column factor: {frame['factor'].iloc[i]!r} is not a factor code "
            "(a whole number such as 405); correct or remove the line", column="factor",
            value=str(frame["factor"].iloc[i]))
    vref = pd.to_numeric(frame["vehicle_reference"].replace("", "0"), errors="coerce").fillna(0)
    return pd.DataFrame({"collision_index": frame["collision_index"].astype(str).str.strip().to_numpy(),
                         "vehicle_reference": vref.astype(np.int64).to_numpy(),
                         "factor": code.astype(np.int64).to_numpy()})


def score_factors(drivers: pd.DataFrame, factors, driver_codes: Optional[Iterable[int]] = None,
                  mitigating_codes: Optional[Iterable[int]] = None) -> pd.DataFrame:
    """``drivers`` (``culpability``'s proxy result) with the drivers of collisions in ``factors`` re-scored
    from their factors (the module's table); the others keep their proxy rule."""
    f = read_factors(factors)
    dcodes = np.asarray(tuple(driver_codes) if driver_codes is not None else DRIVER_CODES, dtype=np.int64)
    mcodes = np.asarray(tuple(mitigating_codes) if mitigating_codes is not None else MITIGATING_CODES,
                        dtype=np.int64)
    f["driver"] = np.isin(f["factor"].to_numpy(), dcodes)
    f["mitigating"] = np.isin(f["factor"].to_numpy(), mcodes)
    per_vehicle = f.groupby(["collision_index", "vehicle_reference"])[["driver", "mitigating"]].any()
    per_collision = f.groupby("collision_index")["driver"].any()
    keys = pd.MultiIndex.from_arrays([drivers["collision_index"].astype(str).to_numpy(),
                                      pd.to_numeric(drivers["vehicle_reference"]).to_numpy(dtype=np.int64)])
    at = per_vehicle.index.get_indexer(keys)
    has = at >= 0
    drv = np.where(has, per_vehicle["driver"].to_numpy()[np.maximum(at, 0)], False)
    mit = np.where(has, per_vehicle["mitigating"].to_numpy()[np.maximum(at, 0)], False)
    in_file = drivers["collision_index"].astype(str).isin(per_collision.index).to_numpy()
    other_driver = in_file & drivers["collision_index"].astype(str).map(per_collision).fillna(False) \
        .to_numpy(dtype=bool) & ~drv
    rule = np.select([drv & ~mit, drv & mit, mit, other_driver], list(FACTOR_RULES[:4]), default="factors_none")
    out = drivers.copy()
    rules = list(out["rule"].cat.categories) + [r for r in FACTOR_RULES if r not in out["rule"].cat.categories]
    new_rule = np.where(in_file, rule, out["rule"].astype(object).to_numpy())
    out["rule"] = pd.Categorical(new_rule, categories=rules)
    out["rule_before_conditions"] = pd.Categorical(
        np.where(in_file, rule, out["rule_before_conditions"].astype(object).to_numpy()), categories=rules)
    status = np.where(in_file, pd.Series(rule).map(_STATUS).to_numpy(), out["status"].astype(object).to_numpy())
    out["status"] = pd.Categorical(status, categories=list(out["status"].cat.categories))
    out.attrs.update({"method": f"factors for {int(in_file.sum()):,} drivers, proxy rules for the rest"})
    return out
