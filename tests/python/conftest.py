"""Fixtures and helpers shared by every Python test: the shipped data, the raw CSV, the command."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_DATA = REPO / "tests" / "data"
# Every 2015 collision of four forces (35, 13, 48, 98), byte for byte from DfT's national files.
NATIONAL_2015 = [TEST_DATA / "national_2015" / f"{t}_2015_four_forces.csv.gz" for t in ("Accidents", "Vehicles",
                                                                                         "Casualties")]
CAMBS_CSV = REPO / "datasets" / "cambridgeshire" / "Cambs_RTC.csv"


@pytest.fixture(scope="session")
def national():
    """The four forces' 2015 collisions, vehicles and casualties from DfT's national files."""
    import roadsafe as rs

    return rs.read_stats19(NATIONAL_2015)


@pytest.fixture(scope="session")
def cambs():
    import roadsafe as rs

    return rs.datasets.cambridgeshire()


def raw_cambs_rows() -> tuple[list[str], list[list[str]]]:
    """The raw Cambridgeshire export read with Python's csv module: an independent reader for checks."""
    with open(CAMBS_CSV, encoding="latin-1", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def financial_year_of(yyyymmdd: str) -> str:
    """The April-March financial year of a YYYYMMDD date, labelled like "2012-13"."""
    d = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


@pytest.fixture
def cli_main():
    """The `roadsafe` command's entry point, called in-process: main(argv) -> exit code."""
    from roadsafe.cli.main import main

    return main


def run_roadsafe(*args: str) -> subprocess.CompletedProcess:
    """The `roadsafe` command as a user runs it, in its own process (the console script, else python -m)."""
    exe = shutil.which("roadsafe")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "roadsafe.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)
