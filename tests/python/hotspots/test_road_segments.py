"""Road segments as hotspot units: counts by hand on small networks, every Cambridgeshire collision
accounted for (and placed exactly where network KDE places it), Gi* on segment midpoints = esda and
by hand, and Empirical Bayes by road class with segment length as the exposure (by hand and by its
defining identities). The CLI's `--method gi --units segments` writes what the API computes."""
from __future__ import annotations

import importlib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe.cli.main import main
from roadsafe.hotspots.road_segments import segment_of
from shapely.geometry import LineString

X0, Y0 = 500000.0, 250000.0


def collisions(points, severities=None):
    """A minimal collisions frame: BNG coordinates (NaN = no location) relative to (X0, Y0)."""
    xy = np.asarray(points, dtype=float)
    return pd.DataFrame({
        "collision_index": [f"C{i}" for i in range(len(xy))],
        "location_easting_osgr": X0 + xy[:, 0],
        "location_northing_osgr": Y0 + xy[:, 1],
        "collision_severity": severities or ["slight"] * len(xy),
    })


def roads(*lines, names=None, highway=None):
    """Road lines given relative to (X0, Y0), in EPSG:27700."""
    geoms = [LineString([(X0 + x, Y0 + y) for x, y in line]) for line in lines]
    data = {"name": names or [f"Road {i}" for i in range(len(geoms))]}
    if highway is not None:
        data["highway"] = highway
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:27700")


def by_midpoint(segs):
    """Segment counts keyed by (road name, midpoint x, midpoint y) relative to (X0, Y0), rounded to 0.01 m."""
    s = segs.segments
    return {(n, round(x - X0, 2), round(y - Y0, 2)): int(c)
            for n, x, y, c in zip(s["name"], s["x"], s["y"], s["collisions"])}


# --------------------------------------------------------------------------------------------------
# Counting on small networks
# --------------------------------------------------------------------------------------------------

def test_counts_by_hand_on_an_l_shaped_network():
    # Road A: 400 m east (4 segments of 100 m); Road B: 250 m north from A's end (3 of 83.33 m).
    net = roads([(0, 0), (400, 0)], [(400, 0), (400, 250)], names=["A", "B"], highway=["primary", "residential_link"])
    ds = collisions([
        (30, 10),      # A, 30 m along: segment 0-100
        (100, -5),     # A, exactly 100 m: the boundary belongs to the segment starting there (100-200)
        (150, 20),     # A 100-200
        (405, 90),     # B, 90 m along: 83.33-166.67
        (410, 200),    # B 166.67-250
        (200, 80),     # 80 m from every road: reported, not placed
        (np.nan, np.nan),  # no location
    ], severities=["slight", "serious", "fatal", "slight", "slight", "slight", "slight"])
    segs = rs.hotspots.road_segments(ds, roads=net, length=100)
    assert len(segs) == 7 and segs.segments.crs.to_epsg() == 27700
    assert segs.segments.index.name == "segment_id"
    assert by_midpoint(segs) == {
        ("A", 50.0, 0.0): 1, ("A", 150.0, 0.0): 2, ("A", 250.0, 0.0): 0, ("A", 350.0, 0.0): 0,
        ("B", 400.0, 41.67): 0, ("B", 400.0, 125.0): 1, ("B", 400.0, 208.33): 1,
    }
    a150 = segs.segments[(segs.segments["name"] == "A") & ((segs.segments["x"] - X0 - 150).abs() < 1e-6)].iloc[0]
    assert a150[["fatal", "serious", "slight"]].tolist() == [1, 1, 0]
    assert a150["per_km"] == pytest.approx(20.0)
    np.testing.assert_allclose(segs.segments.loc[segs.segments["name"] == "B", "length"], 250 / 3)
    assert segs.segments.loc[segs.segments["name"] == "B", "road_class"].unique().tolist() == ["residential"]
    assert segs.segments["length"].sum() == pytest.approx(650.0)
    assert segs.segments["geometry"].length.to_numpy() == pytest.approx(segs.segments["length"].to_numpy())
    # every collision once: 5 placed, 1 too far, 1 without a location
    assert segs.segments["collisions"].sum() == len(segs.snapped) == 5
    assert sorted(segs.unsnapped["reason"]) == ["farther than 50 m from any road", "no usable location"]
    assert segs.unsnapped.loc[segs.unsnapped["reason"] != "no usable location", "distance"].iloc[0] == pytest.approx(80)
    # each placed collision lies on its segment
    seg = segs.segments.loc[segs.snapped["segment_id"]]
    assert (seg["edge"].to_numpy() == segs.snapped["edge"].to_numpy()).all()
    assert ((segs.snapped["offset"].to_numpy() >= seg["start"].to_numpy()) &
            (segs.snapped["offset"].to_numpy() <= seg["end"].to_numpy())).all()
    text = repr(segs)
    assert "RoadSegments: 7 segments of <= 100 m on 2 edges" in text
    assert "5 collisions placed (<= 50 m from a road), 1 farther from any road (reported), 1 without" in text


