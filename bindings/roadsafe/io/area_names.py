"""Areas by name or code: police forces, highway authorities and districts as the records carry them.

A query is a code (DfT force or district number, ONS code) or a name, matched case-insensitively on the
data guide's spellings and the usual variants ("Devon & Cornwall", "Cambridgeshire Constabulary",
"Leeds City Council"). A name can stand for several codes: "North Yorkshire" is the county council
(E10000023) and, from 2023, the unitary council (E06000065); "Police Scotland" is the single force
(99) and the eight legacy forces (91-98). An unknown name is an error listing the closest names.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

import pandas as pd

from .. import errors
from .code_list import code_labels
from .data_files import data_path

Query = Union[str, int]

_ONS_CODE = re.compile(r"^[EWSN]\d{8}$")
# Words that name the body rather than the place: "Kent County Council", "Cambridgeshire Constabulary".
_BODY_WORDS = re.compile(r"\b(county council|city council|borough council|district council|metropolitan borough "
                         r"council|council|constabulary|police service|police force|police)\s*$")


def normalise_name(name: str) -> str:
    """The form names are compared in: lower case, '&' as 'and', no punctuation, no bracketed note,
    no trailing 'council' / 'constabulary' / 'police'."""
    s = str(name).lower().replace("&", " and ")
    s = re.sub(r"\(.*?\)", " ", s)
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    stripped = _BODY_WORDS.sub("", s).strip()
    return stripped or s


@dataclass(frozen=True)
class AreaChoice:
    """What a query chose: the ``field`` it selects on, the ``values`` of that field that belong to it
    (labels and codes as text, so a labelled or a coded column both match), the ``codes``, the area's
    ``name`` ("West Yorkshire") and a ``label`` that says what it is ("West Yorkshire (police force 13)")."""

    kind: str
    field: str
    values: frozenset
    codes: tuple
    name: str
    label: str


@dataclass(frozen=True)
class _Kind:
    name: str  # "police force"
    field: str  # the collision column
    code_field: str  # the code list's field of this column's codes


_POLICE = _Kind("police force", "police_force", "police_force")
_HIGHWAY = _Kind("highway authority", "local_authority_highway", "local_authority_highway")
_DISTRICT = _Kind("district", "local_authority_district", "local_authority_district")
_ONS_DISTRICT = _Kind("district", "local_authority_ons_district", "local_authority_ons_district")


@lru_cache(maxsize=None)
def police_force_lookup() -> pd.DataFrame:
    """STATS19 force code -> DfT name, ONS police force area code and name (shipped, OGL v3)."""
    return pd.read_csv(data_path("gb", "police_force_lookup.csv"), dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def boundary_names() -> pd.DataFrame:
    """Every area the shipped GB boundaries hold: kind, ONS code, name, vintage (shipped, OGL v3)."""
    return pd.read_csv(data_path("gb", "area_names.csv"), dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def _names(kind: _Kind) -> dict[str, set[str]]:
    """Normalised name -> the codes it stands for: the data guide's, and for ONS-coded fields the codes
    of the shipped boundaries the guide does not list (e.g. the unitary councils of 2023)."""
    out: dict[str, set[str]] = {}
    for code, label in code_labels("collision", kind.code_field).items():
        out.setdefault(normalise_name(label), set()).add(code)
    if kind is _POLICE:
        for row in police_force_lookup().itertuples():
            out.setdefault(normalise_name(row.pfa20_name), set()).add(row.police_force)
    elif kind in (_HIGHWAY, _ONS_DISTRICT):
        names = boundary_names()
        for row in names[names["kind"] == kind.name].itertuples():
            out.setdefault(normalise_name(row.name), set()).add(row.code)
    return out


def _closest(query: str, kind: _Kind) -> str:
    labels = sorted(set(code_labels("collision", kind.code_field).values()))
    by_norm = {normalise_name(v): v for v in labels}
    q = normalise_name(query)
    near = difflib.get_close_matches(q, list(by_norm), n=5, cutoff=0.6)
    near += [n for n in by_norm if q and q in n and n not in near]
    return ", ".join(by_norm[n] for n in near[:6]) or "none close; see the data guide's list"


# DfT's district numbers and ONS district codes name the same districts (mostly: a merged district has
# only its new code), so a district given in the other scheme is looked up by its name.
_OTHER_DISTRICT_SCHEME = {"local_authority_district": "local_authority_ons_district",
                          "local_authority_ons_district": "local_authority_district"}


def _in_own_scheme(text: str, kind: _Kind) -> str:
    other_field = _OTHER_DISTRICT_SCHEME.get(kind.field)
    key = str(int(text)) if text.isdigit() else text.upper()
    if other_field is None or key in code_labels("collision", kind.code_field):
        return text
    return code_labels("collision", other_field).get(key, text)


def _display_name(code: str, kind: _Kind) -> str:
    labels = code_labels("collision", kind.code_field)
    if code in labels:
        return labels[code]
    names = boundary_names()
    hits = names[names["code"] == code]["name"]
    return str(hits.iloc[-1]) if len(hits) else code


def _codes_of(query: Query, kind: _Kind) -> tuple[set[str], str]:
    """The codes a query stands for, and the area's name as the user would read it."""
    labels = code_labels("collision", kind.code_field)
    text = _in_own_scheme(str(query).strip(), kind)
    if text.isdigit() and str(int(text)) in labels:
        code = str(int(text))
        return {code}, labels[code]
    if _ONS_CODE.match(text.upper()):
        code = text.upper()
        if kind is _POLICE:
            hits = police_force_lookup().query("pfa_code == @code")
            if len(hits):
                return set(hits["police_force"]), str(hits["pfa20_name"].iloc[-1])
        elif code in labels or kind is _HIGHWAY:  # a highway code need not be in the 2024 guide (2023 unitaries)
            return {code}, _display_name(code, kind)
    key = normalise_name(text)
    hits = _names(kind).get(key)
    if hits:
        spelt = [_display_name(c, kind) for c in sorted(hits)]
        exact = [s for s in spelt if s.lower() == text.lower()] or [s for s in spelt if normalise_name(s) == key]
        return set(hits), exact[0] if exact else text
    raise errors.InvalidInputError(f"no {kind.name} called {text!r} in the data guide; closest: {_closest(text, kind)}",
                                   column=kind.field, value=text)


