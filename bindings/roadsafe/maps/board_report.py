"""The board report: a two-page A4 PDF in the spirit of a partnership's data and intelligence report.

    import roadsafe as rs
    ds = rs.datasets.cambridgeshire()
    report = rs.board_report(ds, "cambridgeshire_report.pdf")
    report.ksi                 # the headline table as printed (by financial year)
    report.performance         # the performance block as printed

Page 1 (portrait): KSI collisions by financial year -- as recorded, and adjusted for the move to
injury-based severity reporting (DfT/ONS adjusted figures where the data carry them; otherwise the
reclassification step estimated from the data's own monthly series, and the page says which) -- with
MAIS 3+ columns when hospital (trauma) records are linked; the performance block (rolling 12 months,
year to date, the last full year against the previous year and the 3-year average, each with its
verdict); and the KSI trend chart with the switch date marked.
Page 2 (landscape): the hotspot map with its site table (``rs.hotspot_map``).
"""
from __future__ import annotations

import datetime as _dt
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Union

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .. import errors
from ..io.coverage import coverage_of, describe_spans
from ..io.output_files import check_output, written_whole
from ..figures import new_figure

__all__ = ["board_report", "BoardReport"]

_A4_PORTRAIT_MM = (210.0, 297.0)


@dataclass
class BoardReport:
    """What a board report printed: ``ksi`` (the headline table), ``performance`` (the block, with the
    verdict on the injury-based basis beside the recorded one: ``adjusted_verdict``),
    ``adjusted_basis`` (how the adjusted column was made), ``map`` (the map's MapInfo) and ``path``."""

    path: str
    pages: int
    title: str
    ksi: pd.DataFrame
    performance: pd.DataFrame
    adjusted_basis: str
    switch_date: Optional[pd.Timestamp]
    map: Any
    mais3: bool

    def __repr__(self) -> str:
        return (f"BoardReport: {self.pages} pages written to {self.path}; {len(self.ksi)} financial years, "
                f"adjusted KSI by {self.adjusted_basis}; {'with' if self.mais3 else 'without'} MAIS 3+; "
                f"{len(self.map.site_numbers) if self.map is not None else 0} mapped sites")


# --------------------------------------------------------------------------------------------------
# The numbers
# --------------------------------------------------------------------------------------------------

def _adjusted_ksi(ds: Any) -> tuple[Optional[pd.Series], str, Optional[pd.Timestamp], Any]:
    """KSI by financial year on the injury-based basis, how it was made, and the switch date."""
    from ..severity.published import has_adjusted
    from ..trends.periods import ksi_table
    from ..severity import reclassification_effect

    if has_adjusted(ds):
        table = ksi_table(ds, by="financial_year", adjusted=True)
        return (table["ksi_adjusted"], "DfT/ONS severity adjustment (the data's adjusted-severity probabilities)",
                None, None)
    try:
        effect = reclassification_effect(ds)
    except (ValueError, errors.RoadsafeError):  # too few months to fit: report the raw counts only
        return None, "not available (too few months of data to estimate the reclassification step)", None, None
    monthly = effect.series
    fy_start = np.where(monthly.index.month >= 4, monthly.index.year, monthly.index.year - 1)
    labels = [f"{y}-{(y + 1) % 100:02d}" for y in fy_start]
    corrected = monthly["ksi_corrected"].groupby(pd.Index(labels, name="financial_year")).sum()
    switch = pd.Period(effect.switch_month, freq="M").to_timestamp()
    basis = (f"the reclassification step estimated from the data (switch {switch:%B %Y}, serious "
             f"x{effect.rate_ratio:.2f}, 95% CI {effect.lower:.2f}-{effect.upper:.2f}): earlier months put on the "
             f"injury-based basis")
    return corrected, basis, switch, effect


def _mais3_table(ds: Any, trauma: Any, links: Any) -> Optional[pd.DataFrame]:
    """MAIS 3+ casualties by financial year from linked hospital records, or None without them."""
    if trauma is None and links is None:
        return None
    from ..linkage.links import link, severity_table
    from ..linkage.trauma import read_trauma

    if links is None:
        registry = trauma
        if isinstance(trauma, (str, Path)):
            registry = read_trauma(trauma)
        elif isinstance(trauma, (tuple, list)):  # (patients file, injuries file)
            registry = read_trauma(*trauma)
        casualties = getattr(ds, "casualties", None)
        links = link(ds, registry, unit="casualty" if casualties is not None and len(casualties) else "collision")
    return severity_table(ds, links, by="financial_year")


