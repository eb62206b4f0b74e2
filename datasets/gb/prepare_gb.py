"""How datasets/gb/ was made from the upstream files named in README.md (kept outside the project).

    python datasets/gb/prepare_gb.py UPSTREAM_GEO_GB UPSTREAM_GEO

Writes gb_boundaries.gpkg (EPSG:27700) and area_names.csv, and copies police_force_lookup.csv. Run once by a maintainer;
roadsafe itself only reads the outputs.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

HERE = Path(__file__).resolve().parent
GB = ("E", "W", "S")  # roadsafe's records are Great Britain's: Northern Ireland is left out


def _gb(gdf: gpd.GeoDataFrame, code: str) -> gpd.GeoDataFrame:
    return gdf[gdf[code].str[0].isin(GB)]


def _bng(gdf: gpd.GeoDataFrame, columns: dict[str, str]) -> gpd.GeoDataFrame:
    out = gdf[list(columns) + ["geometry"]].rename(columns=columns)
    out["geometry"] = shapely.make_valid(out.geometry.to_numpy())  # Hampshire's PFA ring touches itself
    return out.to_crs(27700).reset_index(drop=True)


def main(geo_gb: Path, geo: Path) -> None:
    countries = gpd.read_file(geo / "countries.geojson")
    pfa = _bng(gpd.read_file(geo_gb / "pfa_dec2020_ew_buc.geojson"), {"PFA20CD": "code", "PFA20NM": "name"})
    scotland = countries[countries["country"] == "Scotland"].assign(code="S23000009", name="Police Scotland")
    pfa = pd.concat([pfa, _bng(scotland, {"code": "code", "name": "name"})], ignore_index=True)
    lad19 = _bng(_gb(gpd.read_file(geo_gb / "lad_dec2019_uk_buc.geojson"), "lad19cd"),
                 {"lad19cd": "code", "lad19nm": "name"})
    lad24 = _bng(_gb(gpd.read_file(geo / "Local_Authority_Districts_May_2024_Boundaries_UK_BUC_6795818826918236547"
                                         ".geojson"), "LAD24CD"), {"LAD24CD": "code", "LAD24NM": "name"})
    ctyua19 = _bng(_gb(gpd.read_file(geo_gb / "ctyua_dec2019_uk_buc_derived.geojson"), "ctyua19cd"),
                   {"ctyua19cd": "code", "ctyua19nm": "name"})
    gb_countries = _bng(countries[countries["country"] != "Northern Ireland"], {"country": "name"})
    out = HERE / "gb_boundaries.gpkg"
    out.unlink(missing_ok=True)
    for layer, gdf in (("police_force_areas", pfa), ("highway_authorities_2019", ctyua19),
                       ("districts_2019", lad19), ("districts_2024", lad24), ("countries", gb_countries)):
        gdf.to_file(out, layer=layer, driver="GPKG")
    shutil.copyfile(geo_gb / "police_force_lookup.csv", HERE / "police_force_lookup.csv")
    # Every code a boundary layer names, so an area the 2024 data guide does not list (the 2023 unitaries)
    # can still be chosen by name. A district whose council is also the highway authority (metropolitan
    # and London boroughs, unitaries, Welsh and Scottish councils) is listed as one too.
    unitary = ("E06", "E08", "E09", "W06", "S12")
    names = pd.concat([
        pfa.assign(kind="police force area", vintage="2020"),
        ctyua19.assign(kind="highway authority", vintage="2019"),
        lad24[lad24["code"].str[:3].isin(unitary)].assign(kind="highway authority", vintage="2024"),
        lad19.assign(kind="district", vintage="2019"),
        lad24.assign(kind="district", vintage="2024"),
    ])[["kind", "code", "name", "vintage"]].drop_duplicates(["kind", "code", "name"])
    names.to_csv(HERE / "area_names.csv", index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
