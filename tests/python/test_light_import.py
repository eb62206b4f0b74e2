"""`import roadsafe` and the command's help stay light: plotting, maps, GIS and statistics libraries load
on first use, not with the package (the import is paid by every `roadsafe` command and every notebook)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import roadsafe as rs

HEAVY = ("matplotlib", "geopandas", "shapely", "pyogrio", "scipy", "plotly", "jinja2", "sklearn")


def _heavy_modules_after(code: str) -> list[str]:
    """The heavy libraries in sys.modules of a fresh interpreter that ran ``code``."""
    probe = (f"import sys, json\n{code}\n"
             f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))")
    env = dict(os.environ, PYTHONPATH=str(Path(rs.__file__).resolve().parent.parent))
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("code", [
    "import roadsafe",
    "import roadsafe as rs; rs.read_stats19, rs.ksi_table, rs.hotspots.kde, rs.linkage.link, rs.__all__, dir(rs)",
    "from roadsafe.cli.main import build_parser; build_parser().format_help()",
    "from roadsafe.cli.main import main\ntry:\n    main(['trends', '--help'])\nexcept SystemExit:\n    pass",
])
def test_heavy_libraries_load_on_first_use_only(code):
    assert _heavy_modules_after(code) == []


def test_names_loaded_on_first_use_are_the_real_ones():
    from roadsafe.maps import board_report, charts, dashboard, hotspot_map

    assert (rs.plots, rs.hotspot_map, rs.board_report, rs.dashboard) == (charts, hotspot_map, board_report, dashboard)
    assert {"maps", "plots", "hotspot_map", "board_report", "dashboard"} <= set(dir(rs))
    assert set(rs.__all__) <= set(dir(rs))
    with pytest.raises(AttributeError, match="module 'roadsafe' has no attribute 'no_such_name'"):
        rs.no_such_name  # noqa: B018


def test_the_first_chart_still_shows_in_jupyter():
    """The figure class is made on first use; it is a matplotlib Figure that Jupyter shows as a PNG."""
    from matplotlib.figure import Figure
    from roadsafe.figures import new_figure

    fig = new_figure((2.0, 1.0))
    assert isinstance(fig, Figure) and type(fig) is type(new_figure((1.0, 1.0)))
    assert fig._repr_png_().startswith(b"\x89PNG")
