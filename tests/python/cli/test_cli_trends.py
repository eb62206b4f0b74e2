"""`roadsafe trends --groups ... --summary`: target groups and the performance block on the command line."""
from __future__ import annotations

import csv

from conftest import run_roadsafe as roadsafe


def test_groups_print_one_table_each_and_say_their_basis(tmp_path):
    out = tmp_path / "groups.csv"
    r = roadsafe("trends", "--dataset", "cambridgeshire", "--groups", "pedestrians,children", "--quiet",
                 "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "group: pedestrians (chosen from collision fields)" in r.stdout
    assert "group: children (chosen from collision fields)" in r.stdout
    assert "ksi_lower, ksi_upper = 95% interval for the KSI count" in r.stdout
    with out.open() as f:
        rows = list(csv.DictReader(f))
    assert {row["group"] for row in rows} == {"pedestrians", "children"}
    ped = {row["financial_year"]: row for row in rows if row["group"] == "pedestrians"}
    assert ped["2016-17"]["ksi"] == "67" and ped["2016-17"]["group_basis"] == "collision"


def test_summary_prints_the_performance_block(tmp_path):
    out = tmp_path / "summary.csv"
    r = roadsafe("trends", "--dataset", "cambridgeshire", "--summary", "--baseline", "2012-13,2013-14,2014-15",
                 "--summary-out", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "Performance summary as of 31 October 2017" in r.stdout
    assert "rolling 12 months vs previous 12 months" in r.stdout
    with out.open() as f:
        rows = {(row["measure"], row["comparison"]): row for row in csv.DictReader(f)}
    serious = rows[("serious", "current year vs previous year")]
    assert (serious["current"], serious["reference"], serious["verdict"]) == ("383.0", "306.0", "higher")
    assert rows[("ksi", "current year vs baseline")]["reference_period"] == "2012-13 to 2014-15 (average)"
    # The existing table still comes first, unchanged in its counts.
    assert "Collisions by severity and financial year" in r.stdout


def test_unavailable_group_is_a_usage_error():
    r = roadsafe("trends", "--dataset", "cambridgeshire", "--groups", "young_people", "--quiet")
    assert r.returncode == 2
    assert "roadsafe: group 'young_people' needs casualty fields" in r.stderr
    r = roadsafe("trends", "--dataset", "cambridgeshire", "--unit", "casualty", "--quiet")
    assert r.returncode == 2 and "casualty table" in r.stderr


def test_summary_options_need_summary():
    r = roadsafe("trends", "--dataset", "cambridgeshire", "--baseline", "2012-13")
    assert r.returncode == 2 and "go with --summary" in r.stderr
