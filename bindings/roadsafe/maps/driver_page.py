"""The drivers page: one A4 PDF page of culpability, involvement ratios and the culpable-driver profile.

    import roadsafe as rs
    rs.maps.driver_page(ds, "drivers.pdf")                 # by driver age band, KSI as severe
    rs.maps.driver_page(ds, "drivers.pdf", links=links)    # severe = linked to a MAIS 3+ patient
"""
from __future__ import annotations

import os
import textwrap
from typing import Any, Optional, Union

import pandas as pd

from ..drivers.culpability import culpability, rule_summary
from ..drivers.involvement import InvolvementRatios, involvement_ratios
from ..drivers.profile import DriverProfile, driver_profile
from ..figures import new_figure
from ..io.output_files import check_output, written_whole
from .board_report import _chart_image, _table

_A4_PORTRAIT_IN = (210.0 / 25.4, 297.0 / 25.4)


def _fmt(v: float, decimals: int = 2) -> str:
    return "-" if pd.isna(v) else f"{v:,.{decimals}f}"


def driver_page(ds: Any, out: Union[str, "os.PathLike[str]"], by: str = "age_band_of_driver", links: Any = None,
                drivers: Optional[pd.DataFrame] = None, title: Optional[str] = None
                ) -> tuple[InvolvementRatios, DriverProfile]:
    """Write the drivers page to ``out`` (a PDF, written whole) and return the ratios and profile it prints:
    the share of drivers each rule decides and the share undetermined, the relative accident involvement
    ratios by ``by`` with 95% intervals (table and chart), and the profile chart of culpable drivers in
    severe collisions against fatal and all collisions."""
    from matplotlib.backends.backend_pdf import PdfPages

    out_path = check_output(out)
    d = culpability(ds) if drivers is None else drivers
    summary = rule_summary(d)
    ratios = involvement_ratios(d, by=by)
    profile = driver_profile(ds, links=links, drivers=d)
    fig = new_figure(_A4_PORTRAIT_IN)
    name = title or f"Driver culpability and involvement{': ' + ds.name if getattr(ds, 'name', '') else ''}"
    fig.text(0.06, 0.965, name, fontsize=14, fontweight="bold", va="top")
    undetermined = summary.attrs["undetermined_share"]
    decided = d["status"].value_counts()
    intro = (f"{len(d):,} drivers: {decided.get('culpable', 0):,} culpable, {decided.get('not culpable', 0):,} not "
             f"culpable, {decided.get('undetermined', 0):,} undetermined ({undetermined:.0%}), "
             f"by {d.attrs.get('method')}."
             f" Ratios are quasi-induced exposure: {ratios.pairs:,} two-vehicle collisions with one culpable and one "
             f"not-culpable driver; above 1 = over-involved as the party at fault. Victims random? chi-square "
             f"p = {ratios.chi_square['p_value']:.2g}, Cramer's V = {ratios.chi_square['cramers_v']:.3f}.")
    fig.text(0.06, 0.935, "\n".join(textwrap.wrap(intro, 120)), fontsize=7.5, va="top")
    t = ratios.table
    rows = [[str(i), f"{r.culpable:,}", f"{r.not_culpable:,}", _fmt(r.rair),
             f"{_fmt(r.rair_low)} - {_fmt(r.rair_high)}", f"{r.single_vehicle:,}", _fmt(r.sv_rair)]
            for i, r in zip(t.index, t.itertuples())][:14]
    _table(fig, (0.06, 0.67, 0.5, 0.2), [by.replace("_", " "), "culpable", "not culp.", "RAIR", "95% interval",
                                         "single veh.", "SV RAIR"],
           rows, [2.2, 1.2, 1.2, 0.9, 1.8, 1.2, 1.0], ["left"] + ["right"] * 6, size=6.5)
    top = summary.head(10)
    _table(fig, (0.6, 0.67, 0.34, 0.2), ["rule", "status", "share"],
           [[r.rule, r.status, f"{r.share:.1%}"] for r in top.itertuples()], [2.6, 1.5, 0.8],
           ["left", "left", "right"], size=6.5)
    _chart_image(fig, ratios.chart(), (0.06, 0.42, 0.88, 0.23), dpi=150)
    shown = [f for f in ("age_band_of_driver", "sex_of_driver", "vehicle_type", "vehicle_manoeuvre", "engine_size",
                         "journey_purpose_of_driver") if f in set(profile.table["field"])][:4]
    _chart_image(fig, profile.chart(shown or None), (0.03, 0.02, 0.94, 0.39), dpi=150)
    with written_whole(out_path) as tmp, PdfPages(tmp, metadata={"Title": name, "Creator": "roadsafe"}) as pdf:
        pdf.savefig(fig)
    return ratios, profile
