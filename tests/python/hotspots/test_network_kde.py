"""Network KDE from Python: densities by hand on small networks given as GeoDataFrames, roads read
from files GDAL writes (GeoPackage, GeoJSON sequence) and reprojected from EPSG:4326, collisions
far from roads reported, and the county run on the shipped Cambridgeshire network."""
from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from shapely.geometry import LineString, MultiLineString, Point

H = 300.0


def quartic(d, h=H):
    d = np.abs(np.asarray(d, dtype=float))
    return np.where(d < h, 15.0 / (16.0 * h) * (1 - (d / h) ** 2) ** 2, 0.0)


def collisions(points, ids=None):
    """A minimal collisions frame: BNG coordinates, located unless NaN."""
    xy = np.asarray(points, dtype=float)
    return pd.DataFrame({
        "collision_index": ids if ids is not None else [f"C{i}" for i in range(len(xy))],
        "location_easting_osgr": xy[:, 0],
        "location_northing_osgr": xy[:, 1],
        "collision_severity": ["slight"] * len(xy),
    })


def straight_road(length=4000.0, x0=500000.0, y0=250000.0, crs="EPSG:27700"):
    return gpd.GeoDataFrame({"name": ["Long Road"], "osm_id": ["42"]},
                            geometry=[LineString([(x0, y0), (x0 + length, y0)])], crs=crs)


def t_junction(arm=1000.0, x0=500000.0, y0=250000.0):
    return gpd.GeoDataFrame({"name": ["West", "East", "North"]}, geometry=[
        LineString([(x0 - arm, y0), (x0, y0)]),
        LineString([(x0, y0), (x0 + arm, y0)]),
        LineString([(x0, y0), (x0, y0 + arm)]),
    ], crs="EPSG:27700")


def test_line_density_by_hand_and_attributes():
    road = straight_road()
    # 12 m north of the road at 1510 m along: snapped to 1510 m
    nk = rs.network_kde(collisions([(501510.0, 250012.0)]), roads=road, lixel=20, bandwidth=H)
    assert len(nk.lixels) == 200 and nk.lixels.crs.to_epsg() == 27700
    assert nk.snapped["distance"].iloc[0] == pytest.approx(12.0)
    assert nk.snapped["offset"].iloc[0] == pytest.approx(1510.0)
    mid = (nk.lixels["start"] + nk.lixels["end"]) / 2
    np.testing.assert_allclose(nk.lixels["density"], quartic(mid - 1510.0), rtol=1e-12, atol=1e-18)
    assert nk.lixels["name"].unique().tolist() == ["Long Road"]
    assert nk.lixels["osm_id"].iloc[0] == "42"
    assert nk.lixels.geometry.length.to_numpy() == pytest.approx(np.full(200, 20.0))


def test_integral_equals_total_weight_away_from_truncation():
    # Collisions at least one bandwidth from both road ends and no junction: nothing is truncated,
    # so the integral of the simple (and the discontinuous) estimate is the total weight. The only
    # error is the midpoint rule on 20 m lixels; its leading term (l^2/24) * integral K'' vanishes
    # because the quartic's slope is 0 at both ends of its support, and what is left (the jump of K''
    # at +-h, about l^3 * 8c/h^2 with c = 15/(16h)) is near 1e-7 per collision. The tolerance,
    # 1e-4 of the total, leaves a wide margin while still catching any lost or doubled mass.
    rng = np.random.default_rng(7)
    xs = 500000.0 + rng.uniform(400, 3600, 40)
    w = rng.uniform(0.5, 2.0, 40)
    for method in ("simple", "discontinuous"):
        nk = rs.network_kde(collisions(np.column_stack([xs, np.full(40, 250000.0)])), roads=straight_road(),
                            method=method, weight=w)
        assert nk.total_weight == pytest.approx(w.sum())
        assert nk.integral == pytest.approx(w.sum(), rel=1e-4)


def test_t_junction_simple_copies_discontinuous_splits():
    # 50 m west of the junction: 30 m up the north arm is 80 m away.
    ds = collisions([(499950.0, 250000.0)])
    simple = rs.network_kde(ds, roads=t_junction(), lixel=20, bandwidth=200)
    okabe = rs.network_kde(ds, roads=t_junction(), lixel=20, bandwidth=200, method="discontinuous")
    north = simple.lixels.index[(simple.lixels["name"] == "North") & (simple.lixels["start"] == 20.0)][0]
    assert simple.lixels.loc[north, "density"] == pytest.approx(float(quartic(80.0, 200)), rel=1e-12)
    assert okabe.lixels.loc[north, "density"] == pytest.approx(float(quartic(80.0, 200)) / 2, rel=1e-12)
    assert okabe.integral == pytest.approx(1.0, rel=1e-3)   # equal split keeps the mass
    assert simple.integral > 1.2                           # the kernel beyond the junction is counted twice


