"""Reading real DfT samples of each file generation through the Python API."""
from __future__ import annotations

import gzip
import zipfile

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs

from conftest import TEST_DATA

STATS19 = TEST_DATA / "stats19"


def test_each_generation_gets_data_guide_names():
    ds = rs.read_stats19([STATS19 / "collisions_pre2021_handmade.csv", STATS19 / "casualties_sample_raw.csv",
                          STATS19 / "vehicles_sample_raw.csv", STATS19 / "accidents_sample.csv",
                          STATS19 / "dft-road-casualty-statistics-casualty-2021_first60rows.csv"])
    files = ds.report.files.set_index(ds.report.files.file.str.rsplit("/", n=1).str[-1])
    assert files.loc["collisions_pre2021_handmade.csv", "generation"] == "pre-2021"
    assert files.loc["accidents_sample.csv", "generation"] == "2021-2023"
    assert files.loc["dft-road-casualty-statistics-casualty-2021_first60rows.csv", "generation"] == "2024+"
    assert files.loc["casualties_sample_raw.csv", "table"] == "casualty"
    for name in ("collision_index", "first_road_class", "local_authority_district", "collision_severity"):
        assert name in ds.collisions.columns
    assert "casualty_adjusted_serious" in ds.casualties.columns
    # Adjusted probabilities: non-fatal rows of the real 2021 sample sum to one.
    k = ds.casualties.dropna(subset=["casualty_adjusted_serious"])
    nonfatal = k[k.casualty_severity != "Fatal"]
    assert np.allclose(nonfatal.casualty_adjusted_serious + nonfatal.casualty_adjusted_slight, 1.0)


def test_missing_values_are_not_codes():
    ds = rs.read_stats19(STATS19 / "accidents_sample.csv")
    c = ds.collisions
    # -1 in the real 2023 rows (local_authority_district, junction_control) loads as missing.
    assert c.local_authority_district.isna().all()
    assert c.loc[c.collision_index == "2023471310743", "junction_control"].isna().all()
    assert c.loc[c.collision_index == "2023010451590", "junction_control"].iloc[0] == "unknown (self reported)"
    assert c.loc[c.collision_index == "2023471310743", "speed_limit"].iloc[0] == 30


def test_compressed_inputs_read_like_plain_files(tmp_path):
    plain = STATS19 / "accidents_sample.csv"
    gz = tmp_path / "accidents.csv.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    zp = tmp_path / "both.zip"
    with zipfile.ZipFile(zp, "w") as z:
        z.write(plain, "accidents.csv")
        z.write(STATS19 / "casualties_sample.csv", "casualties.csv")
    a, b, c = rs.read_stats19(plain), rs.read_stats19(gz), rs.read_stats19(zp)
    cols = ["collision_index", "collision_severity", "date", "speed_limit"]
    pd.testing.assert_frame_equal(a.collisions[cols], b.collisions[cols])
    pd.testing.assert_frame_equal(a.collisions[cols], c.collisions[cols])
    assert len(c.casualties) == 3


def test_the_same_file_twice_is_loaded_once():
    path = STATS19 / "accidents_sample.csv"
    ds = rs.read_stats19([path, path])
    assert len(ds.collisions) == 3
    assert list(ds.report.files.rows_duplicate) == [0, 3]
    assert (ds.report.entries.outcome == "duplicate not loaded").sum() == 3


@pytest.mark.parametrize("name, line, column, reason, outcome", [
    ("bad_date.csv", 3, "date", "not a valid calendar date", "value set missing"),
    ("too_many_fields.csv", 3, "", "expected 37 fields, found 38", "row rejected"),
    ("unknown_code.csv", 3, "accident_severity", "code is not in the data guide's list for this field",
     "row loaded, flagged"),
    ("missing_index.csv", 3, "accident_index", "a key field is empty; the row cannot be joined", "row rejected"),
])
def test_malformed_rows_are_reported_not_lost(name, line, column, reason, outcome):
    ds = rs.read_stats19(TEST_DATA / "malformed" / name)
    f = ds.report.files.iloc[0]
    assert f.rows_read == f.rows_loaded + f.rows_rejected + f.rows_duplicate
    e = ds.report.entries.iloc[0]
    assert (e.line, e.column, e.reason, e.outcome) == (line, column, reason, outcome)


