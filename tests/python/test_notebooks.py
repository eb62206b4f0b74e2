"""Every notebook in notebooks/ runs top to bottom without error (outputs are not kept in git), and every
cell that draws a chart shows it (an image output), as it would for an analyst in Jupyter."""
from __future__ import annotations

from pathlib import Path

import pytest

# A cell that calls one of these draws a chart, and must show it.
CHART_CALLS = ("rs.plots.", ".plot(", ".plot.", "plt.subplots", "Image(", ".chart(")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "outputs must be stripped"
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    charts = [c for c in nb.cells if c.cell_type == "code" and any(k in c.source for k in CHART_CALLS)]
    blank = [c.source.splitlines()[0] for c in charts
             if not any("image/png" in o.get("data", {}) for o in c.outputs)]
    assert blank == [], f"chart cells without a picture: {blank}"
