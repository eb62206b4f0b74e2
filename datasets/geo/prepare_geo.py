"""Builds the shipped county geo data from the upstream files described in README.md.

Run once by a maintainer (the upstream files are not shipped):
    python3 datasets/geo/prepare_geo.py /path/to/upstream/geo
It writes cambridgeshire_roads.gpkg and cambridgeshire_boundaries.gpkg next to this script, in EPSG:27700.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

HERE = Path(__file__).resolve().parent
BNG = "EPSG:27700"
LAD_CODES = {
    "E07000008": "Cambridge",
    "E07000009": "East Cambridgeshire",
    "E07000010": "Fenland",
    "E07000011": "Huntingdonshire",
    "E07000012": "South Cambridgeshire",
    "E06000031": "Peterborough",
}
# Roads a motor vehicle uses; footways, tracks, cycleways, construction and the like are not where
# injury collisions involving vehicles are recorded.
MOTOR_ROADS = {
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary",
    "secondary_link", "tertiary", "tertiary_link", "unclassified", "residential", "living_street",
    "service", "busway",
}
_TAG = re.compile(r'"([^"]+)"=>"([^"]*)"')


def _tags(other_tags: str | None) -> dict[str, str]:
    return dict(_TAG.findall(other_tags or ""))


def _mph(maxspeed: str | None) -> float | None:
    m = re.fullmatch(r"\s*(\d+)\s*mph\s*", maxspeed or "")
    return float(m.group(1)) if m else None


def osm_roads(upstream: Path) -> gpd.GeoDataFrame:
    """The named-ways OSM extract: GeoJSON sequences in which every way appears twice."""
    rows, seen = [], set()
    for part in sorted(upstream.glob("streets-cambridgeshire-part-*.geojson")):
        for line in part.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            feature = json.loads(line)
            p = feature["properties"]
            if p["osm_id"] in seen:
                continue
            seen.add(p["osm_id"])
            if p["highway"] not in MOTOR_ROADS:
                continue
            tags = _tags(p["other_tags"])
            rows.append({"osm_id": p["osm_id"], "name": p["name"], "highway": p["highway"],
                         "ref": tags.get("ref"), "maxspeed_mph": _mph(tags.get("maxspeed")),
                         "geometry": shape(feature["geometry"])})
    print(f"OSM: {len(seen)} unique ways, {len(rows)} motor roads")
    return gpd.GeoDataFrame(rows, crs="EPSG:4326").to_crs(BNG)


def m11(upstream: Path, county: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The M11 (missing from the named-ways extract) from OS Open Roads motorway links."""
    links = gpd.read_file(upstream / "motorways.fgb").to_crs(BNG)
    links = links[links.intersects(county.geometry.iloc[0].buffer(2000))]
    out = gpd.GeoDataFrame({"osm_id": None, "name": links["road_classification_number"],
                            "highway": "motorway", "ref": links["road_classification_number"],
                            "maxspeed_mph": 70.0}, geometry=links.geometry.values, crs=BNG)
    print(f"Motorway links (OS Open Roads): {len(out)}")
    return out


def boundaries(upstream: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    lads = gpd.read_file(upstream / "topo_lad.json")
    lads = lads[lads["LAD13CD"].isin(LAD_CODES)].set_crs("EPSG:4326", allow_override=True).to_crs(BNG)  # TopoJSON carries no CRS
    districts = gpd.GeoDataFrame({"lad_code": lads["LAD13CD"].values,
                                  "lad_name": lads["LAD13CD"].map(LAD_CODES).values},
                                 geometry=lads.geometry.values, crs=BNG).sort_values("lad_code")
    ca = gpd.read_file(upstream / "Combined_Authorities_May_2023_Boundaries_EN_BUC_529823327652397380.geojson")
    ca = ca[ca["CAUTH24CD"] == "E47000008"].to_crs(BNG)
    county = gpd.GeoDataFrame({"code": ["E47000008"], "name": ["Cambridgeshire and Peterborough"]},
                              geometry=ca.geometry.values, crs=BNG)
    return districts, county


def main(upstream: Path) -> None:
    districts, county = boundaries(upstream)
    roads = pd.concat([osm_roads(upstream), m11(upstream, county)], ignore_index=True)
    roads = gpd.GeoDataFrame(roads, geometry="geometry", crs=BNG)
    roads_path = HERE / "cambridgeshire_roads.gpkg"
    roads_path.unlink(missing_ok=True)
    roads.to_file(roads_path, layer="roads", driver="GPKG", VERSION="1.2")  # readable by GDAL 3.6 without warnings
    bounds_path = HERE / "cambridgeshire_boundaries.gpkg"
    bounds_path.unlink(missing_ok=True)
    districts.to_file(bounds_path, layer="districts", driver="GPKG", VERSION="1.2")
    county.to_file(bounds_path, layer="county", driver="GPKG", VERSION="1.2")
    print(f"wrote {roads_path.name}: {len(roads)} roads, {roads.length.sum() / 1000:.0f} km; "
          f"{bounds_path.name}: {len(districts)} districts + county")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/geo"))