def test_progress_callback_is_called():
    seen = []
    from roadsafe import _engine

    _engine.read_stats19([str(STATS19 / "accidents_sample.csv")], "", False, 1, lambda f, stage: seen.append(f) or True)
    assert seen and seen[-1] == pytest.approx(1.0)


def test_synthetic_files_round_trip(tmp_path):
    from roadsafe import _engine

    info = _engine.synth.write_stats19_synthetic(str(tmp_path), years=2, collisions_per_year=2000, seed=3)
    ds = rs.read_stats19([info["collisions"], info["vehicles"], info["casualties"]])
    assert (len(ds.collisions), len(ds.vehicles), len(ds.casualties)) == (
        info["n_collisions"], info["n_vehicles"], info["n_casualties"])
    assert ds.report.entries.empty
    v = ds.vehicles
    assert (ds.collisions.collision_index.to_numpy()[v.collision_row.to_numpy()] == v.collision_index.to_numpy()).all()


def test_url_input_through_gdal_vsicurl():
    """A URL is read through GDAL's /vsicurl/, here from a server on loopback."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(STATS19))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/accidents_sample.csv"
        remote = rs.read_stats19(url)
    finally:
        server.shutdown()
    local = rs.read_stats19(STATS19 / "accidents_sample.csv")
    assert list(remote.collisions.collision_index) == list(local.collisions.collision_index)
    assert remote.report.files.iloc[0].file == f"/vsicurl/{url}"


MALFORMED = TEST_DATA / "malformed"


def test_quoted_line_breaks_in_a_2024_file():
    ds = rs.read_stats19(MALFORMED / "multiline_2024.csv")
    c = ds.collisions
    assert list(c.source_line) == [2, 3, 6]
    assert c.location_description.iloc[1] == 'A10 NORTHBOUND\nJUNCTION WITH MILL RD,\n"THE BRIDGE" END'
    e = ds.report.entries
    assert len(e) == 1
    assert (e.line.iloc[0], e.column.iloc[0], e.value.iloc[0], e.reason.iloc[0], e.outcome.iloc[0]) == (
        6, "time", "25:61", "not a valid time of day", "value set missing")


def test_quoted_line_breaks_in_a_cambridgeshire_excel_export():
    ds = rs.read_stats19(MALFORMED / "multiline_cambridgeshire.csv", profile="cambridgeshire_insight")
    c = ds.collisions
    assert list(c.source_line) == [2, 3, 5]
    assert list(c.location_description) == [
        "A14 EASTBOUND JUNCTION DRY DRAYTON RD CAMBRIDGE",
        "A15 LONDON RD\n300M SOUTH OF PHORPRES WAY PETERBOROUGH",
        "A1303 NEWMARKET RD BOTTISHAM"]
    assert ds.report.entries.empty


def test_a_quote_never_closed_is_reported_with_its_line():
    path = MALFORMED / "multiline_unclosed_quote.csv"
    ds = rs.read_stats19(path)
    assert list(ds.collisions.source_line) == [2, 3, 5, 7]
    f = ds.report.files.iloc[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (5, 4, 1)
    e = ds.report.entries.iloc[0]
    line6 = path.read_text().split("\n")[5]
    assert (e.line, e.column, e.value, e.reason, e.outcome) == (
        6, "", line6[:200],  # values in the report are cut at 200 bytes
        "a quoted field opened on line 6 is not closed before the end of the file", "row rejected")
    with pytest.raises(rs.errors.InvalidInputError, match="opened on line 6") as err:
        rs.read_stats19(path, strict=True)
    assert err.value.line == 6


@pytest.mark.parametrize("name, error, reason", [
    ("empty.csv", "InvalidInputError", "the file is empty"),
    ("binary.csv", "SchemaMismatchError", "not a CSV text file: NUL byte at byte 9"),
    ("not_text.csv", "SchemaMismatchError", "not a CSV text file: not UTF-8 or Windows-1252 text (byte 0x1B at byte 1)"),
])
def test_an_unreadable_file_next_to_a_good_one(name, error, reason):
    good = STATS19 / "collisions_2024_handmade.csv"
    bad = MALFORMED / name
    ds = rs.read_stats19([good, bad])
    assert len(ds.collisions) == 3
    assert list(ds.report.files.file) == [str(good), str(bad)]
    assert list(ds.report.files.rows_loaded) == [3, 0]
    e = ds.report.entries
    assert len(e) == 1
    assert (e.file.iloc[0], e.line.iloc[0], e.reason.iloc[0], e.outcome.iloc[0]) == (str(bad), 0, reason, "row rejected")
    with pytest.raises(getattr(rs.errors, error)) as err:
        rs.read_stats19([good, bad], strict=True)
    assert str(err.value) == f"{bad}: {reason}" and err.value.file == str(bad)


def test_header_only_loads_nothing_and_no_readable_file_raises():
    ds = rs.read_stats19([MALFORMED / "header_only.csv", STATS19 / "collisions_2024_handmade.csv"])
    assert len(ds.collisions) == 3 and ds.report.entries.empty
    assert list(ds.report.files.rows_read) == [0, 3]
    empty, binary = MALFORMED / "empty.csv", MALFORMED / "binary.csv"
    with pytest.raises(rs.errors.InvalidInputError) as err:
        rs.read_stats19([empty, binary])
    assert str(err.value) == (f"{empty}: the file is empty (and no other input file could be read: "
                              f"{binary}: not a CSV text file: NUL byte at byte 9)")


def test_severity_written_as_words_counts(tmp_path):
    """Third-party extracts write labels ("Fatal", "SERIOUS"): they are the data guide's codes, not zeros."""
    path = tmp_path / "words.csv"
    path.write_text("collision_index,collision_severity,date\n"
                    "2023000000001,Fatal,01/06/2023\n2023000000002,SERIOUS,02/06/2023\n"
                    "2023000000003,slight,03/06/2023\n2023000000004,Slight,24/06/2023\n")
    ds = rs.read_stats19(path)
    assert ds.report.entries.empty
    table = rs.ksi_table(ds, by="calendar_year")
    assert (table.loc["2023", "fatal"], table.loc["2023", "serious"], table.loc["2023", "slight"]) == (1, 1, 2)


