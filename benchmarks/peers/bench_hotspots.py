"""Hotspot benchmark: roadsafe against the peers an analyst would otherwise use, side by side in one
process on the same seeded points, each result checked equal before any time is printed.

    python benchmarks/peers/bench_hotspots.py [--sizes 10000 100000 1000000] [--repeat 3] [--permutations 999]

- DBSCAN (eps 50 m, min_samples 5) vs scikit-learn DBSCAN: labels must be identical.
- Gaussian KDE (bandwidth 3 km) on a 5 km national grid vs scikit-learn KernelDensity(rtol=0, atol=0)
  evaluated at the same cell centres: relative difference < 1e-6 where the density is at least
  1e-4 of its peak (sklearn's tree loses precision in the far tails). scikit-learn takes about 10 minutes
  for all cells at 1e6 points, so above --kde-sample-above points it is timed on an evenly spaced sample
  of the cells and its time scaled up by (cells / sample) -- printed as "extrapolated".
- Gi* (distance band 1.5 km, self included, binary) on 500 m cells of the points vs
  esda.G_Local(star=True, transform="B") with the same permutations: analytic z within 1e-9.
  Both times include building the weights; esda runs with n_jobs=1 and with n_jobs=-1.

Gi* also runs on real data: the 12,108 Cambridgeshire collisions in 500 m cells, where the 1.5 km band
gives each cell about 10 neighbours (the generated GB-wide points give most cells none).

Points: 70% in junction-sized clumps (sd 30 m; n/20 junctions) around 500 seeded towns (sd 2 km) across a GB-sized
BNG window, 30% uniform. Times are the best of --repeat runs.
"""
from __future__ import annotations

import argparse
import os
import warnings

import numpy as np


def gi_star_vs_esda(rs, points, a) -> None:
    from esda.getisord import G_Local
    from libpysal.weights import DistanceBand

    from roadsafe.benchmark_data import best_of

    cells = rs.hotspots.grid_cells(points, cell=500, include_empty=False)
    cxy = cells[["x", "y"]].to_numpy()
    v = cells["collisions"].to_numpy(float)
    P = a.permutations
    t_rs, g = best_of(a.repeat, lambda: rs.gi_star(cxy, v, distance=1500, permutations=P, seed=0).table)

    def esda(n_jobs):
        w = DistanceBand(cxy, threshold=1500, binary=True, silence_warnings=True)
        return G_Local(v, w, transform="B", star=True, permutations=P, seed=0, n_jobs=n_jobs, keep_simulations=False)

    t_e1, e = best_of(1, lambda: esda(1))
    dz = np.max(np.abs(g["z"].to_numpy() - e.Zs))
    assert dz < 1e-9, f"Gi* z differs: {dz}"
    line = (f"Gi*     {len(cells):,} cells, {g['neighbours'].mean():.1f} neighbours each, {P} permutations, "
            f"max |dz| {dz:.1e}, mean |dp_sim| {np.mean(np.abs(g['p_sim'].to_numpy() - e.p_sim)):.4f}; "
            f"roadsafe {t_rs:.3f} s, esda n_jobs=1 {t_e1:.3f} s ({t_e1 / t_rs:.1f}x)")
    if not a.skip_esda_parallel:
        t_ep, _ = best_of(1, lambda: esda(-1))
        line += f", esda n_jobs=-1 {t_ep:.3f} s ({t_ep / t_rs:.1f}x)"
    print(line)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    ap.add_argument("--kde-sample-above", type=int, default=200000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--permutations", type=int, default=999)
    ap.add_argument("--skip-esda-parallel", action="store_true")
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import roadsafe as rs
    from roadsafe.benchmark_data import best_of, clustered_points, points_frame
    from sklearn.cluster import DBSCAN
    from sklearn.neighbors import KernelDensity

    print(f"cores: {os.cpu_count()}")
    for n in a.sizes:
        pts = clustered_points(n)
        df = points_frame(pts)
        print(f"\n== n = {n:,} points")

        t_rs, ours = best_of(a.repeat,
                             lambda: rs._engine.hotspots.dbscan(pts[:, 0].copy(), pts[:, 1].copy(), 50.0, 5.0))
        t_sk, sk = best_of(a.repeat, lambda: DBSCAN(eps=50, min_samples=5).fit(pts))
        assert np.array_equal(ours["labels"], sk.labels_), "DBSCAN labels differ"
        print(f"DBSCAN  {int(ours['clusters'])} clusters, labels identical; roadsafe {t_rs:.3f} s, "
              f"scikit-learn {t_sk:.3f} s, ratio {t_sk / t_rs:.1f}x")

        # The whole grid, as scikit-learn's (by default rs.kde keeps the cells of the data's area only).
        t_rs, k = best_of(a.repeat, lambda: rs.kde(df, cell=5000, bandwidth=3000, kernel="gaussian", within=None))
        xs, ys = k.centres()
        gx, gy = np.meshgrid(xs, ys)
        centres = np.column_stack([gx.ravel(), gy.ravel()])

        sample = np.arange(len(centres))
        if n > a.kde_sample_above:
            sample = sample[::20]

        def sk_kde():
            return KernelDensity(kernel="gaussian", bandwidth=3000, rtol=0, atol=0).fit(pts).score_samples(
                centres[sample])

        t_sk, score = best_of(1, sk_kde)
        t_sk *= len(centres) / len(sample)
        expect = 1e6 * n * np.exp(score)
        big = expect >= 1e-4 * expect.max()
        rel = (np.abs(k.density.ravel()[sample] - expect) / expect)[big].max()
        assert rel < 1e-6, f"KDE differs: {rel}"
        note = "" if len(sample) == len(centres) else f", extrapolated from {len(sample)} cells"
        print(f"KDE     {k.shape[1]} x {k.shape[0]} cells, max rel diff {rel:.1e}; roadsafe {t_rs:.3f} s, "
              f"scikit-learn {t_sk:.3f} s (1 run{note}), ratio {t_sk / t_rs:.1f}x")

        gi_star_vs_esda(rs, df, a)
    print("\n== Cambridgeshire, 12,108 real collisions")
    gi_star_vs_esda(rs, rs.datasets.cambridgeshire(), a)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
