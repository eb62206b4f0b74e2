"""Hotspots against their peers: DBSCAN = scikit-learn, Gi* = esda, Gaussian KDE = scikit-learn,
plus the cluster-site rules checked by brute force on the shipped Cambridgeshire data."""
from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe import _engine


@pytest.fixture(scope="module")
def cambs():
    return rs.datasets.cambridgeshire()


def _located(ds):
    c = ds.collisions
    ok = (c["location_status"].astype(object) == "ok").to_numpy()
    return np.column_stack([c["location_easting_osgr"].to_numpy(float), c["location_northing_osgr"].to_numpy(float)]), ok


def _points(seed, n=2000, centres=8, spread=40.0, noise=0.3):
    rng = np.random.default_rng(seed)
    cx = rng.uniform(500000, 510000, centres)
    cy = rng.uniform(250000, 260000, centres)
    k = rng.integers(0, centres, n)
    pts = np.column_stack([cx[k] + rng.normal(0, spread, n), cy[k] + rng.normal(0, spread, n)])
    m = int(noise * n)
    pts[:m] = np.column_stack([rng.uniform(500000, 510000, m), rng.uniform(250000, 260000, m)])
    return pts


def _frame(pts, severity=None):
    n = len(pts)
    return pd.DataFrame({
        "collision_index": [f"C{i:06d}" for i in range(n)],
        "location_easting_osgr": pts[:, 0], "location_northing_osgr": pts[:, 1],
        "location_status": "ok",
        "collision_severity": severity if severity is not None else ["Slight"] * n,
        "date": pd.Timestamp("2020-01-01"),
    })


# --------------------------------------------------------------------------------------------------
# DBSCAN
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed,eps,min_samples", [(0, 30.0, 5), (1, 50.0, 10), (2, 20.0, 3), (3, 80.0, 25)])
def test_dbscan_labels_equal_sklearn(seed, eps, min_samples):
    sklearn_cluster = importlib.import_module("sklearn.cluster")
    pts = _points(seed)
    ours = rs.dbscan(_frame(pts), eps=eps, min_samples=min_samples)
    theirs = sklearn_cluster.DBSCAN(eps=eps, min_samples=min_samples).fit(pts)
    # Same core points, and the very same labels (not only up to relabelling).
    assert np.array_equal(np.flatnonzero(ours.core.to_numpy()), theirs.core_sample_indices_)
    assert np.array_equal(ours.labels.to_numpy(dtype=np.int64), theirs.labels_)


def test_dbscan_ties_at_eps_and_weights():
    sklearn_cluster = importlib.import_module("sklearn.cluster")
    rng = np.random.default_rng(7)
    pts = rng.integers(0, 30, size=(600, 2)).astype(float) * 10  # many distances exactly eps
    w = rng.integers(1, 4, 600).astype(float)
    df = _frame(pts)
    ours = rs.dbscan(df, eps=10.0, min_samples=4)
    assert np.array_equal(ours.labels.to_numpy(dtype=np.int64), sklearn_cluster.DBSCAN(eps=10.0, min_samples=4).fit(pts).labels_)
    ours_w = rs.dbscan(df, eps=10.0, min_samples=6, weight=w)
    theirs_w = sklearn_cluster.DBSCAN(eps=10.0, min_samples=6).fit(pts, sample_weight=w)
    assert np.array_equal(ours_w.labels.to_numpy(dtype=np.int64), theirs_w.labels_)


def test_dbscan_cambridgeshire_equals_sklearn(cambs):
    sklearn_cluster = importlib.import_module("sklearn.cluster")
    xy, ok = _located(cambs)
    ours = rs.dbscan(cambs, eps=50, min_samples=5)
    assert ours.skipped == 5 and ours.labels.isna().sum() == 5
    theirs = sklearn_cluster.DBSCAN(eps=50, min_samples=5).fit(xy[ok])
    assert np.array_equal(ours.labels[ok].to_numpy(dtype=np.int64), theirs.labels_)
    assert len(ours.clusters) == theirs.labels_.max() + 1
    assert "DbscanResult" in repr(ours)


# --------------------------------------------------------------------------------------------------
# Gi*
# --------------------------------------------------------------------------------------------------

