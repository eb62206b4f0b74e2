"""Where roadsafe's shipped data files are: installed beside the package, or in a source checkout."""
from __future__ import annotations

from pathlib import Path


def _data_dir() -> Path:
    package = Path(__file__).resolve().parents[1]
    installed = package / "data"  # where `pip install .` puts datasets/
    if installed.is_dir():
        return installed
    return package.parents[1] / "datasets"  # an editable install or a source checkout


DATA_DIR = _data_dir()


def data_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("cambridgeshire", "Cambs_RTC.csv")``."""
    path = DATA_DIR.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"roadsafe's shipped data has no {'/'.join(parts)} (looked in {DATA_DIR})")
    return path


def profile_path(profile: str) -> str:
    """A profile file path, or the path of a shipped profile given by name."""
    p = Path(profile)
    if p.suffix == ".ini" or p.exists():
        return str(p)
    return str(data_path("profiles", f"{profile}.ini"))
