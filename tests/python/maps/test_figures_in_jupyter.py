"""Figures an analyst gets back show inline in Jupyter once: a PNG repr, no pyplot state, no backend switched."""
from __future__ import annotations

import matplotlib
import roadsafe as rs


def test_figures_show_as_png_and_leave_pyplot_and_the_backend_alone(cambs):
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    figures = [rs.plots.ksi_trend_chart(cambs), rs.plots.monthly_chart(cambs),
               rs.reclassification_effect(cambs).plot(), rs.annual_trend(cambs).chart()]
    for fig in figures:
        png = fig._repr_png_()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert plt.get_fignums() == []  # nothing left open for pyplot to show a second time
    assert matplotlib.get_backend() == backend
    _, ax = plt.subplots()
    assert rs.annual_trend(cambs).chart(ax=ax) is ax  # drawn on the caller's axes
    plt.close("all")