def _esda_z(pts, values, distance=None, k=None, transform="B"):
    weights = importlib.import_module("libpysal.weights")
    getisord = importlib.import_module("esda.getisord")
    if distance is not None:
        w = weights.DistanceBand(pts, threshold=distance, binary=True, silence_warnings=True)
    else:
        w = weights.KNN(pts, k=k)
    return getisord.G_Local(values, w, transform=transform, star=True, permutations=0).Zs


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gi_star_z_equals_esda_distance_band(seed):
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 5000, size=(800, 2))
    values = rng.poisson(2.0, 800).astype(float) + (pts[:, 0] < 1000) * 3
    ours = rs.gi_star(pts, values, distance=400, permutations=0)
    assert np.max(np.abs(ours.table["z"].to_numpy() - _esda_z(pts, values, distance=400))) < 1e-9
    ours_r = rs.gi_star(pts, values, distance=400, permutations=0, transform="R")
    assert np.max(np.abs(ours_r.table["z"].to_numpy() - _esda_z(pts, values, distance=400, transform="R"))) < 1e-9


def test_gi_star_z_equals_esda_knn():
    rng = np.random.default_rng(11)
    pts = rng.uniform(0, 5000, size=(500, 2))
    values = rng.gamma(2.0, 1.0, 500)
    ours = rs.gi_star(pts, values, k=8, permutations=0)
    assert np.max(np.abs(ours.table["z"].to_numpy() - _esda_z(pts, values, k=8))) < 1e-9


def test_gi_star_cambridgeshire_cells_equal_esda(cambs):
    cells = rs.hotspots.grid_cells(cambs, cell=1000, include_empty=False)
    pts = cells[["x", "y"]].to_numpy()
    ours = rs.gi_star(cells, "collisions", distance=2000, permutations=0)
    dz = np.max(np.abs(ours.table["z"].to_numpy() - _esda_z(pts, cells["collisions"].to_numpy(float), distance=2000)))
    assert dz < 1e-9
    assert int(cells["collisions"].sum()) == 12103


def test_gi_star_permutations_seeded_and_thread_independent():
    rng = np.random.default_rng(3)
    pts = rng.uniform(0, 3000, size=(600, 2))
    values = rng.poisson(3.0, 600).astype(float) + 10 * (np.hypot(pts[:, 0] - 1500, pts[:, 1] - 1500) < 300)
    a = rs.gi_star(pts, values, distance=250, permutations=499, seed=5, threads=1).table
    b = rs.gi_star(pts, values, distance=250, permutations=499, seed=5, threads=2).table
    c = rs.gi_star(pts, values, distance=250, permutations=499, seed=6, threads=2).table
    assert np.array_equal(a["p_sim"].to_numpy(), b["p_sim"].to_numpy())
    assert not np.array_equal(a["p_sim"].to_numpy(), c["p_sim"].to_numpy())
    assert a["p_sim"].min() >= 1 / 500 and a["p_sim"].max() <= 0.5 + 1 / 500
    # Against esda's own conditional permutation (different random streams): the same units are significant.
    getisord = importlib.import_module("esda.getisord")
    weights = importlib.import_module("libpysal.weights")
    w = weights.DistanceBand(pts, threshold=250, binary=True, silence_warnings=True)
    e = getisord.G_Local(values, w, transform="B", star=True, permutations=499, seed=5, n_jobs=1)
    assert np.mean(np.abs(a["p_sim"].to_numpy() - e.p_sim)) < 0.02
    assert np.mean((a["p_sim"].to_numpy() <= 0.01) == (e.p_sim <= 0.01)) > 0.97


def test_benjamini_hochberg_matches_definition():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, 200) ** 3
    q = _engine.hotspots.benjamini_hochberg(p)
    order = np.argsort(p)
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    expect = np.empty_like(p)
    expect[order] = np.minimum(1, np.minimum.accumulate(ranked[::-1])[::-1])
    assert np.allclose(q, expect, rtol=0, atol=1e-15)


def test_gi_star_bad_arguments():
    pts = np.zeros((5, 2))
    with pytest.raises(ValueError):
        rs.gi_star(pts, np.ones(5))  # neither distance nor k
    with pytest.raises(ValueError):
        rs.gi_star(pts, np.ones(4), distance=10)


# --------------------------------------------------------------------------------------------------
# KDE
# --------------------------------------------------------------------------------------------------

