"""`roadsafe drivers`: the tables printed, the drivers CSV, the PDF page, and plain errors."""
from __future__ import annotations

import csv

from conftest import NATIONAL_2015


def test_drivers_prints_rules_ratios_and_profile_and_writes_csv_and_pdf(cli_main, capsys, tmp_path):
    out, pdf = tmp_path / "drivers.csv", tmp_path / "drivers.pdf"
    assert cli_main(["drivers", *map(str, NATIONAL_2015), "--quiet", "--out", str(out), "--pdf", str(pdf)]) == 0
    r = capsys.readouterr()
    assert "Culpability of 14,421 drivers (proxy rules on the vehicle table); undetermined:" in r.out
    assert "InvolvementRatios by age_band_of_driver: 2,210 two-vehicle collisions" in r.out
    assert "Culpable drivers in severe (KSI) collisions against fatal and all collisions:" in r.out
    with out.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 14421
    assert {row["status"] for row in rows} == {"culpable", "not culpable", "undetermined"}
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_field_the_data_lack_is_a_usage_error(cli_main, capsys):
    assert cli_main(["drivers", "--dataset", "cambridgeshire", "--quiet"]) == 2
    r = capsys.readouterr()
    assert "the data have no age_band_of_driver field (fields here: vehicle_type, junction_location)" in r.err


def test_an_unknown_by_is_a_usage_error(cli_main, capsys):
    assert cli_main(["drivers", "--dataset", "cambridgeshire", "--by", "shoe_size"]) == 2
    r = capsys.readouterr()
    assert "--by takes one or more (comma-separated) of age_band_of_driver" in r.err


def test_an_output_folder_that_does_not_exist_fails_before_the_work(cli_main, capsys, tmp_path):
    assert cli_main(["drivers", "--dataset", "cambridgeshire", "--by", "vehicle_type",
                     "--out", str(tmp_path / "no" / "d.csv")]) == 4
    r = capsys.readouterr()
    assert "Culpability" not in r.out
    assert "folder" in r.err and "does not exist" in r.err


def test_collisions_alone_are_bad_input(cli_main, capsys):
    assert cli_main(["drivers", str(NATIONAL_2015[0]), "--quiet"]) == 3
    assert "the data have no vehicle records" in capsys.readouterr().err