def test_segment_of_boundaries_and_edge_ends():
    # Two edges: edge 0 cut at 0, 50, 100 (150 m); edge 1 a single segment [0, 30].
    lx_edge = np.array([0, 0, 0, 1])
    lx_start = np.array([0.0, 50.0, 100.0, 0.0])
    got = segment_of(np.array([0, 0, 0, 0, 0, 1, 1, -1]), np.array([0.0, 49.999, 50.0, 120.0, 150.0, 0.0, 30.0, 5.0]),
                     lx_edge, lx_start)
    assert got.tolist() == [0, 0, 1, 2, 2, 3, 3, -1]


def test_weights_and_cost():
    net = roads([(0, 0), (200, 0)])
    ds = collisions([(10, 1), (20, 1), (150, 1)], severities=["fatal", "slight", "serious"])
    ds["w"] = [2.0, 3.0, 5.0]
    segs = rs.hotspots.road_segments(ds, roads=net, length=100, weight="w")
    assert segs.segments["weighted"].tolist() == [5.0, 5.0]
    cost = rs.hotspots.road_segments(ds, roads=net, length=100, weight="cost")
    v = rs.hotspots.value_of_prevention()
    assert cost.segments["weighted"].tolist() == pytest.approx([v["fatal"] + v["slight"], v["serious"]])
    assert cost.unit == "GBP" and segs.unit == "weight"


def test_bad_arguments():
    ds = collisions([(0, 0)])
    with pytest.raises(ValueError, match="length must be a positive number of metres"):
        rs.hotspots.road_segments(ds, roads=roads([(0, 0), (10, 0)]), length=0)
    with pytest.raises(ValueError, match="max_snap must be a non-negative number of metres"):
        rs.hotspots.road_segments(ds, roads=roads([(0, 0), (10, 0)]), max_snap=-1)
    with pytest.raises(FileNotFoundError, match="no road network file"):
        rs.hotspots.road_segments(ds, roads="/no/such/roads.gpkg")


def test_gpkg_round_trip(tmp_path):
    net = roads([(0, 0), (300, 0)], names=["Mill Road"])
    segs = rs.hotspots.road_segments(collisions([(10, 0), (20, 0), (250, 3), (100, 900)]), roads=net, length=100)
    path = segs.to_gpkg(tmp_path / "segs.gpkg")
    back = gpd.read_file(path, layer="segments")
    assert back["collisions"].tolist() == [2, 0, 1] and back["segment_id"].tolist() == [0, 1, 2]
    assert back.crs.to_epsg() == 27700 and set(back["name"]) == {"Mill Road"}
    far = gpd.read_file(path, layer="unsnapped")
    assert len(far) == 1 and far["distance"].iloc[0] == pytest.approx(900)


# --------------------------------------------------------------------------------------------------
# Gi* on segments
# --------------------------------------------------------------------------------------------------