def _choice(queries: Union[Query, list], kind: _Kind) -> AreaChoice:
    items = queries if isinstance(queries, (list, tuple, set)) else [queries]
    labels = code_labels("collision", kind.code_field)
    codes: set[str] = set()
    names: list[str] = []
    for q in items:
        found, name = _codes_of(q, kind)
        codes |= found
        names += [name] if name not in names else []
    ordered = sorted(codes, key=lambda c: (len(c), c))
    values = set(ordered) | {labels[c] for c in ordered if c in labels}
    values |= {f"code {c} (not in the data guide)" for c in ordered}  # how the engine labels unknown codes
    name = " + ".join(names)
    return AreaChoice(kind=kind.name, field=kind.field, values=frozenset(values), codes=tuple(ordered), name=name,
                      label=f"{name} ({kind.name} {', '.join(ordered)})")


def police_force(queries: Union[Query, list]) -> AreaChoice:
    """The police force(s) named: DfT code (35), ONS area code (E23000023) or name ("Cambridgeshire")."""
    return _choice(queries, _POLICE)


def highway_authority(queries: Union[Query, list]) -> AreaChoice:
    """The highway authority (county or unitary council): ONS code (E10000003) or name ("Kent")."""
    return _choice(queries, _HIGHWAY)


def district(queries: Union[Query, list], ons: bool = False) -> AreaChoice:
    """The district(s): DfT district number (204), name ("Leeds"), or with ``ons`` an ONS code (E08000035)."""
    return _choice(queries, _ONS_DISTRICT if ons else _DISTRICT)