def _with_adjusted_verdicts(perf: pd.DataFrame, ds: Any, as_of: pd.Timestamp, effect: Any) -> pd.DataFrame:
    """The performance block with ``adjusted_verdict``: serious and KSI compared on the injury-based basis
    (the data's DfT probabilities, or the estimated step with its uncertainty), fatal as recorded (no
    reclassification touches it); without an adjusted basis the column is the recorded verdict."""
    from ..severity.published import has_adjusted
    from ..trends.performance import performance_summary

    out = perf.copy()
    out["adjusted_verdict"] = out["verdict"]
    if has_adjusted(ds):
        adjusted = performance_summary(ds, as_of=as_of, adjusted=True)
    elif effect is not None:
        adjusted = performance_summary(ds, as_of=as_of, adjusted=True, step=effect.step())
    else:
        return out
    verdicts = adjusted.set_index(["measure", "comparison"])["verdict"]
    for measure in ("serious", "ksi"):
        rows = out["measure"] == measure
        out.loc[rows, "adjusted_verdict"] = [verdicts.get((f"{measure}_adjusted", c), v)
                                             for c, v in zip(out.loc[rows, "comparison"], out.loc[rows, "verdict"])]
    out.attrs["adjusted_basis"] = adjusted.attrs.get("adjusted_basis")
    return out


def _headline(ds: Any, corrected: Optional[pd.Series], mais: Optional[pd.DataFrame]) -> pd.DataFrame:
    from ..trends.periods import ksi_table

    table = ksi_table(ds, by="financial_year")
    out = pd.DataFrame(index=table.index.astype(str))
    out.attrs.update({k: table.attrs[k] for k in ("undated", "unknown_severity")})
    for c in ("fatal", "serious", "slight", "ksi", "ksi_lower", "ksi_upper"):
        out[c] = table[c].to_numpy()
    if corrected is not None:
        out["ksi_adjusted"] = corrected.reindex(out.index).to_numpy(dtype=float)
    if mais is not None:
        m = mais.copy()
        m.index = m.index.astype(str)
        for c in ("severe_mais3", "killed_plus_severe"):
            if c in m.columns:
                out[c] = m[c].reindex(out.index).to_numpy(dtype=float)
        out.attrs["mais_unit"] = mais.attrs.get("unit", "casualty")
    out["partial"] = table["partial"].to_numpy(dtype=bool)
    out["coverage"] = table["coverage"].to_numpy(dtype=float)
    return out


# --------------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------------

def _table(fig: Figure, rect: tuple[float, float, float, float], header: list[str], rows: list[list[str]],
           widths: list[float], align: list[str], size: float = 8.0, bold_rows: Optional[set[int]] = None,
           shade: Optional[list[Optional[str]]] = None) -> None:
    """A plain ruled table drawn with text (prints crisply, and its text can be searched in the PDF)."""
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    n = len(rows) + 1
    h = 1.0 / n
    xs = np.concatenate([[0.0], np.cumsum(widths) / sum(widths)])
    for j, text in enumerate(header):
        x = xs[j] + 0.01 if align[j] == "left" else xs[j + 1] - 0.01
        ax.text(x, 1 - 0.5 * h, text, ha=align[j], va="center", fontsize=size, fontweight="bold", transform=ax.transAxes)
    ax.plot([0, 1], [1 - h, 1 - h], color="black", linewidth=0.8, transform=ax.transAxes)
    for i, row in enumerate(rows):
        y = 1 - (i + 1.5) * h
        if i % 2 == 1:
            ax.add_patch(Rectangle((0, y - 0.5 * h), 1, h, facecolor="#f0f0f0", edgecolor="none", transform=ax.transAxes))
        for j, text in enumerate(row):
            x = xs[j] + 0.01 if align[j] == "left" else xs[j + 1] - 0.01
            colour = "black"
            weight = "bold" if bold_rows and i in bold_rows else "normal"
            if shade and shade[j] and text in ("higher", "lower"):
                colour = "#b30000" if text == "higher" else "#006d2c"
                weight = "bold"
            ax.text(x, y, text, ha=align[j], va="center", fontsize=size, color=colour, fontweight=weight,
                    transform=ax.transAxes)
    ax.plot([0, 1], [0, 0], color="black", linewidth=0.6, transform=ax.transAxes)


