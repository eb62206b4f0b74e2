"""DBSCAN on collision points, with labels identical to scikit-learn's."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

import numpy as np
import pandas as pd

from .. import _engine
from ..io.fields import SEVERITIES, collision_xy, collisions_of, severity_names
from .weights import collision_weights

if TYPE_CHECKING:
    import geopandas

    from ..io.dataset import Dataset


@dataclass
class DbscanResult:
    """DBSCAN labels per collision (``labels``: 0.. cluster, -1 noise, <NA> no usable location),
    ``core`` flags, and ``clusters`` (GeoDataFrame of cluster centroids and sizes)."""

    labels: pd.Series
    core: pd.Series
    clusters: "geopandas.GeoDataFrame"
    eps: float
    min_samples: float
    skipped: int

    def __repr__(self) -> str:
        lab = self.labels.dropna()
        noise = int((lab == -1).sum())
        head = (f"DbscanResult: {len(self.clusters)} clusters (eps {self.eps:g} m, min_samples {self.min_samples:g}); "
                f"{len(lab) - noise:,} clustered, {noise:,} noise, {self.skipped:,} skipped (no usable location)")
        if len(self.clusters) == 0:
            return head
        top = self.clusters.sort_values("collisions", ascending=False).head(10)
        return head + "\n" + top.drop(columns="geometry").to_string(index=False)

    def to_gpkg(self, path: str, layer: str = "dbscan_clusters") -> None:
        """Write the cluster centroids and sizes as a GeoPackage layer."""
        self.clusters.to_file(path, layer=layer, driver="GPKG")


def dbscan(ds: Union["Dataset", pd.DataFrame], eps: float = 50, min_samples: float = 5, weight: Any = None) -> DbscanResult:
    """DBSCAN on collision points (BNG metres). Labels equal scikit-learn's
    ``DBSCAN(eps, min_samples).fit(X).labels_`` on the located collisions (same core/border rules,
    same cluster numbering); ``weight`` plays sklearn's ``sample_weight``."""
    df = collisions_of(ds)
    x, y, skipped = collision_xy(df)
    w = collision_weights(df, weight)
    r = _engine.hotspots.dbscan(x, y, float(eps), float(min_samples), w)
    labels = pd.array(r["labels"], dtype="Int64")
    labels[r["labels"] == -2] = pd.NA
    index = df.index
    lab = pd.Series(labels, index=index, name="cluster")
    core = pd.Series(r["core"].astype(bool), index=index, name="core")
    import geopandas as gpd

    sel = r["labels"] >= 0
    cluster = r["labels"][sel]
    k = int(r["clusters"])
    n = np.bincount(cluster, minlength=k)
    summary = pd.DataFrame({
        "cluster": np.arange(k), "collisions": n,
        "core_points": np.bincount(cluster, weights=r["core"][sel].astype(float), minlength=k).astype(np.int64),
        "centroid_x": np.bincount(cluster, weights=x[sel], minlength=k) / n,
        "centroid_y": np.bincount(cluster, weights=y[sel], minlength=k) / n,
    })
    severity = severity_names(df)[sel]
    for s in SEVERITIES:
        summary[s] = np.bincount(cluster[severity == s], minlength=k).astype(np.int64)
    clusters = gpd.GeoDataFrame(summary, geometry=gpd.points_from_xy(summary["centroid_x"], summary["centroid_y"]),
                                crs="EPSG:27700")
    return DbscanResult(labels=lab, core=core, clusters=clusters, eps=float(eps), min_samples=float(min_samples),
                        skipped=skipped)