@pytest.mark.parametrize("profile, line, message", [
    ("[collision]\ncollision_index = Ref\n[vehicle 1]\npresent = =value\nvehicle_reference = =1\n", 4,
     "`present` must name a column (the row exists when it is not empty), not a constant"),
    ("[collision]\ncollision_index = Ref\ndate = When | date %d/%m/%Y\ndate = Day | date %d/%m/%Y\n", 4,
     "'date' is mapped twice in this section (first on line 3)"),
    ("[collision]\ncollision_index = Ref\nsource_line = Ref\n", 3, "'source_line' is filled by the reader and cannot be "
     "mapped"),
    ("[collision]\ncollision_index = Ref\n[vehicle 1]\ncollision_index = Ref\n", 4,
     "a vehicle section cannot map collision_index: each vehicle takes its collision's"),
    # Found by the fuzzer (tests/fuzz): a collision row skipped without a word; a column twice the table's length.
    ("[collision]\ncollision_index = Ref\npresent = Day\n", 3,
     "`present` belongs in a [vehicle N] section: every row of the file is a collision"),
    ("[constants]\npolice_force = 35\n[collision]\ncollision_index = Ref\npolice_force = Day | int\n", 2,
     "'police_force' is a constant here and mapped in [collision] on line 5: keep one"),
])
def test_profiles_that_crashed_the_reader_are_errors_naming_their_line(tmp_path, profile, line, message):
    (tmp_path / "p.ini").write_text(profile)
    (tmp_path / "export.csv").write_text("Ref,When,Day\n1,01/06/2023,01/06/2023\n")
    with pytest.raises(rs.errors.InvalidInputError) as e:
        rs.read_stats19(tmp_path / "export.csv", profile=str(tmp_path / "p.ini"))
    assert str(e.value).startswith(f"{tmp_path / 'p.ini'}:{line}: ") and str(e.value).endswith(message)


