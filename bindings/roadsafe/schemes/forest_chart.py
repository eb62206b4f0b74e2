"""The forest chart of a scheme evaluation: each scheme's change with its interval, and the pooled ones below."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..figures import new_figure


def forest_chart(schemes: pd.DataFrame, pooled: list[Any], top: int = 25, ax: Any = None) -> Any:
    """Per scheme (the ``top`` with most collisions before) theta with its interval from ``schemes``, then each
    pooled BeforeAfter in ``pooled`` (a diamond); on ``ax`` (returned) or a new figure (returned)."""
    fig = None
    shown = schemes.sort_values("observed_before", ascending=False, kind="stable").head(top)
    n = len(shown) + len(pooled)
    if ax is None:
        fig = new_figure((7, 1.2 + 0.22 * n), layout="constrained")
        ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    theta = shown["theta"].to_numpy(dtype=float)
    lower = np.clip(shown["lower"].to_numpy(dtype=float), 0, None)
    upper = shown["upper"].to_numpy(dtype=float)
    ys = y[:len(shown)]
    colours = np.where(shown["rose"].to_numpy(dtype=bool), "#b30000", "#333333")
    ax.hlines(ys, lower, upper, color=colours, linewidth=1)
    ax.scatter(theta, ys, s=np.clip(shown["observed_before"].to_numpy(dtype=float), 4, 60), color=colours, zorder=3)
    palette = {"Empirical Bayes": "#1b9e77", "comparison group": "#7570b3", "naive": "#d95f02"}
    labels = [str(s) for s in shown.index]
    for i, r in enumerate(pooled):
        yy = y[len(shown) + i]
        ax.hlines(yy, max(r.lower, 0), r.upper, color=palette.get(r.method, "black"), linewidth=2)
        ax.scatter([r.theta], [yy], marker="D", s=40, color=palette.get(r.method, "black"), zorder=3)
        labels.append(f"all schemes: {r.method}")
    ax.axvline(1.0, color="#888888", linewidth=0.8, linestyle="--")
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlabel("theta = after / expected without the scheme (below 1: fewer)")
    right = np.nanmax(np.r_[upper, [r.upper for r in pooled], 1.5])
    ax.set_xlim(0, min(right * 1.05, 5))
    return ax if fig is None else fig
