"""The awkward-input corpus (tests/data/awkward/, written by its make_awkward.py from clean.csv): each file
an analyst really produces, with the exact outcome of reading it — the same collisions as the clean file,
the exact report entries, or the exact error and exit code of the command line."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pandas as pd
import pytest
import roadsafe as rs
from roadsafe import errors
from roadsafe.cli.main import main

AWKWARD = Path(__file__).resolve().parents[2] / "data" / "awkward"
SPREADSHEET = "sheet 'Accidents' of a spreadsheet"

# File -> how the load report describes it: read as the clean file, to the same 40 collisions, no problems.
SAME_AS_CLEAN = {
    "clean.csv": "pre-2021",
    "windows_line_ends.csv": "pre-2021",
    "excel_csv_utf8_bom.csv": "pre-2021",
    "excel_unicode_text.txt": "pre-2021, UTF-16 text, tab-separated",  # Excel's "Unicode Text": UTF-16, tab-separated
    "utf16_big_endian.csv": "pre-2021, UTF-16 (big-endian) text",
    "semicolons.csv": "pre-2021, semicolon-separated",
    "tabs.tsv": "pre-2021, tab-separated",
    "every_field_quoted.csv": "pre-2021",
    "no_final_newline.csv": "pre-2021",
    "blank_lines.csv": "pre-2021",
    "gzipped.csv.gz": "pre-2021",
    "zipped.zip": "pre-2021",
    "spreadsheet.xlsx": f"pre-2021, {SPREADSHEET}",
    "spreadsheet.ods": f"pre-2021, {SPREADSHEET}",
    "old_excel.xls": f"pre-2021, {SPREADSHEET}",
    "notes_first.xlsx": f"pre-2021, {SPREADSHEET}",  # the sheet holding the key column, not the notes before it
    "columns_reordered.csv": "pre-2021",
    "extra_column.csv": "pre-2021",
    "lower_case_headers.csv": "2021-2023",
    "spaces_in_headers.csv": "pre-2021",
    "iso_dates.csv": "pre-2021",
    "dates_with_midnight.csv": "pre-2021",
    "two_digit_years.csv": "pre-2021",
    "times_with_seconds.csv": "pre-2021",
    "severity_labels.csv": "pre-2021",
}

DUPLICATE = "a row with the same key was loaded before it"

# File -> (collisions loaded, the grouped report: outcome, column, reason, count, first line).
REPORTED = {
    "month_first_dates.csv": (40, [("row loaded, flagged", "Date", "dates are written month first (MM/DD/YYYY), as "
                                    "this value shows: all are read so", 1, 8)]),
    "thousands_separators.csv": (40, [("value set missing", "Location_Easting_OSGR",
                                       "a number with thousands separators: save it without them", 1, 2)]),
    "stray_quote.csv": (39, [("row rejected", "", "a quoted field opened on line 6 is not closed before the end of "
                              "the file", 1, 6)]),
    "truncated.csv": (39, [("row rejected", "", "expected 32 fields, found 2", 1, 41)]),
    "rows_repeated.csv": (40, [("duplicate not loaded", "collision_index", DUPLICATE, 10, 42)]),
    "two_exports_joined.csv": (40, [("row rejected", "", "the header line again (files joined end to end?): not a row",
                                     1, 42),
                                    ("duplicate not loaded", "collision_index", DUPLICATE, 40, 43)]),
}

SCIENTIFIC = ("a number in scientific notation, as a spreadsheet shows long numbers: its digits are lost; export "
              "the column formatted as text")

# File -> (exit code, the command line's message after "roadsafe: ").
REFUSED = {
    "empty.csv": (3, "bad input: {path}: the file is empty"),
    "web_page_saved_as.csv": (3, "bad input: {path}:1: value '<!DOCTYPE html>': not a STATS19 file: the header has no "
                                 "collision_index (or accident_index) column"),
    "header_only.csv": (3, "bad input: no rows were loaded from {path}: the files hold a header and no rows"),
    "index_in_scientific_notation.csv": (3, "bad input: no rows were loaded from {path}: 3 x row rejected: "
                                            f"accident_index: {SCIENTIFIC} (first at line 2)"),
}


def run_trends(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["trends", str(path)])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    return rs.read_stats19(AWKWARD / "clean.csv").collisions


def comparable(collisions: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    return collisions[[c for c in like.columns if c not in ("source_file", "source_line")]].reset_index(drop=True)


def test_the_corpus_is_complete():
    files = {p.name for p in AWKWARD.iterdir() if p.name != "make_awkward.py"}
    named = set(SAME_AS_CLEAN) | set(REPORTED) | set(REFUSED) | {"no_date_column.csv", "renamed_severity.csv"}
    assert files == named and len(files) >= 30


@pytest.mark.parametrize("name", sorted(SAME_AS_CLEAN))
def test_read_as_the_clean_file(name, clean):
    ds = rs.read_stats19(AWKWARD / name)
    pd.testing.assert_frame_equal(comparable(ds.collisions, clean), comparable(clean, clean))
    assert ds.report.entries.empty
    assert ds.report.files.generation.tolist() == [SAME_AS_CLEAN[name]]


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_read_with_its_problems_reported(name, clean):
    rows, expected = REPORTED[name]
    ds = rs.read_stats19(AWKWARD / name)
    assert len(ds.collisions) == rows
    s = ds.report.summary()
    assert list(zip(s.outcome, s.column, s.reason, s["count"], s.first_line)) == expected
    # Every row loaded is the clean file's row (the duplicates and the rejected lines are not loaded); the
    # easting set missing leaves that row's location to its longitude and latitude.
    same_rows = clean[clean.collision_index.isin(ds.collisions.collision_index)]
    located = ["location_easting_osgr", "location_northing_osgr", "location_status"]
    pd.testing.assert_frame_equal(comparable(ds.collisions, clean).drop(columns=located),
                                  comparable(same_rows, clean).drop(columns=located))


def test_repeated_problems_are_one_line_on_screen():
    code, out, _ = run_trends(AWKWARD / "two_exports_joined.csv")
    assert code == 0
    assert f"      40 x duplicate not loaded: collision.collision_index: {DUPLICATE} (first at line 43)" in out
    assert out.count("duplicate not loaded") == 1


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_a_plain_message(name):
    code, message = REFUSED[name]
    got, _, err = run_trends(AWKWARD / name)
    assert (got, err.strip()) == (code, "roadsafe: " + message.format(path=AWKWARD / name))


def test_a_missing_column_is_named_with_its_closest_match():
    code, _, err = run_trends(AWKWARD / "renamed_severity.csv")
    assert code == 3
    assert err.startswith("roadsafe: bad input: the collisions have no collision_severity column, which counting by "
                          "severity needs; their columns: collision_index, ")
    assert err.strip().endswith("is 'severity' it? (a mapping profile can name it)")
    code, _, err = run_trends(AWKWARD / "no_date_column.csv")
    assert code == 3 and "the collisions have no date column, which counting by period needs" in err


def test_a_sheet_is_chosen_by_name(clean):
    ds = rs.read_stats19(AWKWARD / "notes_first.xlsx", sheet="Accidents")
    pd.testing.assert_frame_equal(comparable(ds.collisions, clean), comparable(clean, clean))
    with pytest.raises(errors.SchemaMismatchError) as e:
        rs.read_stats19(AWKWARD / "notes_first.xlsx", sheet="Sheet1")
    assert str(e.value) == (f"{AWKWARD / 'notes_first.xlsx'}: the spreadsheet has no sheet 'Sheet1'; its sheets are "
                            "'Notes', 'Accidents'")
    with pytest.raises(errors.SchemaMismatchError, match="not a STATS19 file"):
        rs.read_stats19(AWKWARD / "notes_first.xlsx", sheet="Notes")
