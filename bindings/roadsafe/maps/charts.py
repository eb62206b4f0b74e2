"""Trend charts for reports and board papers, readable when printed in black and white.

    fig = rs.plots.ksi_trend_chart(ds, by="financial_year", switch_date="2016-11-01")
    fig.savefig("ksi.png", dpi=200)
    fig = rs.plots.monthly_chart(ds)             # monthly KSI with the rolling 12-month total

Functions build a ``matplotlib.figure.Figure`` directly (no pyplot, no global state, any backend; the
Agg canvas renders it) and return it.
"""
from __future__ import annotations

import os
from typing import IO, Any, Optional, Sequence, Union

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..figures import new_figure
from ..severity.published import has_adjusted
from ..trends.periods import Period, Unit, ksi_table

_INK = "#000000"
_GREY = "#555555"
_BAND = "#bbbbbb"
_BAND_ADJ = "#dddddd"


def _new_figure(size: tuple[float, float] = (8.0, 4.5)) -> tuple[Figure, Axes]:
    fig = new_figure(size, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax


def _tick_positions(n: int, max_ticks: int = 14) -> np.ndarray:
    step = max(1, int(np.ceil(n / max_ticks)))
    return np.arange(0, n, step)


def _period_position(labels: Sequence[str], by: str, when: pd.Timestamp) -> Optional[float]:
    """x position (between period centres) of a date on a chart with one point per period."""
    from ..trends.periods import period_index, period_label

    label = period_label(period_index(pd.Series([when]), by)[0], by)  # type: ignore[arg-type]
    if label not in labels:
        return None
    i = list(labels).index(label)
    p = period_index(pd.Series([when]), by)[0]  # type: ignore[arg-type]
    start, end = p.start_time, p.end_time
    fraction = (when - start) / (end - start)
    return i - 0.5 + float(fraction)


def _measure_name(measure: str) -> str:
    return measure.replace("ksi", "KSI").replace("_", " ")


def _single(table: pd.DataFrame) -> pd.DataFrame:
    if isinstance(table.index, pd.MultiIndex):
        raise ValueError("plot one group at a time: pass groups='<name>' (a single group)")
    return table


def _with_group_and_name(title: str, table, ds) -> str:
    """A chart title followed by the table's target group and the dataset's name, where known."""
    if table.attrs.get("group"):
        title += f": {table.attrs['group']}"
    name = getattr(ds, "name", None)
    return f"{title} - {name}" if name else title


def ksi_trend_chart(ds=None, by: Period = "financial_year", unit: Unit = "collision",
                    adjusted: Optional[bool] = None, groups: Optional[str] = None,
                    switch_date=None, switch_label: str = "switch to CRaSH",
                    table: Optional[pd.DataFrame] = None, title: Optional[str] = None,
                    corrected: Optional[pd.Series] = None,
                    corrected_label: str = "KSI (corrected for reclassification)") -> Figure:
    """KSI per period with its 95 % interval as a band; adjusted KSI alongside when available.

    ``adjusted``: None = draw adjusted KSI when the data has adjusted-severity probabilities.
    ``switch_date``: marks the date the force moved to injury-based reporting with a vertical line.
    ``table``: plot an existing ``ksi_table`` result instead of computing one from ``ds``.
    ``corrected``: another series indexed by the same period labels (e.g. a KSI series corrected by
    ``rs.reclassification_effect``), drawn dash-dotted; labels it lacks are left blank.
    Partial periods (at the edges of the data) are drawn as open markers, outside the line and band.
    """
    if table is None:
        if ds is None:
            raise ValueError("give a dataset or a ksi_table result")
        if adjusted is None:
            adjusted = has_adjusted(ds)
        table = ksi_table(ds, by=by, unit=unit, adjusted=bool(adjusted), groups=groups)
    table = _single(table)
    by = table.attrs.get("by", table.index.name or by)
    unit = table.attrs.get("unit", unit)
    draw_adjusted = "ksi_adjusted" in table.columns and adjusted is not False
    labels = [str(x) for x in table.index]
    x = np.arange(len(labels))
    partial = table["partial"].to_numpy(dtype=bool) if "partial" in table.columns else np.zeros(len(x), bool)

    fig, ax = _new_figure()
    # The line and band join complete periods only: a partial period's low count is not a fall.
    complete = np.where(~partial, 1.0, np.nan)
    ax.fill_between(x, table["ksi_lower"] * complete, table["ksi_upper"] * complete, color=_BAND, alpha=0.7,
                    linewidth=0, label="KSI 95% interval")
    ax.plot(x, table["ksi"] * complete, color=_INK, linewidth=2.0, label="KSI (as recorded)")
    ax.plot(x[~partial], table["ksi"].to_numpy()[~partial], "o", color=_INK, markersize=5)
    if partial.any():
        ax.plot(x[partial], table["ksi"].to_numpy()[partial], "o", markerfacecolor="white", markeredgecolor=_INK,
                markersize=6, label="partial period")
    if draw_adjusted:
        ax.fill_between(x, table["ksi_adjusted_lower"] * complete, table["ksi_adjusted_upper"] * complete, facecolor=_BAND_ADJ,
                        edgecolor=_GREY, hatch="///", linewidth=0, alpha=0.6, label="adjusted 95% interval")
        ax.plot(x, table["ksi_adjusted"] * complete, color=_GREY, linewidth=2.0, linestyle="--", marker="s", markersize=4,
                label="KSI (severity-adjusted)")
    if corrected is not None:
        series = pd.Series(corrected)
        series.index = pd.Index([str(i) for i in series.index])
        values = series.reindex(pd.Index(labels)).to_numpy(dtype=float)
        ax.plot(x, values, color=_INK, linewidth=1.6, linestyle="-.", marker="^", markersize=4,
                label=corrected_label)
    if switch_date is not None:
        pos = _period_position(labels, by, pd.Timestamp(switch_date))
        if pos is not None:
            ax.axvline(pos, color=_INK, linestyle=":", linewidth=1.5)
            ax.annotate(f"{switch_label}\n{pd.Timestamp(switch_date):%d %b %Y}", (pos, 1.0),
                        xycoords=("data", "axes fraction"), xytext=(4, -4), textcoords="offset points",
                        va="top", ha="left", fontsize=9)
    ticks = _tick_positions(len(x))
    ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=45 if len(x) > 8 else 0,
                  ha="right" if len(x) > 8 else "center")
    ax.set_xlim(-0.5, len(x) - 0.5)
    ax.set_ylim(bottom=0)
    noun = "casualties" if unit == "casualty" else "collisions"
    ax.set_ylabel(f"killed or seriously injured ({noun})")
    ax.set_xlabel(str(by).replace("_", " "))
    if title is None:
        title = _with_group_and_name(f"KSI {noun} by {str(by).replace('_', ' ')}", table, ds)
    ax.set_title(title, loc="left", fontsize=12)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", fontsize=8, frameon=False, ncols=4)
    return fig