def test_far_and_unlocated_collisions_are_reported_not_snapped():
    ds = collisions([(501000.0, 250030.0), (501000.0, 250080.0), (np.nan, np.nan)], ids=["near", "far", "nowhere"])
    nk = rs.network_kde(ds, roads=straight_road(), max_snap=50)
    assert nk.snapped["collision_index"].tolist() == ["near"]
    un = nk.unsnapped.set_index("collision_index")
    assert un.loc["far", "reason"] == "farther than 50 m from any road"
    assert un.loc["far", "distance"] == pytest.approx(80.0)
    assert un.loc["nowhere", "reason"] == "no usable location"
    assert np.isnan(un.loc["nowhere", "distance"])
    assert nk.total_weight == 1.0
    # a larger limit places it
    assert len(rs.network_kde(ds, roads=straight_road(), max_snap=100).snapped) == 2


def test_roads_from_files_written_by_gdal_and_reprojected(tmp_path):
    road_bng = straight_road(2000.0, 545000.0, 258000.0)
    road_wgs = road_bng.to_crs(4326)
    gpkg = tmp_path / "roads.gpkg"
    road_wgs.to_file(gpkg, layer="roads", driver="GPKG")
    seq = tmp_path / "roads.geojson"  # a GeoJSON sequence, as the OSM extracts are
    with open(seq, "w") as f:
        for _, row in road_wgs.iterrows():
            geometry = json.loads(gpd.GeoSeries([row.geometry]).to_json())["features"][0]["geometry"]
            f.write(json.dumps({"type": "Feature", "properties": {"name": row["name"], "osm_id": row["osm_id"]},
                                "geometry": geometry}) + "\n")
    ds = collisions([(546000.0, 258000.0)])
    want = rs.network_kde(ds, roads=road_bng)
    for source in (gpkg, seq, road_wgs):
        roads = rs.read_roads(source)
        assert roads.network.edge_count == 1
        assert roads.network.total_length == pytest.approx(2000.0, rel=1e-6)  # round trip through 4326
        got = rs.network_kde(ds, roads=roads)
        assert got.lixels["osm_id"].iloc[0] == "42"
        np.testing.assert_allclose(got.lixels["density"], want.lixels["density"], rtol=1e-5, atol=1e-12)


def test_geodataframe_multilines_split_and_non_lines_reported():
    gdf = gpd.GeoDataFrame({"name": ["A", "B", "C"]}, geometry=[
        MultiLineString([[(0, 0), (100, 0)], [(100, 0), (100, 100)]]),
        Point(5, 5),
        LineString([(100, 100), (200, 100)]),
    ], crs="EPSG:27700")
    roads = rs.read_roads(gdf)
    assert roads.network.edge_count == 3
    assert roads.network.total_length == pytest.approx(300.0)
    assert roads.skipped[["fid", "reason"]].values.tolist() == [[1, "not a line: Point"]]
    assert roads.lines["name"].tolist() == ["A", "A", "C"]


def test_weights_scale_and_threads_do_not_matter():
    rng = np.random.default_rng(3)
    pts = np.column_stack([500000.0 + rng.uniform(-900, 900, 300), np.full(300, 250000.0)])
    pts[::3] = np.column_stack([np.full(100, 500000.0), 250000.0 + rng.uniform(0, 900, 100)])
    ds = collisions(pts)
    one = rs.network_kde(ds, roads=t_junction(), method="discontinuous", kernel="gaussian", threads=1)
    two = rs.network_kde(ds, roads=t_junction(), method="discontinuous", kernel="gaussian", threads=2)
    np.testing.assert_array_equal(one.lixels["density"].to_numpy(), two.lixels["density"].to_numpy())
    double = rs.network_kde(ds, roads=t_junction(), method="discontinuous", kernel="gaussian", weight=np.full(300, 2.0))
    np.testing.assert_allclose(double.lixels["density"], 2 * one.lixels["density"], rtol=1e-12)


