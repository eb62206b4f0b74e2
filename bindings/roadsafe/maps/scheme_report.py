"""The one-page scheme evaluation report (A4 PDF): did the schemes work, pooled and per scheme.

    ev = rs.evaluate_schemes(ds, "schemes.gpkg", before_years=2, after_years=2)
    rs.maps.scheme_report(ev, "schemes.pdf", title="Junction schemes 2014")

On the page: the periods, severity, buffer and prediction model used; the pooled estimate by Empirical Bayes
beside the comparison-group and naive ones (so the reader sees what regression to the mean did); the forest
chart of the schemes; the table of schemes (observed before and after, expected without the scheme, change with
its interval); and the schemes where collisions rose above what was expected.
"""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np

from ..figures import new_figure
from ..io.output_files import check_output, written_whole
from .board_report import _chart_image, _table

_A4_INCHES = (210 / 25.4, 297 / 25.4)


def _pct(v: float) -> str:
    return "n/a" if not np.isfinite(v) else f"{v:+.0f}%"


def _change(reduction: float, low: float, high: float) -> str:
    """A change as a board reads it: "-18% (-30% to -5%)" (negative = fewer)."""
    return f"{_pct(-reduction)} ({_pct(-high)} to {_pct(-low)})"


def scheme_report(evaluation: Any, out: Union[str, Path], title: Optional[str] = None, top: int = 18) -> str:
    """Write the one-page report of ``evaluation`` (``rs.evaluate_schemes``) to ``out`` (.pdf); returns the path.
    ``top``: how many schemes the table and chart show (those with most collisions before)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    out_path = Path(out)
    if out_path.suffix.lower() != ".pdf":
        raise ValueError(f"out must end in .pdf; got {str(out)!r}")
    check_output(out_path)
    ev = evaluation
    title = title or f"Did the schemes work? {len(ev.schemes)} schemes, before and after"
    fig = new_figure(_A4_INCHES)
    fig.text(0.06, 0.965, title, fontsize=14, fontweight="bold", va="top")
    settings = textwrap.fill(ev.settings + f". Data: {ev.coverage}.", 120)
    fig.text(0.06, 0.935, settings, fontsize=7.5, va="top", color="#333333")

    r = ev.result
    lo, hi = r.percent_interval
    verdict = (f"{r.method}: {r.observed_after:g} collisions after the schemes where {r.expected_after:.1f} were "
               f"expected without them, a change of {_change(r.percent_change, lo, hi)} ({r.confidence:.0%} "
               f"interval).")
    if np.isfinite(hi) and np.isfinite(lo):
        verdict += (" The fall is beyond chance." if lo > 0 else " The rise is beyond chance." if hi < 0
                    else " Chance alone could give this.")
    fig.text(0.06, 0.895, textwrap.fill(verdict, 95), fontsize=9, va="top", fontweight="bold")

    header = ["Method", "Before", "After", "Expected after", "Change (95% interval)", "Log-scale interval"]
    rows = []
    for m in (ev.eb, ev.comparison_group, ev.naive):
        a, b = m.percent_interval
        rows.append([m.method, f"{m.observed_before:g}", f"{m.observed_after:g}", f"{m.expected_after:.1f}",
                     _change(m.percent_change, a, b),
                     f"{_pct(100 * (m.log_lower - 1))} to {_pct(100 * (m.log_upper - 1))}"])
    _table(fig, (0.06, 0.785, 0.88, 0.075), header, rows, [2.2, 0.9, 0.9, 1.3, 2.2, 1.7],
           ["left", "right", "right", "right", "right", "right"], size=7.5, bold_rows={0})
    fig.text(0.06, 0.772, textwrap.fill(
        "Empirical Bayes allows for the trend and for regression to the mean (sites picked for high counts fall "
        "back without treatment); the comparison group allows for the trend only; the naive figure for neither. "
        "The gap between them is what regression to the mean and the trend would have credited to the schemes.",
        130), fontsize=6.5, va="top", color="#444444", style="italic")

    chart = ev.chart(top=min(top, 14))
    chart.set_size_inches(7, 3.6)
    _chart_image(fig, chart, (0.04, 0.44, 0.92, 0.30))

    shown = ev.schemes.sort_values("observed_before", ascending=False, kind="stable").head(top)
    # Per scheme the counts are small: the log-scale interval, which never reaches below -100 %.
    header = ["Scheme", "Site", "Works", "Before", "After", "Expected", "Change (95% log-scale interval)"]
    rows = []
    for name, s in shown.iterrows():
        works = f"{s['start']:%b %Y}" + (f"-{s['end']:%b %Y}" if s["end"] > s["start"] else "")
        rows.append([str(name)[:34], str(s.get("site_kind", s["geometry_type"])), works, f"{s['observed_before']:g}",
                     f"{s['observed_after']:g}", f"{s['expected_after']:.1f}",
                     _change(s["percent_change"], 100 * (1 - s["log_upper"]), 100 * (1 - s["log_lower"]))])
    height = 0.0135 * (len(rows) + 1)
    _table(fig, (0.06, 0.425 - height, 0.88, height), header, rows, [2.5, 1.5, 1.3, 0.7, 0.7, 0.9, 2.3],
           ["left", "left", "left", "right", "right", "right", "right"], size=6.5)
    more = len(ev.schemes) - len(shown)
    y = 0.415 - height
    if more > 0:
        fig.text(0.06, y, f"... and {more} more scheme(s) (all are in the table the command writes)", fontsize=6.5,
                 va="top", color="#444444")
        y -= 0.015
    rose = ev.rose
    names = ", ".join(f"{n} ({s['observed_after']:g} after, {s['expected_after']:.1f} expected)"
                      for n, s in rose.head(12).iterrows())
    text = (f"Collisions rose above what was expected at {len(rose)} of {len(ev.schemes)} schemes"
            + (f": {names}" + (f" and {len(rose) - 12} more" if len(rose) > 12 else "") if len(rose) else "")
            + ". These are the sites to look at again.")
    fig.text(0.06, y - 0.005, textwrap.fill(text, 140), fontsize=7, va="top", color="#b30000")
    fig.text(0.06, 0.02, "Method: Hauer's Empirical Bayes before/after estimator (Observational before-after studies, "
             "1997), predictions from a negative binomial model fitted by roadsafe.", fontsize=6, color="#666666")
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        with written_whole(out_path) as tmp, PdfPages(tmp, metadata={"Title": title, "Creator": "roadsafe"}) as pdf:
            pdf.savefig(fig)
    return str(out_path)
