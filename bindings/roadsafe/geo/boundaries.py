"""The boundaries of an area, from the shipped GB geography: what a map of a Dataset draws.

    geo = area_geography(ds)     # outline, the boundaries inside it, labels, which vintage was drawn

The area is what ``ds.select`` chose (a district, highway authority, police force or polygon); without
a selection it is the police force area of the data when they are one force's, else Great Britain.
Records carry the code of their year: a code with no shipped boundary is drawn as its successors
(Dorset before 2019 as Dorset and Bournemouth, Christchurch and Poole) and the map says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

import numpy as np
import pandas as pd

from ..io.area_names import AreaChoice, normalise_name, police_force_lookup
from ..io.code_list import code_labels
from ..io.data_files import data_path
from ..io.fields import collision_xy, collisions_of
from .layers import BNG, shipped_boundaries, shipped_towns

if TYPE_CHECKING:
    import geopandas

#: Codes the records may carry that no shipped boundary has, drawn as the areas that replaced them.
SUCCESSORS = {
    "E10000009": ("E06000059",),  # Dorset County Council -> Dorset Council (2019)
    "E06000028": ("E06000058",),  # Bournemouth -> Bournemouth, Christchurch and Poole (2019)
    "E06000029": ("E06000058",),  # Poole
    "E07000048": ("E06000058",),  # Christchurch
    "E07000049": ("E06000059",), "E07000050": ("E06000059",), "E07000051": ("E06000059",),
    "E07000052": ("E06000059",), "E07000053": ("E06000059",),  # the other Dorset districts
}

_CAMBRIDGESHIRE_PFA = "E23000023"
_ATTRIBUTION = ("Boundaries: Source: Office for National Statistics licensed under the Open Government Licence "
                "v3.0. Contains OS data © Crown copyright and database right 2024.")


@lru_cache(maxsize=None)
def boundary_layer(layer: str) -> "geopandas.GeoDataFrame":
    """A layer of the shipped GB boundaries (EPSG:27700, ``code`` and ``name``): police_force_areas,
    highway_authorities_2019, districts_2019, districts_2024 or countries. Treat it as read-only."""
    import geopandas as gpd

    return gpd.read_file(data_path("gb", "gb_boundaries.gpkg"), layer=layer)


@dataclass
class AreaGeography:
    """What a map of an area draws: its ``outline`` (one or more polygons), the boundaries inside it
    (``inner``: districts, or police force areas on a map of GB), ``labels`` (name, easting, northing,
    kind) and the words for the legend, the vintage drawn and the attribution."""

    outline: Optional["geopandas.GeoDataFrame"]
    outline_label: str
    inner: Optional["geopandas.GeoDataFrame"]
    inner_label: str
    labels: pd.DataFrame
    vintage: str
    attribution: str
    in_cambridgeshire: bool = False


def _by_code(codes: list[str], layers: tuple[str, ...]) -> tuple["geopandas.GeoDataFrame", list[str], list[str]]:
    """Polygons of the codes, looked for in each layer in turn (then their successors); the layers used
    and the codes drawn as successors."""
    import geopandas as gpd

    found, used, replaced = [], [], []
    todo = list(codes)
    for layer in layers:
        gdf = boundary_layer(layer)
        hit = gdf[gdf["code"].isin(todo)]
        if len(hit):
            found.append(hit)
            used.append(layer)
            todo = [c for c in todo if c not in set(hit["code"])]
    successors = sorted({s for c in todo for s in SUCCESSORS.get(c, ())})
    if successors:
        more, more_used, _ = _by_code(successors, layers)
        found.append(more)
        used += more_used
        replaced = [c for c in todo if c in SUCCESSORS]
    if not found:
        return gpd.GeoDataFrame({"code": [], "name": []}, geometry=[], crs=BNG), used, replaced
    return pd.concat(found, ignore_index=True), used, replaced


def _districts_by_name(names: list[str]) -> "geopandas.GeoDataFrame":
    """Districts named by DfT's district numbers: matched on their names, 2019 boundaries first."""
    wanted = {normalise_name(n) for n in names}
    for layer in ("districts_2019", "districts_2024"):
        gdf = boundary_layer(layer)
        hit = gdf[gdf["name"].map(normalise_name).isin(wanted)]
        if len(hit):
            return hit
    return boundary_layer("districts_2019").iloc[0:0]


_VINTAGES = {"police_force_areas": "police force areas December 2020",
             "highway_authorities_2019": "counties and unitary authorities 2019",
             "districts_2019": "districts December 2019", "districts_2024": "districts May 2024",
             "countries": "countries May 2023"}


def _vintage(layers: list[str], replaced: list[str]) -> str:
    text = "ONS " + ", ".join(dict.fromkeys(_VINTAGES[x] for x in layers)) if layers else ""
    if replaced:
        text += f"; {', '.join(replaced)} drawn as the areas that replaced them"
    return text


def _outline_of(choice: AreaChoice) -> tuple["geopandas.GeoDataFrame", str, list[str], list[str]]:
    if choice.kind == "police force":
        lookup = police_force_lookup()
        pfa = sorted(set(lookup[lookup["police_force"].isin(choice.codes)]["pfa_code"]))
        gdf, used, replaced = _by_code(pfa, ("police_force_areas",))
        return gdf, "Police force area boundary", used, replaced
    if choice.kind == "highway authority":
        gdf, used, replaced = _by_code(list(choice.codes), ("highway_authorities_2019", "districts_2024"))
        return gdf, "Highway authority boundary", used, replaced
    if all(c[:1].isalpha() for c in choice.codes):  # ONS district codes
        gdf, used, replaced = _by_code(list(choice.codes), ("districts_2019", "districts_2024"))
        return gdf, "District boundary", used, replaced
    labels = code_labels("collision", "local_authority_district")
    gdf = _districts_by_name([labels.get(c, c) for c in choice.codes])
    return gdf, "District boundary", ["districts_2019"], []