def test_dates_written_month_first_are_read_so_and_said(tmp_path):
    """A file re-saved month first (12/25/2015): a part above 12 decides the file's order; nothing is swapped."""
    path = tmp_path / "us_dates.csv"
    rows = [f"20150000000{i:02d},3,{m:02d}/{d:02d}/2015" for i, (m, d) in
            enumerate([(1, 5), (1, 25), (2, 14), (3, 30), (4, 2), (5, 19), (6, 28), (7, 4), (8, 31), (9, 9)])]
    path.write_text("collision_index,collision_severity,date\n" + "\n".join(rows) + "\n")
    ds = rs.read_stats19(path)
    assert ds.collisions["date"].dt.strftime("%m-%d").tolist() == ["01-05", "01-25", "02-14", "03-30", "04-02",
                                                                   "05-19", "06-28", "07-04", "08-31", "09-09"]
    entry = ds.report.entries.iloc[0]
    assert (entry["line"], entry["value"], entry["reason"]) == (
        3, "01/25/2015", "dates are written month first (MM/DD/YYYY), as this value shows: all are read so")


def test_a_column_that_mostly_fails_is_loud_and_tables_say_what_they_left_out(tmp_path):
    """Dates that are not dates in 6 of 10 rows: the load report warns about the column as a whole, and the
    table and the command say how many collisions they could not count."""
    path = tmp_path / "bad_dates.csv"
    dates = ["05/01/2015", "unknown", "14/02/2015", "unknown", "02/04/2015", "unknown", "28/06/2015", "unknown",
             "unknown", "unknown"]
    rows = [f"20150000000{i:02d},3,{d}" for i, d in enumerate(dates)]
    path.write_text("collision_index,collision_severity,date\n" + "\n".join(rows) + "\n")
    ds = rs.read_stats19(path)
    assert ds.collisions["date"].isna().sum() == 6
    assert ("WARNING: collision.date: 6 of 10 values could not be read (not a date (DD/MM/YYYY or YYYY-MM-DD)); "
            "every table built from this column leaves them out") in str(ds.report)
    assert rs.ksi_table(ds, by="calendar_year").attrs["undated"] == 6
    from conftest import run_roadsafe

    r = run_roadsafe("trends", str(path), "--by", "calendar_year", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "6 of 10 collisions have no date and are not counted (see the load report)" in r.stdout


def test_severities_outside_the_data_guide_are_said_not_counted_as_zeros(tmp_path):
    """A profile mapping severities to codes the guide does not have: the table says why its counts are empty."""
    path = tmp_path / "export.csv"
    path.write_text("Ref,Sev,When\n1,F,05/01/2015\n2,S,06/01/2015\n3,L,07/01/2015\n")
    (tmp_path / "p.ini").write_text("[collision]\ncollision_index = Ref\ndate = When\ncollision_severity = Sev | values\n"
                                    "[values collision_severity]\nF = 91\nS = 92\nL = 93\n")
    ds = rs.read_stats19(path, profile=str(tmp_path / "p.ini"))
    table = rs.ksi_table(ds, by="calendar_year")
    assert table.attrs["unknown_severity"] == 3 and table.loc["2015", "ksi"] == 0
    from conftest import run_roadsafe

    r = run_roadsafe("trends", str(path), "--profile", str(tmp_path / "p.ini"), "--by", "calendar_year", "--quiet")
    assert "3 of 3 collisions have no known severity (fatal, serious or slight) and are not counted" in r.stdout


def test_a_table_written_back_from_a_dataset_reads_again(national, tmp_path):
    """ds.collisions.to_csv() and back: the labels load as their codes, the reader's own columns in the file
    are set aside (said in the report), and the counts are the same."""
    path = tmp_path / "collisions.csv"
    national.collisions.to_csv(path, index=False)
    again = rs.read_stats19(path)
    assert len(again.collisions) == len(national.collisions)
    pd.testing.assert_frame_equal(rs.ksi_table(again, by="month")[["fatal", "serious", "slight"]],
                                  rs.ksi_table(national, by="month")[["fatal", "serious", "slight"]])
    set_aside = again.report.entries[again.report.entries["outcome"] == "column not loaded"]
    assert set(set_aside["column"]) == {"source_line", "source_file", "location_status"}
    assert set(set_aside["reason"]) == {"filled by the reader for every row, so this file's own is not loaded"}