def test_gaussian_kde_equals_sklearn():
    neighbors = importlib.import_module("sklearn.neighbors")
    pts = _points(4, n=400, centres=4, spread=200)
    w = np.random.default_rng(4).uniform(0.5, 2.0, len(pts))
    res = rs.kde(_frame(pts), cell=200, bandwidth=300, kernel="gaussian", weight=w, gaussian_cutoff=40)
    xs, ys = res.centres()
    gx, gy = np.meshgrid(xs, ys)
    centres = np.column_stack([gx.ravel(), gy.ravel()])
    kd = neighbors.KernelDensity(kernel="gaussian", bandwidth=300, rtol=0, atol=0).fit(pts, sample_weight=w)
    expect = 1e6 * w.sum() * np.exp(kd.score_samples(centres))
    rel = np.abs(res.density.ravel() - expect) / expect
    # sklearn's tree sums lose relative precision in the far tails (even with rtol = atol = 0: about
    # 1e-3 at 1e-16 of the peak, against a brute-force sum), so compare it where the density is at
    # least 1e-6 of the peak, and compare every cell with a brute-force numpy sum.
    shown = expect >= 1e-6 * expect.max()
    assert rel[shown].max() < 1e-9
    d2 = ((centres[:, None, :] - pts[None, :, :]) ** 2).sum(-1)
    brute = 1e6 * (w[None, :] * np.exp(-0.5 * d2 / 300**2)).sum(1) / (2 * np.pi * 300**2)
    assert (np.abs(res.density.ravel() - brute) / brute).max() < 1e-12
    # With the default cutoff (8 bandwidths) cells above 1e-4 of the peak agree within 1e-6.
    res8 = rs.kde(_frame(pts), cell=200, bandwidth=300, kernel="gaussian", weight=w)
    assert res8.shape == res.shape
    big = expect >= 1e-4 * expect.max()
    assert (np.abs(res8.density.ravel() - expect) / expect)[big].max() < 1e-6


def test_quartic_kde_integrates_to_total_weight(tmp_path, cambs):
    res = rs.kde(cambs, cell=50, bandwidth=300, out=str(tmp_path / "kde.tif"), within=None)  # the whole grid
    assert res.skipped == 5
    integral = res.density.sum() * (res.cell / 1000) ** 2
    assert integral == pytest.approx(12103, rel=2e-3)
    assert (tmp_path / "kde.tif").stat().st_size > 0
    assert "quartic" in repr(res)
    cost = rs.kde(cambs, cell=200, bandwidth=500, weight="cost", within=None)
    assert cost.density.sum() * 0.04 == pytest.approx(cost.total_weight, rel=5e-3)


def test_kde_cells_outside_the_area_have_no_density(cambs):
    """By default the grid is the area's (the county here): outside it NaN, inside the same density."""
    whole = rs.kde(cambs, cell=200, bandwidth=500, within=None)
    area = rs.kde(cambs, cell=200, bandwidth=500)
    outside = np.isnan(area.density)
    assert 0 < outside.sum() < outside.size
    np.testing.assert_array_equal(area.density[~outside], whole.density[~outside])
    # What lies outside the county is a small share of the density: collisions near the edge spill over.
    assert np.nansum(area.density) == pytest.approx(whole.density.sum(), rel=0.05)


# --------------------------------------------------------------------------------------------------
# Cluster sites
# --------------------------------------------------------------------------------------------------

def test_cluster_sites_rules_hold_on_cambridgeshire(cambs):
    sites = rs.cluster_sites(cambs, preset="urban")
    assert sites.skipped == 5
    s = sites.sites
    assert s.crs.to_epsg() == 27700
    assert list(s["site_id"]) == list(range(1, len(s) + 1))
    assert (s["collisions"] >= 5).all()
    assert (s["fatal"] + s["serious"] + s["slight"] == s["collisions"]).all()
    m = sites.members
    assert not m["row"].duplicated().any()  # a collision belongs to at most one site
    # every member lies within 50 m of its site's seed; counts are densest first
    seed = s.set_index("site_id")[["seed_x", "seed_y"]].loc[m["site_id"]].to_numpy()
    d = np.hypot(m["location_easting_osgr"].to_numpy() - seed[:, 0], m["location_northing_osgr"].to_numpy() - seed[:, 1])
    assert d.max() <= 50
    assert (np.diff(s["collisions"].to_numpy()) <= 0).all()
    # the period is the 5 years to the last collision
    assert m["date"].min() >= pd.Timestamp("2012-11-01") and m["date"].max() <= pd.Timestamp("2017-10-31")
    # maximal: no collision left over has 5 or more left-over collisions within 50 m
    c = cambs.collisions
    xy, ok = _located(cambs)
    in_period = (c["date"] >= pd.Timestamp("2012-11-01")).to_numpy() & ok
    free = np.flatnonzero(in_period & ~np.isin(np.arange(len(c)), m["row"].to_numpy()))
    fx, fy = xy[free, 0], xy[free, 1]
    for i in range(len(free)):
        assert np.count_nonzero(np.hypot(fx - fx[i], fy - fy[i]) <= 50) < 5
    # costs from the shipped DfT table
    v = rs.hotspots.value_of_prevention()
    first = s.iloc[0]
    assert first["cost_gbp"] == pytest.approx(first["fatal"] * v["fatal"] + first["serious"] * v["serious"] + first["slight"] * v["slight"])
    assert "road_users" in s.columns and s["involves_car"].sum() > 0
    assert "ClusterSites" in repr(sites)


