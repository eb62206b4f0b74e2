"""Coverage: a period the records do not cover is "no data", never a zero, and nothing is compared with it.

The data: the four forces' real 2015 collisions, and the same records moved two years on as if they were a
2017 file: 2015 and 2017 loaded together, 2016 missing, as from DfT's 2015 and 2017 national files.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs

from pdf_support import pdf_text


@pytest.fixture(scope="module")
def gap(national):
    later = national.collisions.copy()
    later["date"] = later["date"] + pd.DateOffset(years=2)
    later["collision_index"] = "2017" + later["collision_index"].str[4:]
    later["source_file"] = "Accidents_2017.csv"
    return rs.Dataset.from_frames(pd.concat([national.collisions, later]))


def test_coverage_is_each_files_span(gap):
    assert gap.coverage == [(pd.Timestamp("2015-01-01"), pd.Timestamp("2015-12-31")),
                            (pd.Timestamp("2017-01-01"), pd.Timestamp("2017-12-31"))]


def test_a_year_without_records_is_no_data_and_part_years_are_flagged(gap, national):
    years = rs.ksi_table(gap, by="calendar_year")
    assert np.isnan(years.loc["2016", "ksi"]) and np.isnan(years.loc["2016", "ksi_upper"])
    assert years.loc["2016", "coverage"] == 0.0 and years.loc["2016", "partial"]
    one = rs.ksi_table(national, by="calendar_year").loc["2015"]
    assert years.loc["2015", "ksi"] == years.loc["2017", "ksi"] == one["ksi"]
    assert not years.loc["2015", "partial"] and years.loc["2015", "coverage"] == 1.0
    fy = rs.ksi_table(gap, by="financial_year")
    # 2015-16: April to December 2015 of a year holding 29 February 2016: 275 of 366 days.
    assert fy.loc["2015-16", "coverage"] == pytest.approx(275 / 366)
    assert fy["partial"].all()  # every financial year is part-covered: the files are calendar years


def test_nothing_is_compared_with_a_period_without_data(gap):
    summary = rs.performance_summary(gap)
    ksi = summary[summary["measure"] == "ksi"]
    assert (ksi["verdict"] == "not covered").all()
    assert ksi[["current", "reference", "change_percent", "p_value"]].isna().all().all()


def test_the_reclassification_step_is_never_made_by_a_gap(gap):
    with pytest.raises(ValueError) as e:
        rs.reclassification_effect(gap)
    assert str(e.value) == ("12 complete months: too short for an interrupted time series (needs 13, 6 either side "
                            "of the switch); months the records do not fully cover: 2016-01 to 2016-12")


def test_a_chosen_period_is_covered_whole(national):
    march = national.select(start="2015-03-01", end="2015-03-31")
    assert march.coverage == [(pd.Timestamp("2015-03-01"), pd.Timestamp("2015-03-31"))]
    months = rs.ksi_table(march, by="month")
    assert list(months.index) == ["2015-03"] and months["coverage"].tolist() == [1.0]


def test_coverage_can_be_stated(national):
    stated = rs.Dataset.from_frames(national.collisions)
    stated.coverage = [("2015-01-01", "2015-06-30"), ("2015-07-01", "2015-12-31")]
    assert stated.coverage == [(pd.Timestamp("2015-01-01"), pd.Timestamp("2015-12-31"))]  # joined
    stated.coverage = [("2015-01-01", "2015-06-30")]
    months = rs.ksi_table(stated, by="month")
    assert months.loc["2015-06", "coverage"] == 1.0 and np.isnan(months.loc["2015-07", "ksi"])


def test_the_board_report_prints_no_data_not_zero(gap, tmp_path):
    report = rs.board_report(gap, tmp_path / "gap.pdf")
    text = pdf_text(report.path, page=1)
    assert "The records cover 1 January 2015 to 31 December 2015; 1 January 2017 to 31 December 2017." in text
    assert set(report.performance["verdict"]) == {"not covered"} and "not covered" in text
    assert "adjusted: not available" in text  # no step estimated across the gap


def test_a_financial_year_without_records_prints_no_data(national, tmp_path):
    later = national.collisions.copy()
    later["date"] = later["date"] + pd.DateOffset(years=3)
    later["collision_index"] = "2018" + later["collision_index"].str[4:]
    later["source_file"] = "Accidents_2018.csv"
    gap3 = rs.Dataset.from_frames(pd.concat([national.collisions, later]))
    report = rs.board_report(gap3, tmp_path / "gap3.pdf")
    assert np.isnan(report.ksi.loc["2016-17", "ksi"]) and report.ksi.loc["2016-17", "coverage"] == 0.0
    text = pdf_text(report.path, page=1)
    assert "2016-17 * no data no data no data no data" in text


def test_the_annual_trend_spaces_years_by_the_calendar_across_a_gap(national):
    """2015, 2017 and 2018 (2018 twice as many): the trend is fitted at t = 0, 2, 3, not 0, 1, 2."""
    frames = [national.collisions]
    for shift, copies in ((2, 1), (3, 2)):
        for copy in range(copies):
            later = national.collisions.copy()
            later["date"] = later["date"] + pd.DateOffset(years=shift)
            later["collision_index"] = f"{2015 + shift}{copy}" + later["collision_index"].str[4:]
            later["source_file"] = f"Accidents_{2015 + shift}_{copy}.csv"
            frames.append(later)
    data = rs.Dataset.from_frames(pd.concat(frames))
    trend = rs.annual_trend(data, measure="ksi", by="calendar_year", family="poisson")
    assert list(trend.table.index) == ["2015", "2017", "2018"]
    # The same Poisson log-linear fit by hand (IRLS) at the calendar's spacing.
    y = trend.table["observed"].to_numpy(dtype=float)
    X = np.column_stack([np.ones(3), np.array([0.0, 2.0, 3.0]) - 5.0 / 3.0])
    beta = np.array([np.log(y.mean()), 0.0])
    for _ in range(50):
        mu = np.exp(X @ beta)
        beta = beta + np.linalg.solve(X.T @ (mu[:, None] * X), X.T @ (y - mu))
    assert trend.annual_change == pytest.approx(np.exp(beta[1]) - 1, rel=1e-6)
