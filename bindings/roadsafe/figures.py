"""Figures that show themselves: matplotlib Figures made without pyplot (no global state, no backend
switched, nothing left open to be shown twice) that a notebook displays inline as a PNG."""
from __future__ import annotations

import io
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


class ShowableFigure(Figure):
    """A Figure on an Agg canvas that Jupyter shows as a picture when a cell returns it."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()


def new_figure(figsize: tuple[float, float], **kwargs: Any) -> ShowableFigure:
    """A new figure of ``figsize`` inches, drawn with Agg whatever matplotlib's backend is."""
    fig = ShowableFigure(figsize=figsize, dpi=100, **kwargs)
    FigureCanvasAgg(fig)
    return fig
