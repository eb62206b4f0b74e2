"""The shipped county geography: what prepare_geo.py promised in the data card."""
import roadsafe as rs
from shapely.geometry import Point


def test_roads_are_deduplicated_motor_roads_in_bng():
    roads = rs.datasets.cambridgeshire_roads()
    assert roads.crs.to_epsg() == 27700
    assert len(roads) == 32_618
    osm = roads["osm_id"].dropna()
    assert len(osm) == 32_566 and osm.is_unique  # the upstream extract holds every way twice
    assert not roads["highway"].isin(["footway", "cycleway", "track", "path", "steps"]).any()
    assert (roads["ref"] == "M11").sum() > 0  # added from OS Open Roads
    assert 5_800 < roads.length.sum() / 1000 < 6_000  # km


def test_districts_tile_the_county():
    districts = rs.datasets.cambridgeshire_districts()
    county = rs.datasets.cambridgeshire_county()
    assert districts.crs.to_epsg() == 27700 and county.crs.to_epsg() == 27700
    assert sorted(districts["lad_code"]) == ["E06000031", "E07000008", "E07000009", "E07000010", "E07000011",
                                             "E07000012"]
    # Two generalisations of the same boundary: areas agree within 1%.
    assert abs(districts.area.sum() / county.area.sum() - 1) < 0.01
    assert abs(county.area.iloc[0] / 1e6 - 3_398) < 5  # km²


def test_towns_lie_in_the_county():
    county = rs.datasets.cambridgeshire_county().geometry.iloc[0]
    towns = rs.datasets.cambridgeshire_towns()
    assert len(towns) == 15
    assert set(towns.loc[towns["kind"] == "city", "name"]) == {"Cambridge", "Peterborough", "Ely"}
    assert all(county.contains(Point(e, n)) for e, n in zip(towns["easting"], towns["northing"]))
