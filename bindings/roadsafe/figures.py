"""Figures that show themselves: matplotlib Figures made without pyplot (no global state, no backend
switched, nothing left open to be shown twice) that a notebook displays inline as a PNG.

matplotlib is imported on the first figure, not with the package: `import roadsafe` stays light."""
from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@functools.cache
def _showable_figure_class() -> type[Figure]:
    """ShowableFigure, defined when matplotlib is first needed."""
    from matplotlib.figure import Figure

    class ShowableFigure(Figure):
        """A Figure on an Agg canvas that Jupyter shows as a picture when a cell returns it."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
            return buffer.getvalue()

    return ShowableFigure


def new_figure(figsize: tuple[float, float], **kwargs: Any) -> Figure:
    """A new figure of ``figsize`` inches, drawn with Agg whatever matplotlib's backend is; Jupyter shows it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _showable_figure_class()(figsize=figsize, dpi=100, **kwargs)
    FigureCanvasAgg(fig)
    return fig