def _chart_image(fig: Figure, chart: Figure, rect: tuple[float, float, float, float], dpi: int = 220) -> None:
    """Place another figure on the page as a picture (the chart functions build their own figures)."""
    from matplotlib.image import imread

    buf = io.BytesIO()
    chart.savefig(buf, format="png", dpi=dpi)
    buf.seek(0)
    ax = fig.add_axes(rect)
    ax.imshow(imread(buf), interpolation="lanczos")
    ax.set_axis_off()


def _fmt(v: float, decimals: int = 0) -> str:
    return "" if v is None or not np.isfinite(v) else f"{v:,.{decimals}f}"


def _trend_sentence(ds: Any, switch: Optional[pd.Timestamp]) -> str:
    """The annual KSI change over the complete years, as recorded and net of the reporting step."""
    from ..trends.annual_trend import annual_trend

    try:
        raw = annual_trend(ds, measure="ksi")
        text = (f"Annual change over the complete years {raw.table.index[0]} to {raw.table.index[-1]}: "
                f"{raw.annual_change:+.1%} a year as recorded (95% CI {raw.lower:+.1%} to {raw.upper:+.1%})")
        if switch is not None:
            net = annual_trend(ds, measure="ksi", switch_date=str(switch.date()))
            text += (f"; {net.annual_change:+.1%} a year ({net.lower:+.1%} to {net.upper:+.1%}) once the step from "
                     f"injury-based reporting is taken out")
    except ValueError:  # too few complete years for a trend
        return ""
    return text + f" ({raw.family} model of yearly counts)."


