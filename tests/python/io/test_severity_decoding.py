"""Severity is decoded in one place (io.fields.severity_numbers): labels, DfT codes and codes written as text
all give 1 fatal / 2 serious / 3 slight, and anything else is unknown, never a severity."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe.io.fields import severity_names, severity_numbers


@pytest.mark.parametrize("values", [
    pd.Series(["Fatal", "serious", " Slight ", "Unknown", None]),
    pd.Series(["Fatal", "Serious", "Slight", "Unknown", None], dtype="category"),
    pd.Series([1, 2, 3, 4, np.nan]),
    pd.Series(["1", "2", "3", "-1", ""]),
])
def test_labels_codes_and_text_codes_decode_alike(values):
    np.testing.assert_array_equal(severity_numbers(values), [1.0, 2.0, 3.0, np.nan, np.nan])
    frame = pd.DataFrame({"collision_severity": values})
    assert severity_names(frame).tolist() == ["fatal", "serious", "slight", "", ""]


def test_ksi_table_counts_a_pandas_frame_with_dft_codes(cambs):
    # A table rebuilt in pandas with the data guide's codes counts as the labelled one does.
    coded = cambs.collisions.copy()
    coded["collision_severity"] = coded["collision_severity"].map({"Fatal": 1, "Serious": 2, "Slight": 3}).astype(int)
    by_code = rs.ksi_table(rs.Dataset.from_frames(coded), by="calendar_year")
    by_label = rs.ksi_table(cambs, by="calendar_year")
    pd.testing.assert_frame_equal(by_code[["fatal", "serious", "slight", "ksi"]],
                                  by_label[["fatal", "serious", "slight", "ksi"]])
    assert by_code.attrs.get("unknown_severity", 0) == 0
