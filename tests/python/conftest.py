from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_DATA = REPO / "tests" / "data"
CAMBS_CSV = REPO / "datasets" / "cambridgeshire" / "Cambs_RTC.csv"


@pytest.fixture(scope="session")
def cambs():
    import roadsafe as rs

    return rs.datasets.cambridgeshire()