def test_gi_star_three_collinear_segments_by_hand():
    # A 200 m road (segments with midpoints at 50 and 150 m) and a 100 m road on the same line
    # (midpoint 350 m). Band 100 m: {0, 1}, {0, 1}, {2}. Counts 1, 3, 8: n 3, mean 4,
    # S^2 = (1 + 9 + 64)/3 - 16 = 26/3. Gi* z_i = (sum_j w_ij x_j - mean W_i) / (S sqrt((n W_i - W_i^2)/(n - 1))):
    # z_0 = z_1 = (4 - 8) / (S * 1) and z_2 = (8 - 4) / (S * 1).
    net = roads([(0, 0), (200, 0)], [(300, 0), (400, 0)])
    ds = collisions([(40, 2)] + [(140, -2)] * 3 + [(360, 1)] * 8)
    segs = rs.hotspots.road_segments(ds, roads=net, length=100)
    assert segs.segments["collisions"].tolist() == [1, 3, 8]
    gi = rs.gi_star(segs, "collisions", distance=100, permutations=0)
    s = np.sqrt(26 / 3)
    np.testing.assert_allclose(gi.table["z"].to_numpy(), [-4 / s, -4 / s, 4 / s], rtol=1e-12)
    assert gi.table["neighbours"].tolist() == [2, 2, 1]
    # the segments' GeoDataFrame works the same, and the Gi* table keeps the segment lines
    same = rs.gi_star(segs.segments, "collisions", distance=100, permutations=0)
    np.testing.assert_array_equal(same.table["z"].to_numpy(), gi.table["z"].to_numpy())
    assert (gi.table.geometry.geom_type == "LineString").all() and gi.table.index.name == "segment_id"
    joined = segs.with_gi_star(gi)
    assert joined["name"].tolist() == ["Road 0", "Road 0", "Road 1"] and joined["z"].tolist() == gi.table["z"].tolist()
    with pytest.raises(ValueError, match="the Gi\\* result is not on these segments"):
        segs.with_gi_star(rs.gi_star(segs.segments.iloc[::-1], "collisions", distance=100, permutations=0))


@pytest.fixture(scope="module")
def county():
    ds = rs.datasets.cambridgeshire()
    return ds, rs.hotspots.road_segments(ds)


@pytest.mark.filterwarnings("ignore:The weights matrix is not fully connected")
def test_gi_star_on_city_segments_equals_esda(county):
    weights = importlib.import_module("libpysal.weights")
    getisord = importlib.import_module("esda.getisord")
    _, segs = county
    s = segs.segments
    city = s[s["x"].between(540000, 550000) & s["y"].between(253000, 263000)]  # Cambridge, ~13k segments
    pts = city[["x", "y"]].to_numpy()
    w = weights.DistanceBand(pts, threshold=300, binary=True, silence_warnings=True)
    want = getisord.G_Local(city["collisions"].to_numpy(float), w, transform="B", star=True, permutations=0).Zs
    ours = rs.gi_star(city, "collisions", distance=300, permutations=0)
    assert len(city) > 5000
    assert np.max(np.abs(ours.table["z"].to_numpy() - want)) < 1e-9


# --------------------------------------------------------------------------------------------------
# The county: every collision accounted for
# --------------------------------------------------------------------------------------------------

def test_county_counts_add_up_and_match_network_kde(county):
    ds, segs = county
    assert len(ds.collisions) == 12108
    assert len(segs.snapped) == 11132
    assert (segs.unsnapped["reason"] == "farther than 50 m from any road").sum() == 971
    assert (segs.unsnapped["reason"] == "no usable location").sum() == 5
    assert len(segs.snapped) + len(segs.unsnapped) == len(ds.collisions)
    assert segs.segments["collisions"].sum() == len(segs.snapped)
    assert (segs.segments[["fatal", "serious", "slight"]].sum(axis=1) == segs.segments["collisions"]).all()
    # snapped exactly as network KDE snaps (same rule, same engine call)
    nk = rs.network_kde(ds, lixel=100)
    pd.testing.assert_frame_equal(segs.snapped.drop(columns="segment_id"), nk.snapped)
    pd.testing.assert_frame_equal(segs.unsnapped, nk.unsnapped)
    # segments are network KDE's lixels of the same length, and cover the network once
    np.testing.assert_array_equal(segs.segments["start"].to_numpy(), nk.lixels["start"].to_numpy())
    assert segs.segments["length"].sum() == pytest.approx(segs.roads.network.total_length, rel=1e-12)
    assert segs.segments["length"].max() <= 100 + 1e-9
    # a placed collision's snapped point lies on its segment's line
    seg_geom = segs.segments.geometry.to_numpy()[segs.snapped["segment_id"].to_numpy()]
    pts = gpd.points_from_xy(segs.snapped["x"], segs.snapped["y"])
    assert np.max(gpd.GeoSeries(seg_geom).distance(gpd.GeoSeries(pts)).to_numpy()) < 1e-6
    assert "RoadSegments: 89,863 segments of <= 100 m on 52,381 edges (5,914 km)" in repr(segs)


# --------------------------------------------------------------------------------------------------
# Empirical Bayes with exposure
# --------------------------------------------------------------------------------------------------

