"""Spatial hotspots: cluster sites, KDE, network KDE, Getis-Ord Gi*, DBSCAN, Empirical Bayes, road segments."""
from .empirical_bayes import empirical_bayes
from .network_kde import network_kde, read_roads
from .road_segments import RoadSegments, road_segments
from .sites import (PRESETS, ClusterSites, DbscanResult, GiStarResult, KdeResult, cluster_sites, dbscan, gi_star,
                    grid_cells, kde, value_of_prevention)

__all__ = ["cluster_sites", "dbscan", "gi_star", "kde", "grid_cells", "value_of_prevention", "ClusterSites",
           "DbscanResult", "GiStarResult", "KdeResult", "PRESETS", "road_segments", "RoadSegments", "network_kde",
           "read_roads", "empirical_bayes"]