def test_bad_arguments():
    ds = collisions([(500000.0, 250000.0)])
    with pytest.raises(ValueError, match="method must be one of simple, discontinuous, discontinuous_all_paths"):
        rs.network_kde(ds, roads=straight_road(), method="continuous")
    with pytest.raises(ValueError, match="kernel must be one of quartic, triangular, gaussian"):
        rs.network_kde(ds, roads=straight_road(), kernel="epanechnikov")
    with pytest.raises(ValueError, match="lixel must be a positive number of metres"):
        rs.network_kde(ds, roads=straight_road(), lixel=0)
    with pytest.raises(FileNotFoundError, match="no road network file"):
        rs.network_kde(ds, roads="/no/such/roads.gpkg")


@pytest.fixture(scope="module")
def county():
    ds = rs.datasets.cambridgeshire()
    return ds, rs.network_kde(ds), rs.network_kde(ds, method="discontinuous")


def test_county_run_accounts_for_every_collision(county):
    ds, simple, okabe = county
    n = len(ds.collisions)
    located = int((ds.collisions["location_status"].astype(object) == "ok").sum())
    for nk in (simple, okabe):
        assert len(nk.snapped) + len(nk.unsnapped) == n
        far = nk.unsnapped["reason"] != "no usable location"
        assert len(nk.snapped) + int(far.sum()) == located
        assert (nk.unsnapped.loc[far, "distance"] > 50).all()
        assert (nk.snapped["distance"] <= 50).all()
        assert (nk.lixels["density"] >= 0).all()
        assert nk.lixels["length"].max() <= 20 + 1e-9
        assert nk.total_weight == len(nk.snapped)
    # Most collisions are on a shipped road; the rest are mostly on the A14/A428/A11, which the OSM
    # named-ways extract lacks.
    assert len(simple.snapped) > 0.9 * located
    # Equal splitting can only lose mass (dead ends, loops inside the bandwidth); the simple
    # estimator copies the kernel at every junction and ends up above the total.
    assert okabe.integral <= okabe.total_weight
    assert okabe.integral > 0.8 * okabe.total_weight
    assert simple.integral > simple.total_weight
    assert "simple NKDE" in repr(simple) and "collisions per metre" in repr(simple)


def test_county_gpkg_round_trip(county, tmp_path):
    _, simple, _ = county
    path = simple.to_gpkg(tmp_path / "nkde.gpkg", nonzero=True)
    back = gpd.read_file(path, layer="lixels")
    nonzero = simple.lixels[simple.lixels["density"] > 0]
    assert len(back) == len(nonzero)
    assert back.crs.to_epsg() == 27700
    np.testing.assert_allclose(back["density"].to_numpy(), nonzero["density"].to_numpy(), rtol=1e-12)
    far = gpd.read_file(path, layer="unsnapped")
    assert len(far) == int((simple.unsnapped["reason"] != "no usable location").sum())
    assert (far["distance"] > 50).all()
    assert far.geometry.x.to_numpy() == pytest.approx(simple.unsnapped["x"].dropna().to_numpy())


def test_all_paths_is_okabe_on_a_tree_and_adds_the_loop_share_elsewhere():
    ds = collisions([(499950.0, 250000.0), (500000.0, 250300.0)])
    tree = t_junction()
    a = rs.network_kde(ds, roads=tree, bandwidth=400, method="discontinuous")
    b = rs.network_kde(ds, roads=tree, bandwidth=400, method="discontinuous_all_paths")
    np.testing.assert_allclose(b.lixels["density"], a.lixels["density"], rtol=1e-12, atol=1e-18)
    # A closed 100 m square (one loop edge) 150 m from the collision: with a 500 m bandwidth both ways
    # round reach every point of it, and the exact estimator adds the second route's share.
    x0, y0 = 500000.0, 250000.0
    ring = LineString([(x0, y0), (x0 + 100, y0), (x0 + 100, y0 + 100), (x0, y0 + 100), (x0, y0)])
    square = gpd.GeoDataFrame(geometry=[ring, LineString([(x0, y0), (x0 - 300, y0)])], crs="EPSG:27700")
    one = collisions([(x0 - 150, y0)])
    shortest = rs.network_kde(one, roads=square, bandwidth=500, method="discontinuous")
    every = rs.network_kde(one, roads=square, bandwidth=500, method="discontinuous_all_paths")
    assert (every.lixels["density"].to_numpy() >= shortest.lixels["density"].to_numpy() - 1e-15).all()
    assert every.integral > shortest.integral