def test_cluster_site_ids_are_stable(cambs):
    a = rs.cluster_sites(cambs, preset="rural").sites
    shuffled = cambs.collisions.sample(frac=1.0, random_state=1).reset_index(drop=True)
    b = rs.cluster_sites(shuffled, preset="rural").sites
    cols = ["site_id", "collisions", "centroid_x", "centroid_y"]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols].reset_index(drop=True), check_exact=False, rtol=1e-12)
    assert [sorted(x) for x in a["collision_ids"]] == [sorted(x) for x in b["collision_ids"]]


def test_cluster_sites_constructed_and_weighted():
    pts = np.array([[1000, 1000], [1010, 1000], [1020, 1000], [1000, 1010], [1005, 1005],
                    [5000, 5000], [5001, 5000], [np.nan, np.nan]])
    sev = ["Fatal", "Serious", "Slight", "Slight", "Slight", "Slight", "Slight", "Slight"]
    df = _frame(pts, sev)
    df.loc[7, "location_status"] = "placeholder"
    w = np.array([1, 0.5, 0.25, 0.25, 0.25, 1, 1, 1])
    res = rs.cluster_sites(df, radius=50, min_collisions=5, years=0, weight=w)
    assert len(res) == 1 and res.skipped == 1
    site = res.sites.iloc[0]
    assert (site["fatal"], site["serious"], site["slight"]) == (1, 1, 3)
    assert site["weighted_total"] == pytest.approx(2.25)
    assert site["weighted_slight"] == pytest.approx(0.75)
    assert site["centroid_x"] == pytest.approx(1007.0)
    adj = pd.DataFrame({"fatal": [1, 0, 0, 0, 0, 0, 0, 0], "serious": [0, 0.9, 0.1, 0.1, 0.1, 0, 0, 0],
                        "slight": [0, 0.1, 0.9, 0.9, 0.9, 1, 1, 1]})
    res2 = rs.cluster_sites(df, radius=50, min_collisions=5, years=0, adjusted=adj)
    assert res2.sites.iloc[0]["adjusted_serious"] == pytest.approx(1.2)
    with pytest.raises(ValueError):
        rs.cluster_sites(df, preset="motorway")


def test_cluster_sites_geopackage(tmp_path, cambs):
    pyogrio = importlib.import_module("pyogrio")
    sites = rs.cluster_sites(cambs)
    path = tmp_path / "sites.gpkg"
    sites.to_gpkg(str(path))
    back = pyogrio.read_dataframe(path, layer="sites")
    assert len(back) == len(sites.sites)
    assert back.crs.to_epsg() == 27700
    assert back["collision_ids"].iloc[0].count(",") == back["collisions"].iloc[0] - 1


def test_gi_star_and_dbscan_geopackage_layers(tmp_path, cambs):
    pyogrio = importlib.import_module("pyogrio")
    path = tmp_path / "hotspots.gpkg"
    cells = rs.hotspots.grid_cells(cambs, cell=1000, include_empty=False)
    gi = rs.gi_star(cells, "collisions", distance=2000, permutations=99, seed=1)
    gi.to_gpkg(str(path))
    rs.dbscan(cambs, eps=50, min_samples=5).to_gpkg(str(path))
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert {"gi_star", "dbscan_clusters"} <= layers
    back = pyogrio.read_dataframe(path, layer="gi_star")
    assert len(back) == len(cells) and {"z", "p_sim", "q", "hotspot"} <= set(back.columns)
    assert "GiStarResult" in repr(gi)