def test_empirical_bayes_exposure_by_hand():
    # Counts 0, 2, 4, 10 on exposures 1, 1, 2, 2: rate r = 16/6 = 8/3, so mu = 8/3, 8/3, 16/3, 16/3.
    # Q = sum (x - mu)^2 = (64 + 4 + 16 + 196)/9 = 280/9; E = 6, S2 = 10, S3 = 18.
    # c = (Q - r (E - S2/E)) / (S2 - 2 S3/E + S2^2/E^2) = (280/9 - 104/9) / (61/9) = 176/61,
    # k = r^2 / c = (64/9) / (176/61) = 244/99; site d: w = 1/(1 + (16/3)/(244/99)) = 61/193,
    # EB = 61/193 * 16/3 + 132/193 * 10 = 4936/579.
    sites = pd.DataFrame({"site": list("abcd"), "collisions": [0, 2, 4, 10], "km": [1.0, 1.0, 2.0, 2.0]})
    out = rs.empirical_bayes(sites, exposure="km").set_index("site").loc[list("abcd")]
    assert out["expected"].tolist() == pytest.approx([8 / 3, 8 / 3, 16 / 3, 16 / 3])
    assert out.loc["d", "k"] == pytest.approx(244 / 99)
    assert out.loc["d", "eb_weight"] == pytest.approx(61 / 193)
    assert out.loc["d", "eb"] == pytest.approx(4936 / 579)
    assert out.loc["d", "psi"] == pytest.approx(4936 / 579 - 16 / 3)
    assert out["exposure"].tolist() == [1.0, 1.0, 2.0, 2.0] and out.attrs["exposure"] == "km"


def test_empirical_bayes_equal_exposure_is_no_exposure():
    rng = np.random.default_rng(4)
    sites = pd.DataFrame({"collisions": rng.negative_binomial(2, 0.3, 200), "g": rng.integers(0, 3, 200)})
    plain = rs.empirical_bayes(sites, group="g").sort_index()
    scaled = rs.empirical_bayes(sites, group="g", exposure=np.full(200, 0.1)).sort_index()
    for c in ("expected", "k", "eb", "eb_lower", "eb_upper", "psi"):
        np.testing.assert_allclose(scaled[c].to_numpy(), plain[c].to_numpy(), rtol=1e-9)


def test_empirical_bayes_exposure_errors_and_empty_groups():
    sites = pd.DataFrame({"collisions": [1, 2, 0, 0, 3], "g": ["a", "a", "b", "b", "c"], "km": [1, 2, 1, 1, 1]})
    with pytest.raises(ValueError, match="reference group g='c' has fewer than 2 sites"):
        rs.empirical_bayes(sites, group="g", exposure="km")
    with pytest.raises(ValueError, match="every site needs a positive exposure"):
        rs.empirical_bayes(sites, exposure=[1, 0, 1, 1, 1])
    with pytest.raises(ValueError, match="exposure must have one value per site"):
        rs.empirical_bayes(sites, exposure=[1, 1])
    with pytest.raises(ValueError, match="exposure applies to reference groups"):
        rs.empirical_bayes(sites, spf=np.ones(5), k=2.0, exposure="km")
    # a group without any collision: its sites are estimated at 0, with or without exposure
    two = sites[sites["g"] != "c"]
    for kw in ({}, {"exposure": "km"}):
        out = rs.empirical_bayes(two, group="g", **kw)
        b = out[out["g"] == "b"]
        assert (b["eb"] == 0).all() and (b["expected"] == 0).all() and (b["eb_upper"] == 0).all()


def test_empirical_bayes_on_county_segments_by_road_class(county):
    _, segs = county
    eb = rs.empirical_bayes(segs, group="road_class", exposure="length")
    assert eb.attrs["prior"] == "reference groups by road_class" and len(eb) == len(segs)
    s = segs.segments
    # the prior rate of each class is its collisions per metre of road: expected = rate x length,
    # so each class's expected counts add up to its observed count
    rate = s.groupby("road_class")["collisions"].sum() / s.groupby("road_class")["length"].sum()
    want = rate.loc[eb["road_class"]].to_numpy() * eb["length"].to_numpy()
    np.testing.assert_allclose(eb["expected"].to_numpy(), want, rtol=1e-12)
    sums = eb.groupby("road_class")[["expected", "collisions"]].sum()
    np.testing.assert_allclose(sums["expected"], sums["collisions"], rtol=1e-9)
    # one k per class; estimates lie between the prior and the count
    assert (eb.groupby("road_class")["k"].nunique() == 1).all()
    lo = np.minimum(eb["expected"], eb["collisions"]) - 1e-9
    hi = np.maximum(eb["expected"], eb["collisions"]) + 1e-9
    assert ((eb["eb"] >= lo) & (eb["eb"] <= hi)).all()
    assert eb["psi"].is_monotonic_decreasing and eb["eb_rank"].iloc[0] == 1
    # OSM's raw highway values include a class with a single short segment: a clear error
    with pytest.raises(ValueError, match="reference group highway='tertiary_link' has fewer than 2 sites"):
        rs.empirical_bayes(segs, group="highway", exposure="length")