def _page_one(ds: Any, title: str, headline: pd.DataFrame, perf: pd.DataFrame, basis: str,
              switch: Optional[pd.Timestamp], corrected: Optional[pd.Series], as_of: pd.Timestamp) -> Figure:
    from .._version import __version__
    from .charts import ksi_trend_chart

    w, h = _A4_PORTRAIT_MM
    fig = new_figure((w / 25.4, h / 25.4))
    dates = pd.to_datetime(ds.collisions["date"]).dropna()
    fig.text(0.06, 0.963, title, fontsize=15, fontweight="bold", va="baseline")
    fig.text(0.06, 0.945, f"Injury road collisions reported to the police, {dates.min():%-d %B %Y} to "
                          f"{dates.max():%-d %B %Y}. Performance as of {as_of:%-d %B %Y}.", fontsize=8.5, va="baseline")
    fig.text(0.06, 0.931, f"Produced with roadsafe {__version__} on {_dt.date.today():%-d %B %Y}. Collision data: police "
                          "STATS19 records, Open Government Licence v3.0.", fontsize=7.5, color="#444444", va="baseline")

    # 1. Headline table.
    fig.text(0.06, 0.905, "1. Killed or seriously injured (KSI) collisions by financial year", fontsize=11,
             fontweight="bold", va="baseline")
    header = ["Financial year", "Fatal", "Serious", "Slight", "KSI", "KSI 95% interval"]
    widths = [1.3, 0.7, 0.85, 0.85, 0.65, 1.5]
    adjusted = "ksi_adjusted" in headline.columns
    mais = "severe_mais3" in headline.columns
    if adjusted:
        header.append("KSI adjusted")
        widths.append(1.2)
    if mais:
        header += ["MAIS 3+", "Killed + MAIS 3+"]
        widths += [0.85, 1.55]
    rows = []
    for label, r in headline.iterrows():
        if r["coverage"] == 0:  # no records cover the year: say so, never print a zero
            rows.append([f"{label} *", "no data", "no data", "no data", "no data", ""] + [""] * (len(header) - 6))
            continue
        row = [f"{label}{' *' if r['partial'] else ''}", _fmt(r["fatal"]), _fmt(r["serious"]), _fmt(r["slight"]),
               _fmt(r["ksi"]), f"{r['ksi_lower']:,.0f} to {r['ksi_upper']:,.0f}"]
        if adjusted:
            row.append(_fmt(r["ksi_adjusted"], 1))
        if mais:
            row += [_fmt(r.get("severe_mais3", np.nan)), _fmt(r.get("killed_plus_severe", np.nan))]
        rows.append(row)
    top = 0.893
    height = 0.0175 * (len(rows) + 1)
    _table(fig, (0.06, top - height, 0.88, height), header, rows, widths,
           ["left"] + ["right"] * (len(header) - 1), size=7.5 if mais else 8)
    notes = ["* part year: the records cover only part of this financial year (or none of it: no data), so its counts "
             "are not comparable. The records cover " + describe_spans(coverage_of(ds)) + ".",
             "KSI 95% interval: the exact Poisson interval for the count (the range of chance variation)."]
    if adjusted:
        notes.append("KSI adjusted: serious counts put on the injury-based (CRaSH) basis, as DfT does for trends, using "
                     + basis + ".")
    else:
        notes.append("KSI adjusted: " + basis + ".")
    for count, what in ((headline.attrs.get("undated", 0), "no date"),
                        (headline.attrs.get("unknown_severity", 0), "no known severity (fatal, serious or slight)")):
        if count:
            notes.append(f"{count:,} of {len(ds.collisions):,} collisions have {what} and are not counted "
                         "(see the load report).")
    selection = getattr(ds, "selection", None)
    if selection:
        notes.append("Selected from the loaded records: " + "; ".join(selection) + ".")
    if mais:
        unit = headline.attrs.get("mais_unit", "casualty")
        notes.append(f"MAIS 3+: non-fatal {unit} records linked to a hospital trauma patient with a maximum AIS of 3 or "
                     f"more (serious injury as hospitals measure it); Killed + MAIS 3+ = fatal + MAIS 3+.")
    y = top - height - 0.010
    for note in notes:
        lines = textwrap.wrap(note, 135)
        fig.text(0.06, y, "\n".join(lines), fontsize=7, va="top", color="#333333", linespacing=1.25)
        y -= 0.0105 * len(lines) + 0.002

    # 2. Performance block.
    y -= 0.022
    fig.text(0.06, y, f"2. Performance as of {as_of:%-d %B %Y}", fontsize=11, fontweight="bold", va="baseline")
    shown = perf[perf["measure"].isin(["fatal", "serious", "ksi"])]
    adjusted = perf.attrs.get("adjusted_basis") is not None
    header = ["Measure", "Comparison", "Current period", "Current", "Compared with", "Change", "Recorded"]
    widths = [0.75, 2.9, 1.65, 0.75, 1.15, 0.7, 0.95]
    if adjusted:  # one more column: the others give up a little room, the type a little size
        header.append("Adjusted")
        widths = [0.7, 2.95, 1.55, 0.6, 1.0, 0.55, 0.85, 0.85]
    rows = []
    for _, r in shown.iterrows():
        row = [str(r["measure"]).replace("ksi", "KSI"), str(r["comparison"]), str(r["current_period"]),
               _fmt(r["current"]) or "-", _fmt(r["reference"], 1) or "-", f"{r['change_percent']:+.0f}%"
               if np.isfinite(r["change_percent"]) else "", str(r["verdict"])]
        rows.append(row + ([str(r["adjusted_verdict"])] if adjusted else []))
    height = 0.0155 * (len(rows) + 1)
    top = y - 0.008
    # The colour follows one verdict only: the adjusted one where there is one (the recorded basis is the
    # one the move to injury-based reporting broke).
    shade: list[Optional[str]] = [None] * len(header)
    shade[-1] = "verdict"
    _table(fig, (0.06, top - height, 0.88, height), header, rows, widths,
           ["left", "left", "left", "right", "right", "right", "left"] + (["left"] if adjusted else []),
           size=6.6 if adjusted else 7.2, shade=shade)
    y = top - height - 0.012
    note = ("Verdict: higher or lower when the difference is beyond chance at the 95% level (exact test for "
            "Poisson counts), otherwise comparable; not covered when the records do not cover both periods. "
            "Compared with = the previous period's count or the average of the reference years.")
    if adjusted:
        note += (" Adjusted: serious and KSI compared on the injury-based basis (" + str(perf.attrs["adjusted_basis"])
                 + ", its uncertainty inside the test); fatal as recorded. The colour follows the adjusted verdict.")
    note_lines = textwrap.wrap(note, 135)
    fig.text(0.06, y, "\n".join(note_lines), fontsize=7, va="top", color="#333333", linespacing=1.25)

    # 3. Trend chart.
    y -= 0.0105 * len(note_lines) + 0.019
    fig.text(0.06, y, "3. KSI trend", fontsize=11, fontweight="bold", va="baseline")
    summary = _trend_sentence(ds, switch)
    if summary:
        y -= 0.008
        lines = textwrap.wrap(summary, 135)
        fig.text(0.06, y, "\n".join(lines), fontsize=7.5, va="top", color="#222222", linespacing=1.25)
        y -= 0.0105 * len(lines)
    complete = None
    if corrected is not None:  # part years are not drawn on the adjusted line: a part year is not a fall
        complete = corrected.where(~headline["partial"].reindex(corrected.index, fill_value=True))
    chart = ksi_trend_chart(ds, by="financial_year", switch_date=switch,
                            switch_label="injury-based reporting (estimated)" if switch is not None else "switch",
                            corrected=complete, corrected_label="KSI adjusted to injury-based reporting", title=" ")
    bottom = 0.035
    rect = (0.06, bottom, 0.88, max(0.15, y - 0.012 - bottom))
    chart.set_size_inches(rect[2] * w / 25.4, rect[3] * h / 25.4)
    _chart_image(fig, chart, rect)
    fig.text(0.94, 0.015, "Page 1 of 2", ha="right", fontsize=7, color="#444444")
    return fig


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------

