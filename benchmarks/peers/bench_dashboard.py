"""Dashboard benchmark: size and build time of ``rs.dashboard`` on the shipped Cambridgeshire data and on the real
DfT national year 2015, against what an analyst would otherwise do with plotly alone (a figure of every collision
coloured by severity beside the KSI collisions by financial year, written with ``write_html(include_plotlyjs=True)``:
offline, but with no filters, boundaries, sites, rates or tables). Both pages embed the same plotly.js; the KSI
figures are checked equal first (the peer counts in pandas, roadsafe in its engine).

    python benchmarks/peers/bench_dashboard.py [--national /path/to/national] [--repeat 3]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

NATIONAL = Path("/work/shared/datasets/national")


def plotly_page(collisions: pd.DataFrame, out: Path) -> pd.Series:
    """The peer: one plotly page (scatter of every located collision by severity, KSI by financial year)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    sev = collisions["collision_severity"].astype(str)
    dates = pd.to_datetime(collisions["date"])
    fy = np.where(dates.dt.month >= 4, dates.dt.year, dates.dt.year - 1)
    ksi = sev.isin(["Fatal", "Serious"]).groupby(fy).sum()
    ksi.index = [f"{y}-{(y + 1) % 100:02d}" for y in ksi.index]
    fig = make_subplots(rows=1, cols=2)
    for name, colour in (("Slight", "#67a9cf"), ("Serious", "#ef8a62"), ("Fatal", "#b2182b")):
        part = collisions[sev == name]
        fig.add_trace(go.Scattergl(x=part["location_easting_osgr"], y=part["location_northing_osgr"], mode="markers",
                                   name=name, marker={"color": colour, "size": 3}), row=1, col=1)
    fig.add_trace(go.Bar(x=list(ksi.index), y=ksi.to_numpy(), name="KSI"), row=1, col=2)
    fig.write_html(out, include_plotlyjs=True)
    return ksi


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--national", type=Path, default=NATIONAL)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()

    import scipy.stats  # noqa: F401  imported before the clock starts, as every module is
    import plotly.graph_objects  # noqa: F401

    import roadsafe as rs
    from roadsafe.benchmark_data import best_of

    cases = [("Cambridgeshire & Peterborough 2012-2017", rs.datasets.cambridgeshire())]
    files = [args.national / f"RoadSafetyData_{t}_2015.zip" for t in ("Accidents", "Casualties", "Vehicles")]
    cases.append(("Great Britain 2015 (real DfT national files)", rs.read_stats19([str(f) for f in files])))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, ds in cases:
            ours, peer = Path(tmp) / "dashboard.html", Path(tmp) / "plotly.html"
            rs.dashboard(ds, out=ours)  # once, so lazy imports and caches are warm like the peer's
            t_rs, board = best_of(args.repeat, lambda: rs.dashboard(ds, out=ours))
            t_pl, ksi = best_of(args.repeat, plotly_page, ds.collisions, peer)
            table = rs.ksi_table(ds, by="financial_year")
            if table["ksi"].fillna(0).astype(int).sum() != int(ksi.sum()) or board.ksi != int(ksi.sum()):
                raise SystemExit(f"{name}: the KSI totals differ ({board.ksi} against {int(ksi.sum())})")
            shown = table["ksi"].dropna().astype(int)
            if not (shown[shown.index.isin(ksi.index)] == ksi[shown.index[shown.index.isin(ksi.index)]]).all():
                raise SystemExit(f"{name}: KSI by financial year differs")
            rows.append((name, len(ds.collisions), board.ksi, t_rs, board.size_bytes, t_pl, peer.stat().st_size))
    print("| data | collisions | KSI | roadsafe dashboard s | MB | plotly write_html s | MB | time vs plotly |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, ksi_total, t_rs, b_rs, t_pl, b_pl in rows:
        print(f"| {name} | {n:,} | {ksi_total:,} | {t_rs:.2f} | {b_rs / 1e6:.1f} | {t_pl:.2f} | {b_pl / 1e6:.1f} | "
              f"{t_rs / t_pl:.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