def _within(layer: "geopandas.GeoDataFrame", outline: "geopandas.GeoDataFrame") -> "geopandas.GeoDataFrame":
    """The polygons of ``layer`` whose representative point lies in the outline (not merely touching it)."""
    import shapely

    area = shapely.union_all(outline.geometry.to_numpy())
    points = layer.geometry.representative_point()
    return layer[shapely.intersects(area, points.to_numpy())]


def _labels(polygons: Optional["geopandas.GeoDataFrame"], kind: str) -> pd.DataFrame:
    if polygons is None or len(polygons) == 0:
        return pd.DataFrame({"name": [], "easting": [], "northing": [], "kind": []})
    points = polygons.geometry.representative_point()
    return pd.DataFrame({"name": polygons["name"].to_numpy(), "easting": points.x.to_numpy(),
                         "northing": points.y.to_numpy(), "kind": kind})


def _single_force_outline(collisions: pd.DataFrame) -> Optional[AreaChoice]:
    """The police force of the data when every collision with a force is one force's (the Scottish
    legacy forces count as Police Scotland), as if it had been selected."""
    if "police_force" not in collisions.columns:
        return None
    from ..io.area_names import police_force

    forces = collisions["police_force"].dropna().astype(str).unique()
    lookup = police_force_lookup()
    pfa = set(lookup[lookup["dft_name"].isin(forces)]["pfa_code"])
    if len(pfa) != 1 or len(forces) == 0:
        return None
    return police_force(str(lookup[lookup["pfa_code"] == pfa.pop()]["pfa20_name"].iloc[0]))


def area_geography(ds: Any) -> AreaGeography:
    """The boundaries to draw for a Dataset (or a collisions DataFrame): see the module docstring."""
    import geopandas as gpd
    import shapely

    collisions = collisions_of(ds)
    polygon = getattr(ds, "area_polygon", None)
    areas = list(getattr(ds, "areas", []))
    kinds = ("district", "highway authority", "police force")  # the most specific choice is drawn
    choice = next((a for k in kinds for a in reversed(areas) if a.kind == k), None)
    districts = "districts_2019" if _mostly_before(collisions, 2020) else "districts_2024"
    if polygon is not None:
        outline = gpd.GeoDataFrame({"code": [""], "name": [getattr(ds, "name", "") or ""]},
                                   geometry=[polygon], crs=BNG)
        inner = _within(boundary_layer(districts), outline)
        return AreaGeography(outline, "Area boundary", inner, "District boundary", _labels(inner, "district"),
                             _vintage([districts], []), _ATTRIBUTION, in_cambridgeshire=_in_cambridgeshire(outline))
    if choice is None:
        choice = _single_force_outline(collisions)
    if choice is None:  # several forces: all of Great Britain that the data reach
        countries = boundary_layer("countries")
        x, y, _ = collision_xy(collisions)
        ok = np.isfinite(x)
        reached = [shapely.intersects_xy(g, x[ok], y[ok]).any() for g in countries.geometry] if ok.any() else []
        outline = countries[np.asarray(reached, dtype=bool)] if any(reached) else countries
        inner = _within(boundary_layer("police_force_areas"), outline)
        return AreaGeography(outline, "Country boundary", inner, "Police force area boundary",
                             _labels(inner, "police force area"), _vintage(["countries", "police_force_areas"], []),
                             _ATTRIBUTION)
    outline, outline_label, used, replaced = _outline_of(choice)
    if len(outline) == 0:
        return AreaGeography(None, "", None, "", _labels(None, ""), "", "")
    if choice.kind == "police force" and set(outline["code"]) == {_CAMBRIDGESHIRE_PFA}:
        county, shipped = shipped_boundaries("county"), shipped_boundaries("districts")
        if county is not None and shipped is not None:  # the county's own, more detailed layers
            towns = shipped_towns()
            return AreaGeography(county, "County boundary", shipped, "District boundary",
                                 towns if towns is not None else _labels(shipped, "district"),
                                 "ONS districts and Combined Authority May 2023", _ATTRIBUTION, in_cambridgeshire=True)
    inner = _within(boundary_layer(districts), outline) if choice.kind != "district" else None
    labels = _labels(inner if inner is not None and len(inner) > 1 else outline, "district")
    return AreaGeography(outline, outline_label, inner if inner is not None and len(inner) > 1 else None,
                         "District boundary", labels, _vintage(used + ([districts] if inner is not None else []), replaced),
                         _ATTRIBUTION, in_cambridgeshire=_in_cambridgeshire(outline))


def _mostly_before(collisions: pd.DataFrame, year: int) -> bool:
    if "date" not in collisions.columns or len(collisions) == 0:
        return False
    dates = pd.to_datetime(collisions["date"]).dropna()
    return len(dates) > 0 and bool((dates.dt.year < year).mean() >= 0.5)


def _in_cambridgeshire(outline: "geopandas.GeoDataFrame") -> bool:
    """Whether the area lies within Cambridgeshire & Peterborough, where the shipped roads and towns are."""
    county = shipped_boundaries("county")
    if county is None:
        return False
    import shapely

    area = shapely.union_all(outline.geometry.to_numpy())
    return bool(shapely.union_all(county.geometry.to_numpy()).buffer(500).contains(area))