def monthly_chart(ds=None, measure: str = "ksi", unit: Unit = "collision", adjusted: bool = False,
                  groups: Optional[str] = None, table: Optional[pd.DataFrame] = None,
                  title: Optional[str] = None) -> Figure:
    """Monthly counts (bars) with the rolling 12-month total (line, right-hand axis).

    The rolling total R_t = sum of the 12 months to t (methods.md section 4.1) starts at the twelfth
    complete month; partial months at the edges of the data are drawn hatched and left out of it.
    """
    if table is None:
        if ds is None:
            raise ValueError("give a dataset or a monthly ksi_table result")
        table = ksi_table(ds, by="month", unit=unit, adjusted=adjusted, groups=groups)
    table = _single(table)
    if measure not in table.columns:
        raise ValueError(f"measure {measure!r} is not a column of the table")
    values = table[measure].astype(float)
    partial = table["partial"].to_numpy(dtype=bool) if "partial" in table.columns else np.zeros(len(values), bool)
    complete = values.where(~partial)
    rolling = complete.rolling(12, min_periods=12).sum()
    labels = [str(x) for x in table.index]
    x = np.arange(len(labels))

    fig, ax = _new_figure((9.0, 4.5))
    ax.bar(x[~partial], values.to_numpy()[~partial], width=0.8, color=_BAND, edgecolor=_GREY, linewidth=0.4,
           label=f"{_measure_name(measure)} per month")
    if partial.any():
        ax.bar(x[partial], values.to_numpy()[partial], width=0.8, color="white", edgecolor=_GREY, hatch="///",
               linewidth=0.6, label="partial month")
    ax.set_ylabel(f"{_measure_name(measure)} per month")
    ax.set_ylim(bottom=0)
    ax2 = ax.twinx()
    ax2.spines[["top"]].set_visible(False)
    ax2.plot(x, rolling.to_numpy(), color=_INK, linewidth=2.2, label="rolling 12-month total")
    ax2.set_ylabel("rolling 12-month total")
    top = np.nanmax(rolling.to_numpy()) if np.isfinite(rolling.to_numpy()).any() else 1.0
    ax2.set_ylim(0, top * 1.15)
    years = [i for i, lab in enumerate(labels) if lab.endswith("-01")]
    ticks = years if 2 <= len(years) <= 20 else list(_tick_positions(len(x)))
    ax.set_xticks(ticks, [labels[i][:4] if labels[i].endswith("-01") else labels[i] for i in ticks])
    ax.set_xlim(-0.6, len(x) - 0.4)
    handles = ax.get_legend_handles_labels()
    handles2 = ax2.get_legend_handles_labels()
    fig.legend(handles[0] + handles2[0], handles[1] + handles2[1], loc="outside lower center", fontsize=8,
               frameon=False, ncols=3)
    noun = "casualties" if table.attrs.get("unit", unit) == "casualty" else "collisions"
    if title is None:
        title = _with_group_and_name(f"{_measure_name(measure)} {noun} per month and rolling 12-month total", table, ds)
    ax.set_title(title, loc="left", fontsize=12)
    return fig


def save_png(fig: Figure, path: Union[str, "os.PathLike[str]", IO[Any]], dpi: int = 150) -> None:
    """Write a figure to PNG (Agg)."""
    fig.savefig(path, dpi=dpi, format="png")