# --------------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------------

def run(capsys, *argv):
    code = main(["hotspots", "--dataset", "cambridgeshire", "--quiet", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_gi_segments_csv_equals_api(capsys, tmp_path, county):
    ds, segs = county
    csv = tmp_path / "gi.csv"
    code, out, _ = run(capsys, "--method", "gi", "--units", "segments", "--segment-length", "100",
                       "--distance", "250", "--permutations", "99", "--seed", "2", "--top", "5", "--out", str(csv))
    assert code == 0
    assert "89,863 road segments of at most 100 m" in out
    assert "neighbours within 250 m between midpoints (straight line), 99 permutations, seed 2" in out
    assert "11,132 collisions placed on a road; 971 more than 50 m from any road and 5 without" in out
    assert "Hottest segments" in out
    table = pd.read_csv(csv)
    want = rs.gi_star(segs, "collisions", distance=250, permutations=99, seed=2).table
    assert table["segment_id"].tolist() == want.index.tolist()
    np.testing.assert_allclose(table["z"].to_numpy(), want["z"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(table["q"].to_numpy(), want["q"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(table["p_sim"].to_numpy(), want["p_sim"].to_numpy(), rtol=1e-12)
    assert table["collisions"].sum() == 11132
    # the hottest segment is printed with its road name
    best = want[want["hotspot"] == "hot"].sort_values(["z", "value"], ascending=False, kind="stable").index[0]
    assert str(segs.segments.loc[best, "name"]) in out.split("Hottest segments")[1].splitlines()[2]


def test_cli_gi_segments_gpkg_with_roads_file(capsys, tmp_path, county):
    ds, _ = county
    from roadsafe.io.datasets import data_path

    shipped = gpd.read_file(data_path("geo", "cambridgeshire_roads.gpkg"), layer="roads")
    two = shipped[shipped["name"].isin(["Mill Road", "Hills Road"])]
    road_file = tmp_path / "roads.gpkg"
    two.to_file(road_file, driver="GPKG")
    gpkg = tmp_path / "gi.gpkg"
    code, out, _ = run(capsys, "--method", "gi", "--units", "segments", "--roads", str(road_file),
                       "--segment-length", "200", "--permutations", "0", "--out", str(gpkg))
    assert code == 0 and "analytic p-values" in out
    want = rs.hotspots.road_segments(ds, roads=str(road_file), length=200)
    assert f"{len(want):,} road segments of at most 200 m ({road_file})" in out
    back = gpd.read_file(gpkg, layer="gi_star")
    assert len(back) == len(want) and back.crs.to_epsg() == 27700
    assert {"segment_id", "name", "highway", "collisions", "z", "p_norm", "q", "hotspot"} <= set(back.columns)
    assert set(back["name"]) == {"Mill Road", "Hills Road"}
    assert back["collisions"].tolist() == want.segments["collisions"].tolist()
    z = rs.gi_star(want, "collisions", distance=600, permutations=0).table["z"].to_numpy()
    np.testing.assert_allclose(back["z"].to_numpy(), z, rtol=1e-12)
    far = gpd.read_file(gpkg, layer="unsnapped")
    assert len(far) == int((want.unsnapped["reason"] != "no usable location").sum())


@pytest.mark.parametrize("argv, message", [
    (["--method", "kde", "--units", "segments"], "--units segments applies to --method gi"),
    (["--units", "segments"], "--units segments applies to --method gi"),  # the default method: sites
    (["--method", "gi", "--units", "segments", "--segment-length", "0"],
     "argument --segment-length: must be a number above 0, not '0'"),
    (["--method", "gi", "--units", "segments", "--roads", "/no/such/roads.gpkg"],
     "--roads: no such file /no/such/roads.gpkg"),
])
def test_cli_usage_errors(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
