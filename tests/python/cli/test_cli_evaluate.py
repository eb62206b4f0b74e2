"""`roadsafe evaluate`: the table and the one-page PDF from a file of schemes, and plain errors with exit codes."""
from __future__ import annotations

import pandas as pd
from conftest import TEST_DATA
from pdf_support import page_sizes, pdf_text

SCHEMES = str(TEST_DATA / "schemes" / "cambridgeshire_schemes.gpkg")


def test_evaluate_writes_the_table_and_a_one_page_report(tmp_path, cli_main, capsys):
    out, pdf = tmp_path / "schemes.csv", tmp_path / "schemes.pdf"
    code = cli_main(["evaluate", "--dataset", "cambridgeshire", "--quiet", "--schemes", SCHEMES, "--before-years",
                     "2", "--after-years", "2", "--out", str(out), "--pdf", str(pdf)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "Empirical Bayes: 86 collisions after where" in printed and "naive:" in printed
    table = pd.read_csv(out, index_col=0)
    assert len(table) == 12 and table.loc["20 mph zone (polygon)", "geometry_type"] == "Polygon"
    assert {"observed_before", "observed_after", "expected_after", "percent_change", "lower", "upper",
            "naive_change", "comparison_group_change", "rose"} <= set(table.columns)
    assert len(page_sizes(pdf)) == 1
    text = pdf_text(pdf)
    for words in ("Did the schemes work? 12 schemes", "2 years before and 2 years after each scheme",
                  "Empirical Bayes", "comparison group", "naive", "Trumpington Road (A603) / Lensfield Road (A603)",
                  f"Collisions rose above what was expected at {int(table['rose'].sum())} of 12 schemes"):
        assert words in text


def test_an_uncovered_period_is_bad_input(cli_main, capsys):
    code = cli_main(["evaluate", "--dataset", "cambridgeshire", "--quiet", "--schemes", SCHEMES])
    assert code == 3
    assert "the before period 2011-01-06 to 2014-01-05 is not covered whole by the data" in capsys.readouterr().err


def test_usage_and_file_errors(tmp_path, cli_main, capsys):
    assert cli_main(["evaluate", "--dataset", "cambridgeshire", "--schemes", SCHEMES, "--pdf", "x.png"]) == 2
    assert "--pdf must end in .pdf" in capsys.readouterr().err
    assert cli_main(["evaluate", "--dataset", "cambridgeshire", "--schemes", str(tmp_path / "none.gpkg")]) == 4
    assert f"schemes file not found: {tmp_path / 'none.gpkg'}" in capsys.readouterr().err
    assert cli_main(["evaluate", "--dataset", "cambridgeshire", "--schemes", SCHEMES,
                     "--out", str(tmp_path / "no" / "t.csv")]) == 4
    assert "folder" in capsys.readouterr().err
