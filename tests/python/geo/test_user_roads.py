"""The user's own roads: OS Open Roads and OpenStreetMap recognised, used by the map, network KDE and road
segments; outside Cambridgeshire a network method without roads is an error saying where to get them."""
from __future__ import annotations

import numpy as np
import pytest
import roadsafe as rs
import shapely
from roadsafe.geo.road_layers import read_road_layer

from conftest import NATIONAL_2015, run_roadsafe

LEEDS = (426_000.0, 430_000.0, 433_000.0, 437_000.0)  # Leeds city centre, BNG metres


@pytest.fixture(scope="module")
def leeds(national):
    return national.select(local_authority_district="Leeds", area=shapely.box(*LEEDS))


@pytest.fixture(scope="module")
def open_roads(tmp_path_factory):
    """An OS Open Roads-shaped GeoPackage (layer road_link): a 100 m grid of roads over central Leeds."""
    import geopandas as gpd

    x0, y0, x1, y1 = LEEDS
    lines, rows = [], []
    for i, x in enumerate(np.arange(x0, x1 + 1, 100.0)):
        lines.append(shapely.LineString([(x, y0), (x, y1)]))
        rows.append(("A Road" if i == 20 else "Unclassified", "A61" if i == 20 else None, f"North Street {i}", i == 20))
    for j, y in enumerate(np.arange(y0, y1 + 1, 100.0)):
        lines.append(shapely.LineString([(x0, y), (x1, y)]))
        rows.append(("B Road" if j == 30 else "Not Classified", "B6157" if j == 30 else None, f"East Street {j}", False))
    gdf = gpd.GeoDataFrame(rows, columns=["road_classification", "road_classification_number", "name_1",
                                          "trunk_road"], geometry=lines, crs=27700)
    path = tmp_path_factory.mktemp("roads") / "oproad_leeds.gpkg"
    gdf.to_file(path, layer="road_link")
    return path


def test_network_methods_outside_cambridgeshire_need_roads(leeds):
    with pytest.raises(rs.errors.InvalidInputError) as e:
        rs.network_kde(leeds)
    assert str(e.value).startswith(f"{len(leeds.collisions):,} of {len(leeds.collisions):,} located collisions lie "
                                   "outside Cambridgeshire & Peterborough, the only area whose roads roadsafe ships")
    assert "OS Open Roads" in str(e.value) and "https://osdatahub.os.uk/downloads/open/OpenRoads" in str(e.value)
    with pytest.raises(rs.errors.InvalidInputError, match="outside Cambridgeshire"):
        rs.hotspots.road_segments(leeds)


def test_os_open_roads_are_recognised(open_roads):
    roads = read_road_layer(open_roads, LEEDS)
    assert set(roads["highway"]) == {"trunk", "secondary", "unclassified"}  # the A61 here is a trunk road
    assert set(roads["ref"].dropna()) == {"A61", "B6157"}
    assert roads.crs.to_epsg() == 27700 and len(roads) == 71 + 71


def test_openstreetmap_xml_is_read_through_gdal(tmp_path):
    """A real .osm file (GDAL's OSM driver): highway, name, and the ref GDAL leaves in other_tags."""
    (tmp_path / "leeds.osm").write_text("""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="53.7960" lon="-1.5480" version="1"/>
  <node id="2" lat="53.7990" lon="-1.5430" version="1"/>
  <node id="3" lat="53.8010" lon="-1.5400" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/>
    <tag k="highway" v="trunk"/><tag k="ref" v="A64(M)"/><tag k="name" v="Inner Ring Road"/></way>
  <way id="11" version="1"><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="name" v="Park Lane"/></way>
</osm>
""")
    roads = read_road_layer(tmp_path / "leeds.osm", LEEDS)
    assert sorted(roads["name"]) == ["Inner Ring Road", "Park Lane"]
    assert roads.set_index("name").loc["Inner Ring Road", "ref"] == "A64(M)"
    assert set(roads["highway"]) == {"trunk", "residential"}
    x0, y0, x1, y1 = roads.total_bounds
    assert 428_000 < x0 < x1 < 431_000 and 433_000 < y0 < y1 < 435_000  # reprojected to BNG


def test_the_users_roads_serve_the_map_network_kde_and_segments(leeds, open_roads, tmp_path):
    fig = rs.hotspot_map(leeds, out=tmp_path / "leeds.png", roads=open_roads, top=5, dpi=60, shading=None,
                         sites=rs.cluster_sites(leeds, radius=100, min_collisions=3))
    info = fig.roadsafe_map
    assert "Trunk road" in info.legend_labels and "Secondary (B) road" in info.legend_labels
    assert "Roads: oproad_leeds.gpkg, supplied by the user." in info.attribution
    assert "OpenStreetMap" not in info.attribution
    assert all("Street" in loc for loc in info.table["location"])  # named from the user's roads
    kde = rs.network_kde(leeds, roads=open_roads, bandwidth=300, lixel=50)
    assert len(kde.unsnapped) == 0  # every point of a 100 m grid is within 50 m of a road
    assert kde.lixels["density"].sum() > 0
    segs = rs.hotspots.road_segments(leeds, roads=open_roads, length=100)
    assert int(segs.segments["collisions"].sum()) == int(np.isfinite(
        leeds.collisions["location_easting_osgr"].to_numpy(dtype=float, na_value=np.nan)).sum())


def test_command_line_network_kde_without_roads_is_a_clear_error():
    r = run_roadsafe("hotspots", *map(str, NATIONAL_2015), "--police-force", "West Yorkshire", "--method",
                     "network-kde", "--quiet")
    assert r.returncode == 3
    assert "roadsafe: bad input: 5,2" in r.stderr and "give a road network (roads= / --roads FILE)" in r.stderr
