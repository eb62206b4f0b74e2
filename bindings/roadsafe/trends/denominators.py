"""The denominators shipped under ``datasets/gb/``, and the authorities whose codes changed.

ONS mid-year population 2001-2019 on April 2020 local authority geography, DfT motor-vehicle traffic and road length
by highway authority 1993-2019 (one release: DfT revised earlier years later, so releases are not spliced), and the
real DfT 2015 counts by highway authority (the reference for comparisons). Open Government Licence v3.0.
Records carry the code of their year; ``pool_codes`` joins a code the denominators no longer have with its
successors (and with every other code counted into them), so both sides describe the same ground.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Sequence

import pandas as pd

from .. import errors
from ..io.data_files import data_path

Per = Literal["population", "traffic"]

#: Codes the records may carry that the denominators (April 2020 geography) no longer have -> their successors.
CODE_CHANGES: dict[str, tuple[str, ...]] = {
    "E06000028": ("E06000058",),                 # Bournemouth -> Bournemouth, Christchurch and Poole (2019)
    "E06000029": ("E06000058",),                 # Poole -> the same
    "E07000048": ("E06000058",),                 # Christchurch -> the same
    "E10000009": ("E06000058", "E06000059"),     # Dorset county (with Christchurch) -> both 2019 unitaries
    **{c: ("E06000059",) for c in ("E07000049", "E07000050", "E07000051", "E07000052", "E07000053")},
    # ^ East Dorset, North Dorset, Purbeck, West Dorset, Weymouth and Portland -> Dorset (2019)
    "E10000002": ("E06000060",),                 # Buckinghamshire county -> Buckinghamshire (2020)
    **{c: ("E06000060",) for c in ("E07000004", "E07000005", "E07000006", "E07000007")},  # its districts
    "E10000023": ("E06000065",),                 # North Yorkshire county -> the 2023 unitary (same ground)
    "E10000027": ("E06000066",),                 # Somerset county -> the 2023 unitary (same ground)
    "E06000048": ("E06000057",),                 # Northumberland, recoded 2013
    "E08000020": ("E08000037",),                 # Gateshead, recoded 2013
    "S12000009": ("S12000045",),                 # East Dunbartonshire
    "S12000015": ("S12000047",),                 # Fife (2018 boundary change)
    "S12000024": ("S12000048",),                 # Perth and Kinross (2018)
    "S12000043": ("S12000049",),                 # Glasgow City (as the 2015 records code it)
    "S12000046": ("S12000049",),                 # Glasgow City (2011-2018)
    "S12000044": ("S12000050",),                 # North Lanarkshire (2018)
}
#: GB's own denominators: the three countries' populations (traffic: every highway authority's sum).
GB_COUNTRIES = ("E92000001", "W92000004", "S92000003")

#: What each denominator is counted in, and the rate's unit.
SCALES = {"population": (1e5, "per 100,000 residents"), "traffic": (1e9, "per billion vehicle-miles")}
ATTRIBUTION = ("Population: Office for National Statistics mid-year estimates, Open Government Licence v3.0. "
               "Traffic: Department for Transport road traffic statistics, Open Government Licence v3.0.")

@lru_cache(maxsize=None)
def population() -> pd.DataFrame:
    """ONS mid-year population by local authority (code, name, geography, year, population), 2001-2019."""
    return pd.read_csv(data_path("gb", "population_2001_2019.csv.gz"))


@lru_cache(maxsize=None)
def traffic() -> pd.DataFrame:
    """DfT motor-vehicle traffic by highway authority (code, name, year, link_length_km, vehicle_miles), 1993-2019."""
    return pd.read_csv(data_path("gb", "traffic_1993_2019.csv.gz"))


@lru_cache(maxsize=None)
def reference_counts_2015() -> pd.DataFrame:
    """Fatal, serious and slight collisions and casualties of 2015 by highway authority, from the real DfT files."""
    return pd.read_csv(data_path("gb", "ksi_2015_by_highway_authority.csv"))


def denominator(per: Per) -> pd.DataFrame:
    """code, name, year, value: residents (population) or vehicle-miles (traffic)."""
    if per == "population":
        p = population()
        return p[["code", "name", "year"]].assign(value=p["population"].astype(float))
    if per == "traffic":
        t = traffic()
        return t[["code", "name", "year"]].assign(value=t["vehicle_miles"].astype(float))
    raise errors.InvalidInputError(f"per must be 'population' or 'traffic', not {per!r}", value=str(per))


@dataclass
class PooledCodes:
    """Codes pooled until the counts and the denominators describe the same ground: ``unit_of`` maps any code
    to its unit's key (its denominator codes joined by "+"), ``members`` a key to its denominator codes."""

    unit_of: dict[str, str]      # any code -> its unit's key
    members: dict[str, list[str]]  # unit key -> denominator codes


def pool_codes(codes: Sequence[str], known: set[str]) -> PooledCodes:
    """Each code with the codes it must be counted with: a recoded authority and its successors, joined."""
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for c in codes:
        root(c)
        for s in CODE_CHANGES.get(c, ()) if c not in known else ():
            parent[root(s)] = root(c)
    groups: dict[str, list[str]] = {}
    for c in list(parent):
        groups.setdefault(root(c), []).append(c)
    unit_of, members = {}, {}
    for cs in groups.values():
        key = "+".join(sorted(c for c in cs if c in known) or sorted(cs))
        for c in cs:
            unit_of[c] = key
        members[key] = sorted(c for c in cs if c in known)
    return PooledCodes(unit_of, members)
