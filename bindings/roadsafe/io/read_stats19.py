"""read_stats19: DfT STATS19 files of any generation, or a local export through a mapping profile."""
from __future__ import annotations

from typing import Optional

from .dataset import Dataset


def read_stats19(paths, profile: Optional[str] = None, strict: bool = False, threads: int = 0,
                 progress: Optional[bool] = None, sheet: Optional[str] = None) -> Dataset:
    """Read STATS19 files of any DfT generation, or a local export through a mapping profile.

    ``paths``: one path or a list (plain CSV, ``.zip`` of CSVs, ``.gz``, or an http(s) URL). Collision,
    vehicle and casualty files are recognised from their headers and can be mixed; pre-2021
    (``Accident_Index``), 2021–2023 (``accident_index``) and 2024+ (``collision_index``) headers are all
    read. A collision, vehicle or casualty seen twice is loaded once and reported. Semicolon- and
    tab-separated files and UTF-16 text are read too; so are spreadsheets (``.xlsx``, ``.ods``, ``.xls``):
    ``sheet`` names the sheet (default: the first with rows), its first row being the header.
    ``profile``: a mapping profile path or the name of a shipped one (``"cambridgeshire_insight"``).
    ``strict``: raise on the first problem instead of reporting it.
    ``progress``: show a progress bar (default: when the input is larger than 50 MB).
    """
    import os

    from .. import _engine
    from .progress import progress_callback
    from .data_files import profile_path

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [os.fspath(p) for p in paths]
    profile_file = profile_path(profile) if profile else ""
    with progress_callback(paths, progress) as callback:
        engine_dataset = _engine.read_stats19(paths, profile_file, strict, threads, callback, sheet or "")
    return Dataset(engine_dataset)
