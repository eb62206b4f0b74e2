"""Spatial hotspots: cluster sites, planar and network KDE, Getis-Ord Gi* with FDR, DBSCAN, Empirical Bayes.

All distance work is in British National Grid metres (EPSG:27700). Collisions whose
``location_status`` is not ``ok`` (missing, placeholder or outside GB) are skipped and counted in
each result's ``skipped``; nothing is dropped silently.

    import roadsafe as rs
    ds = rs.datasets.cambridgeshire()
    sites = rs.cluster_sites(ds, preset="urban")       # >= 5 collisions within 50 m over 5 years
    sites.sites                                        # GeoDataFrame, one row per site
    labels = rs.dbscan(ds, eps=50, min_samples=5)
    cells = rs.hotspots.grid_cells(ds, cell=500)       # counts per 500 m cell, for Gi*
    gi = rs.gi_star(cells, "collisions", distance=1500)
    segs = rs.hotspots.road_segments(ds, length=100)   # counts per road segment of <= 100 m, for Gi* or EB
    gi = rs.gi_star(segs, "collisions", distance=300)  # planar distance between segment midpoints
    density = rs.kde(ds, cell=50, bandwidth=300, out="kde.tif")
"""
from .dbscan import DbscanResult, dbscan
from .empirical_bayes import empirical_bayes
from .gi_star import GiStarResult, gi_star
from .grid_cells import grid_cells
from .kde import KdeResult, kde
from .network_kde import NetworkKdeResult, network_kde
from .road_segments import RoadSegments, road_segments
from .sites import PRESETS, ClusterSites, cluster_sites
from .weights import value_of_prevention

__all__ = ["cluster_sites", "dbscan", "gi_star", "kde", "grid_cells", "value_of_prevention", "ClusterSites",
           "DbscanResult", "GiStarResult", "KdeResult", "PRESETS", "road_segments", "RoadSegments", "network_kde",
           "NetworkKdeResult", "empirical_bayes"]
