"""Each kind of bad input raises its own roadsafe.errors class, naming file, line, column and value."""
from __future__ import annotations

import pytest
import roadsafe as rs
from roadsafe import errors

HEADER = "collision_index,collision_year,collision_ref_no,date,time,collision_severity,lsoa_of_collision_location\n"
GOOD = "2023010000001,2023,010000001,21/02/2023,08:15,3,E01000001\n"  # day 21: the file is day first


def write(tmp_path, name, content: bytes | str):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return p


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(errors.RoadsafeIOError) as e:
        rs.read_stats19(tmp_path / "nope.csv")
    assert isinstance(e.value, OSError)
    assert e.value.file == str(tmp_path / "nope.csv")
    assert str(e.value) == f"{tmp_path / 'nope.csv'}: cannot open file (does it exist?)"


def test_empty_file(tmp_path):
    p = write(tmp_path, "empty.csv", "")
    with pytest.raises(errors.InvalidInputError, match="the file is empty") as e:
        rs.read_stats19(p)
    assert isinstance(e.value, ValueError) and e.value.file == str(p)


def test_binary_file_is_not_csv(tmp_path):
    p = write(tmp_path, "image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(errors.SchemaMismatchError, match="not a CSV text file"):
        rs.read_stats19(p)


def test_csv_without_an_index_column(tmp_path):
    p = write(tmp_path, "other.csv", "name,count\nx,1\n")
    with pytest.raises(errors.SchemaMismatchError, match="not a STATS19 file") as e:
        rs.read_stats19(p)
    assert e.value.line == 1


def test_bad_date_is_reported_and_strict_raises(tmp_path):
    p = write(tmp_path, "bad_date.csv", HEADER + GOOD + "2023010000002,2023,010000002,31/02/2023,08:15,3,E01000001\n")
    ds = rs.read_stats19(p)
    assert len(ds.collisions) == 2 and ds.collisions.date.isna().sum() == 1
    entry = ds.report.entries.iloc[0]
    assert (entry.line, entry.column, entry.value, entry.reason, entry.outcome) == (
        3, "date", "31/02/2023", "not a valid calendar date", "value set missing")
    with pytest.raises(errors.InvalidInputError) as e:
        rs.read_stats19(p, strict=True)
    assert (e.value.file, e.value.line, e.value.column, e.value.value) == (str(p), 3, "date", "31/02/2023")
    assert str(e.value) == f"{p}:3: column 'date': value '31/02/2023': not a valid calendar date"


def test_wrong_field_count_rejects_the_row(tmp_path):
    p = write(tmp_path, "short.csv", HEADER + GOOD + "2023010000002,2023,010000002,01/02/2023\n")
    ds = rs.read_stats19(p)
    assert len(ds.collisions) == 1
    f = ds.report.files.iloc[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (2, 1, 1)
    entry = ds.report.entries.iloc[0]
    assert (entry.line, entry.reason, entry.outcome) == (3, "expected 7 fields, found 4", "row rejected")


def test_invalid_utf8_is_an_encoding_error_in_strict_mode(tmp_path):
    p = write(tmp_path, "latin.csv", (HEADER + GOOD).encode() + b"2023010000002,2023,010000002,01/02/2023,08:15,3,E01\xe9\n")
    ds = rs.read_stats19(p)
    assert ds.report.entries.iloc[0].value == "E01\\xE9"
    with pytest.raises(errors.EncodingError, match="not valid UTF-8"):
        rs.read_stats19(p, strict=True)


def test_unknown_code_is_kept_and_flagged(tmp_path):
    p = write(tmp_path, "code.csv", HEADER + "2023010000002,2023,010000002,21/02/2023,08:15,7,E01000001\n")
    ds = rs.read_stats19(p)
    assert ds.collisions.collision_severity.iloc[0] == "code 7 (not in the data guide)"
    assert ds.report.entries.iloc[0].outcome == "row loaded, flagged"


def test_unknown_profile_name(tmp_path):
    p = write(tmp_path, "x.csv", HEADER + GOOD)
    with pytest.raises(FileNotFoundError, match="no profiles/no_such_profile.ini"):
        rs.read_stats19(p, profile="no_such_profile")
