"""`roadsafe hotspots --method kde|network-kde|gi|dbscan` on the shipped Cambridgeshire data: each
writes its file, and what it writes equals the Python API's result; bad combinations are usage errors."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe.cli.main import main


@pytest.fixture(scope="module")
def cambs():
    return rs.datasets.cambridgeshire()


def run(capsys, *argv):
    code = main(["hotspots", "--dataset", "cambridgeshire", "--quiet", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_kde_writes_the_geotiff_of_the_api(capsys, tmp_path, cambs):
    tif = tmp_path / "kde.tif"
    code, out, _ = run(capsys, "--method", "kde", "--cell", "200", "--bandwidth", "400", "--out", str(tif))
    assert code == 0
    assert "quartic kernel, bandwidth 400 m" in out and f"written: {tif}" in out
    want = rs.kde(cambs, cell=200, bandwidth=400)
    assert f"peak {np.nanmax(want.density):.1f} collisions per km2" in out
    rows, cols = want.shape
    assert f"{cols} x {rows} cells of 200 m" in out
    assert tif.read_bytes()[:4] in (b"II*\x00", b"MM\x00*")  # a TIFF (GDAL's GTiff driver wrote it)


def test_network_kde_writes_lixels(capsys, tmp_path, cambs):
    gpkg = tmp_path / "nkde.gpkg"
    code, out, _ = run(capsys, "--method", "network-kde", "--lixel", "50", "--bandwidth", "200", "--estimator",
                       "discontinuous", "--top", "3", "--out", str(gpkg))
    assert code == 0
    assert "discontinuous estimator, quartic kernel, bandwidth 200 m along roads" in out
    assert "collisions placed on a road" in out and "Densest lixels" in out
    back = gpd.read_file(gpkg, layer="lixels")
    want = rs.network_kde(cambs, lixel=50, bandwidth=200, method="discontinuous")
    nonzero = want.lixels[want.lixels["density"] > 0]
    assert len(back) == len(nonzero)
    assert f"the {len(nonzero):,} lixels with density > 0" in out
    np.testing.assert_allclose(back["density"].to_numpy(), nonzero["density"].to_numpy(), rtol=1e-12)
    far = gpd.read_file(gpkg, layer="unsnapped")
    assert len(far) == int((want.unsnapped["reason"] != "no usable location").sum())


def test_gi_writes_cells_and_prints_hot_cells(capsys, tmp_path, cambs):
    csv = tmp_path / "gi.csv"
    code, out, _ = run(capsys, "--method", "gi", "--cell", "1000", "--permutations", "99", "--seed", "3",
                       "--out", str(csv))
    assert code == 0
    assert "cells of 1000 m, neighbours within 3000 m, 99 permutations, seed 3" in out
    assert "Hottest cells" in out
    table = pd.read_csv(csv)
    want = rs.gi_star(rs.hotspots.grid_cells(cambs, cell=1000), distance=3000, permutations=99, seed=3)
    np.testing.assert_allclose(table["z"].to_numpy(), want.table["z"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(table["q"].to_numpy(), want.table["q"].to_numpy(), rtol=1e-12)
    assert {"x", "y", "p_sim"} <= set(table.columns)


def test_dbscan_writes_clusters(capsys, tmp_path, cambs):
    gpkg = tmp_path / "db.gpkg"
    code, out, _ = run(capsys, "--method", "dbscan", "--eps", "60", "--min-samples", "6", "--out", str(gpkg))
    assert code == 0
    want = rs.dbscan(cambs, eps=60, min_samples=6)
    assert f"{len(want.clusters):,} clusters" in out
    back = gpd.read_file(gpkg)
    assert len(back) == len(want.clusters)
    assert back["collisions"].sum() == want.clusters["collisions"].sum()


@pytest.mark.parametrize("argv, message", [
    (["--method", "kde", "--out", "kde.gpkg"], "--out for --method kde must end in .tif or .tiff"),
    (["--method", "network-kde", "--out", "x.csv"], "--out for --method network-kde must end in .gpkg"),
    (["--method", "kde", "--kernel", "triangular"], "--kernel for kde must be quartic or gaussian"),
    (["--method", "network-kde", "--lixel", "0"], "argument --lixel: must be a number above 0, not '0'"),
    (["--method", "network-kde", "--roads", "/no/such/roads.gpkg"], "--roads: no such file /no/such/roads.gpkg"),
])
def test_usage_errors(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