def board_report(
    ds: Any,
    out: Union[str, Path],
    trauma: Any = None,
    links: Any = None,
    as_of: Any = None,
    title: Optional[str] = None,
    sites: Any = None,
    top: int = 10,
    shading: Optional[str] = "kde",
    progress: Optional[Callable[[str], None]] = None,
    roads: Any = None,
) -> BoardReport:
    """Write a two-page A4 board report (PDF) and return what it printed.

    - ``trauma``: hospital trauma records to link (adds MAIS 3+ columns): a patient file path, a
      (patients, injuries) pair of paths, or a ``rs.read_trauma`` registry; casualties are linked when
      the data has a casualty table, else collisions. Or ``links``: an existing ``rs.link`` result.
    - ``as_of``: the date of the performance block (default: the end of the last full month of data).
    - ``sites``, ``top``, ``shading``, ``roads``: passed to ``rs.hotspot_map`` for page 2.
    """
    from matplotlib.backends.backend_pdf import PdfPages

    from .printed_map import hotspot_map
    from ..trends.performance import default_as_of, performance_summary

    import matplotlib

    out_path = Path(out)
    if out_path.suffix.lower() != ".pdf":
        raise ValueError(f"out must end in .pdf; got {str(out)!r}")
    check_output(out_path)  # before the work: a missing folder fails now, not after it
    paths = [trauma] if isinstance(trauma, (str, Path)) else list(trauma) if isinstance(trauma, (tuple, list)) else []
    for path in paths:
        if not Path(path).exists():
            raise errors.RoadsafeIOError(f"trauma file not found: {path}", file=str(path))
    step = progress or (lambda _stage: None)
    name = getattr(ds, "name", None)
    if title is None:
        title = "Road safety report" + (f": {name.split(' 20')[0]}" if name else "")

    step("hospital records")
    mais = _mais3_table(ds, trauma, links)
    step("severity adjustment")
    corrected, basis, switch, effect = _adjusted_ksi(ds)
    headline = _headline(ds, corrected, mais)
    step("performance")
    as_of_ts = pd.Timestamp(as_of) if as_of is not None else default_as_of(ds)
    perf = _with_adjusted_verdicts(performance_summary(ds, as_of=as_of_ts), ds, as_of_ts, effect)
    step("trend chart")
    page1 = _page_one(ds, title, headline, perf, basis, switch, corrected, as_of_ts)
    step("hotspot map")
    page2 = hotspot_map(ds, sites=sites, top=top, shading=shading, roads=roads, title="Injury collision hotspots"
                        + (f": {name.split(' 20')[0]}" if name else ""))
    page2.text(0.965, 0.018, "Page 2 of 2", ha="right", fontsize=7, color="#444444")
    step("writing")
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        metadata = {"Title": title, "Creator": "roadsafe"}
        if getattr(ds, "selection", None):
            metadata["Subject"] = "Selected: " + "; ".join(ds.selection)
        with written_whole(out_path) as tmp, PdfPages(tmp, metadata=metadata) as pdf:
            pdf.savefig(page1)
            pdf.savefig(page2)
    return BoardReport(path=str(out_path), pages=2, title=title, ksi=headline, performance=perf, adjusted_basis=basis,
                       switch_date=switch, map=getattr(page2, "roadsafe_map"), mais3=mais is not None)
