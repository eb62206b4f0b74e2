"""Grid cells for Gi* and Empirical Bayes: the area's cells, never the sea, every collision counted."""
from __future__ import annotations

import numpy as np
import roadsafe as rs
import shapely
from roadsafe.geo.boundaries import area_geography


def test_empty_cells_lie_within_the_selected_area(national):
    wy = national.select(police_force="West Yorkshire")
    cells = rs.hotspots.grid_cells(wy, cell=1000)
    whole = rs.hotspots.grid_cells(wy, cell=1000, within=None)
    assert cells["collisions"].sum() == whole["collisions"].sum() == int(np.isfinite(
        wy.collisions["location_easting_osgr"].to_numpy(dtype=float, na_value=np.nan)).sum())
    assert len(cells) < len(whole)
    outline = shapely.union_all(area_geography(wy).outline.geometry.to_numpy())
    empty = cells[cells["collisions"] == 0]
    distance = shapely.distance(outline, shapely.points(empty["x"].to_numpy(), empty["y"].to_numpy()))
    assert distance.max() <= 1000 * 0.7072 + 1e-6  # a cell touches the area
    # West Yorkshire is about 2,030 km²: its 1 km cells, and a rim of cells on the boundary.
    assert 2_000 < len(cells) < 2_600


def test_no_cells_over_the_sea(national):
    """Data from England and Scotland: the empty cells are those on their land (ONS outlines), none at sea."""
    from roadsafe.geo.boundaries import boundary_layer

    land = shapely.union_all(boundary_layer("countries").geometry.to_numpy())
    cells = rs.hotspots.grid_cells(national, cell=5000)
    whole = rs.hotspots.grid_cells(national, cell=5000, within=None)

    def offshore(frame):
        empty = frame[frame["collisions"] == 0]
        return shapely.distance(land, shapely.points(empty["x"].to_numpy(), empty["y"].to_numpy())) > 5000 * 0.7072

    assert not offshore(cells).any()
    assert offshore(whole).sum() > 1000  # the Irish and North Seas inside the data's rectangle
    assert cells["collisions"].sum() == whole["collisions"].sum()


def test_given_roads_keep_only_the_empty_cells_near_a_road(national, tmp_path):
    """Two roads across Leeds: the empty cells kept are those a road passes through (or nearly)."""
    import geopandas as gpd

    leeds = national.select(local_authority_district="Leeds")
    roads = gpd.GeoDataFrame({"name": ["east-west", "north-south"]}, crs=27700, geometry=[
        shapely.LineString([(420_000, 433_500), (440_000, 433_500)]),
        shapely.LineString([(430_500, 425_000), (430_500, 445_000)])])
    path = tmp_path / "two_roads.gpkg"
    roads.to_file(path)
    cells = rs.hotspots.grid_cells(leeds, cell=1000, roads=path)
    empty = cells[cells["collisions"] == 0]
    assert len(empty) > 0
    distance = shapely.distance(shapely.union_all(roads.geometry.to_numpy()),
                                shapely.points(empty["x"].to_numpy(), empty["y"].to_numpy()))
    assert distance.max() <= 1000 * 0.7072
    assert cells["collisions"].sum() == rs.hotspots.grid_cells(leeds, cell=1000)["collisions"].sum()
