"""The `roadsafe` command as a user runs it: output, files written, exit codes."""
from __future__ import annotations

import csv

import pytest

from conftest import run_roadsafe as roadsafe


def test_trends_on_the_shipped_data(tmp_path):
    out = tmp_path / "fy.csv"
    r = roadsafe("trends", "--dataset", "cambridgeshire", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "12,108 rows read, 12,108 loaded, 0 rejected" in r.stdout
    assert "2015-16" in r.stdout and ("partial = the records cover only part of this period (no data = none of it); "
                                      "the records cover 1 January 2012 to 31 October 2017") in r.stdout
    rows = {row["financial_year"]: row for row in csv.DictReader(out.open())}
    assert (rows["2016-17"]["fatal"], rows["2016-17"]["serious"], rows["2016-17"]["slight"]) == ("32", "383", "1732")


def test_help_is_plain_language():
    r = roadsafe("trends", "--help")
    assert r.returncode == 0
    assert "financial years run April to March" in " ".join(r.stdout.split())


@pytest.mark.parametrize("args, code, message", [
    (["trends", "/no/such/file.csv"], 4, "roadsafe: cannot read input: /no/such/file.csv: cannot open file"),
    (["trends"], 2, "roadsafe: no input"),
    (["trends", "x.csv", "--dataset", "cambridgeshire"], 2, "roadsafe: give either FILE names or --dataset"),
])
def test_bad_input_exit_codes(args, code, message):
    r = roadsafe(*args)
    assert r.returncode == code
    assert message in r.stderr


def test_bad_rows_exit_code_in_strict_mode(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("collision_index,date\n2023010000001,99/99/2023\n")
    r = roadsafe("trends", str(p), "--strict")
    assert r.returncode == 3
    assert f"roadsafe: bad input: {p}:2: column 'date': value '99/99/2023'" in r.stderr


def test_hotspots_prints_sites_and_writes_a_geopackage(tmp_path, cambs):
    import geopandas as gpd
    import roadsafe as rs

    out = tmp_path / "sites.gpkg"
    r = roadsafe("hotspots", "--dataset", "cambridgeshire", "--quiet", "--top", "5", "--out", str(out))
    assert r.returncode == 0, r.stderr
    expected = rs.cluster_sites(cambs, preset="urban")
    assert f"{len(expected.sites):,} sites; {expected.collisions_used:,} collisions considered" in r.stdout
    first = expected.sites.iloc[0]  # the densest site leads the printed table
    row = next(line.split() for line in r.stdout.splitlines() if line.split()[:1] == ["1"])
    assert row[1:5] == [str(first.collisions), str(first.fatal), str(first.serious), str(first.slight)]
    assert row[5] == f"{first.cost_gbp:,.0f}"
    written = gpd.read_file(out)
    assert len(written) == len(expected.sites) and written.crs.to_epsg() == 27700
    assert list(written.site_id[:3]) == list(expected.sites.site_id[:3])


def test_hotspots_rejects_an_unknown_output_format():
    r = roadsafe("hotspots", "--dataset", "cambridgeshire", "--quiet", "--out", "sites.shp")
    assert r.returncode == 2
    assert "--out must end in .gpkg (for QGIS) or .csv" in r.stderr


def test_a_missing_column_is_named_with_its_likely_match(tmp_path):
    path = tmp_path / "renamed.csv"
    path.write_text("collision_index,Severity,date\n2015000000001,Fatal,01/02/2015\n")
    r = roadsafe("trends", str(path), "--quiet")
    assert r.returncode == 3 and "Traceback" not in r.stderr
    assert r.stderr.strip() == ("roadsafe: bad input: the collisions have no collision_severity column, which counting "
                                "by severity needs; their columns: collision_index, severity, date; is 'severity' it? "
                                "(a mapping profile can name it)")


def test_an_output_folder_that_does_not_exist_fails_before_the_work(tmp_path):
    r = roadsafe("report", "--dataset", "cambridgeshire", "--out", str(tmp_path / "no" / "r.pdf"), "--quiet")
    assert r.returncode == 4
    assert r.stderr.strip() == f"roadsafe: cannot write {tmp_path / 'no' / 'r.pdf'}: folder {tmp_path / 'no'} does not exist"


def test_an_unexpected_error_is_one_plain_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    from roadsafe.cli import trends
    from roadsafe.cli.main import main

    def broken(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(trends, "_trends", broken)
    assert main(["trends", "--dataset", "cambridgeshire"]) == 1
    err = capsys.readouterr().err
    assert err == ("roadsafe: internal error (RuntimeError: boom); please report it, with the output of the same "
                   "command run with --debug\n")
    assert main(["--debug", "trends", "--dataset", "cambridgeshire"]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err


@pytest.mark.parametrize("command, out", [
    (["trends"], "--out"), (["trends", "--summary"], "--summary-out"), (["hotspots"], "--out"),
    (["hotspots", "--method", "kde"], "--out"), (["hotspots", "--method", "gi"], "--out"), (["map"], "--out"),
    (["link", "--trauma", "t.csv"], "--out"), (["dashboard"], "--out"), (["evaluate", "--schemes", "s.gpkg"], "--pdf"),
])
def test_every_output_folder_is_checked_before_loading(tmp_path, capsys, command, out):
    from roadsafe.cli.main import main

    suffix = {"kde": ".tif", "map": ".pdf", "--pdf": ".pdf", "dashboard": ".html"}.get(
        out if out == "--pdf" else command[-1] if command[-1] == "kde" else command[0], ".csv")
    path = tmp_path / "missing" / f"result{suffix}"
    # A FILE that does not exist: the output is refused first, so the input is never opened.
    code = main([*command, str(tmp_path / "never_read.csv"), out, str(path)])
    assert (code, capsys.readouterr().err.strip()) == (
        4, f"roadsafe: cannot write {path}: folder {tmp_path / 'missing'} does not exist")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("argv, message", [
    (["hotspots", "--radius", "-5"], "argument --radius: must be a number above 0, not '-5'"),
    (["hotspots", "--min-collisions", "2.5"], "argument --min-collisions: must be a whole number, not '2.5'"),
    (["hotspots", "--method", "gi", "--permutations", "-1"],
     "argument --permutations: must be a whole number at least 0, not '-1'"),
    (["link", "--trauma", "t.csv", "--threshold", "0"], "argument --threshold: must be a number above 0 and at most 1, "
                                                       "not '0'"),
    (["link", "--trauma", "t.csv", "--min-precision", "2"], "argument --min-precision: must be a number above 0 and "
                                                           "at most 1, not '2'"),
    (["link", "--trauma", "t.csv", "--threshold", "0.5", "--min-precision", "0.95"],
     "argument --min-precision: not allowed with argument --threshold"),
    (["map", "--out", "m.png", "--dpi", "nan"], "argument --dpi: must be a whole number, not 'nan'"),
])
def test_options_out_of_range_are_usage_errors(capsys, argv, message):
    from roadsafe.cli.main import main

    assert main([*argv, "--dataset", "cambridgeshire"]) == 2
    assert capsys.readouterr().err.strip().endswith(message)


@pytest.mark.parametrize("profile, line, message", [
    (b"[collision]\ncollision_index = Ref\nseverity = Sev\n", 3,
     "value 'severity': mapping profile: 'severity' is not a field of the data guide's collision table: is it "
     "'collision_severity'? (a field of your own needs a transform, e.g. `| text`)"),
    (b"[profile]\nname = a\nname = b\n[collision]\ncollision_index = Ref\n", 3,
     "value 'name': mapping profile: 'name' is given twice in [profile] (first on line 2)"),
    (b"[collision]\ncollision_index = Ref\ndate = When | date %d/%m/%y\n", 3,
     "value '%d/%m/%y': mapping profile: a date format may use %Y, %m and %d only (as in %d/%m/%Y)"),
    (b"[collision]\ncollision_index = Ref\nlocation_description = Lieu\xe9 | text\n", 3,
     "value 'location_description = Lieu\\xE9 | text': mapping profile: not UTF-8 text (save the profile as UTF-8)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", 3, "mapping profile: not a text file (it holds NUL bytes)"),
])
def test_a_broken_profile_is_bad_input_naming_its_line(tmp_path, capsys, profile, line, message):
    from roadsafe.cli.main import main

    ini = tmp_path / "force.ini"
    ini.write_bytes(profile)
    export = tmp_path / "export.csv"
    export.write_text("Ref,Sev,When\n1,3,01/02/2020\n")
    assert main(["trends", str(export), "--profile", str(ini)]) == 3
    assert capsys.readouterr().err.strip() == f"roadsafe: bad input: {ini}:{line}: {message}"
