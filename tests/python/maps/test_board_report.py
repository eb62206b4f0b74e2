"""The board report: a two-page A4 PDF, checked as printed (pdfinfo, pdftotext, pdftoppm)."""
from __future__ import annotations

import subprocess

import numpy as np
import pytest

from conftest import financial_year_of, raw_cambs_rows
from pdf_support import ink, page_sizes, pdf_text


@pytest.fixture(scope="module")
def report(cambs, tmp_path_factory):
    import roadsafe as rs

    out = tmp_path_factory.mktemp("report") / "report.pdf"
    return rs.board_report(cambs, out)


def test_two_a4_pages_portrait_then_landscape(report):
    assert report.pages == 2
    sizes = page_sizes(report.path)
    assert sizes == [pytest.approx((595.28, 841.89), abs=0.5), pytest.approx((841.89, 595.28), abs=0.5)]


def test_page_one_has_the_headline_table_performance_and_trend(report):
    text = pdf_text(report.path, page=1)
    for expected in ["Road safety report: Cambridgeshire & Peterborough",
                     "1. Killed or seriously injured (KSI) collisions by financial year",
                     "KSI adjusted", "2. Performance as of 31 October 2017", "rolling 12 months vs previous 12 months",
                     "current year vs 3-year average", "3. KSI trend", "Open Government Licence v3.0",
                     "reclassification step estimated from the data (switch July 2016"]:
        assert expected in text, expected
    # 2016-17 as printed: fatal 32, serious 383, slight 1,732, KSI 415.
    assert "2016-17 32 383 1,732 415" in text


def test_trend_sentence_is_the_annual_trend_model(report, cambs):
    import roadsafe as rs

    text = " ".join(pdf_text(report.path, page=1).split())
    raw = rs.annual_trend(cambs, measure="ksi")
    net = rs.annual_trend(cambs, measure="ksi", switch_date="2016-07-01")
    assert (f"Annual change over the complete years 2012-13 to 2016-17: {raw.annual_change:+.1%} a year as recorded "
            f"(95% CI {raw.lower:+.1%} to {raw.upper:+.1%}); {net.annual_change:+.1%} a year") in text
    assert "+4.5% a year as recorded" in text  # Cambridgeshire KSI: 329, 353, 317, 338, 415


def test_headline_counts_match_the_raw_file(report):
    header, rows = raw_cambs_rows()
    date, severity = header.index("Date"), header.index("Severity")
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        d = row[date]
        day, month, year = d.split("/") if "/" in d else (d[6:], d[4:6], d[:4])
        fy = financial_year_of(f"{int(year):04d}{int(month):02d}{int(day):02d}")
        sev = row[severity].strip().lower()
        counts.setdefault(fy, {}).setdefault(sev, 0)
        counts[fy][sev] += 1
    ksi = report.ksi
    for fy in ("2012-13", "2015-16", "2016-17"):
        assert ksi.loc[fy, "fatal"] == counts[fy].get("fatal", 0)
        assert ksi.loc[fy, "serious"] == counts[fy].get("serious", 0)
        assert ksi.loc[fy, "ksi"] == counts[fy].get("fatal", 0) + counts[fy].get("serious", 0)
    assert ksi["partial"].tolist() == [True] + [False] * 5 + [True]


def test_adjusted_ksi_puts_earlier_years_on_the_new_basis(report, cambs):
    import roadsafe as rs

    effect = rs.reclassification_effect(cambs)
    ksi = report.ksi
    assert str(effect.switch_month) == "2016-07"
    assert report.switch_date == effect.switch_month.to_timestamp()
    # Before the switch every serious count is scaled by the step, fatal counts are untouched.
    expected = ksi.loc["2013-14", "fatal"] + ksi.loc["2013-14", "serious"] * effect.rate_ratio
    assert ksi.loc["2013-14", "ksi_adjusted"] == pytest.approx(expected, rel=1e-9)
    # After it (2017-18 lies wholly after July 2016) the adjusted count is the recorded one.
    assert ksi.loc["2017-18", "ksi_adjusted"] == pytest.approx(ksi.loc["2017-18", "ksi"])
    assert "reclassification step" in report.adjusted_basis


def test_performance_block_is_the_performance_summary(report, cambs):
    import roadsafe as rs

    expected = rs.performance_summary(cambs, as_of="2017-10-31")
    got = report.performance
    assert got["verdict"].tolist() == expected["verdict"].tolist()
    row = got[(got.measure == "ksi") & (got.comparison == "current year vs previous year")].iloc[0]
    assert (row.current, row.reference, row.verdict) == (415, 338, "higher")
    assert "KSI current year vs previous year 2016-17 415 338.0 +23% higher" in pdf_text(report.path, page=1)


def test_page_two_is_the_map_with_its_table(report):
    text = pdf_text(report.path, page=2)
    assert "Injury collision hotspots" in text and "Top 10 cluster sites" in text and "Legend" in text
    assert report.map.site_numbers == list(range(1, 11))
    assert report.map.scale_bar_label in text
    assert "© OpenStreetMap contributors" in text


def test_pages_are_not_blank(report, tmp_path):
    from matplotlib.image import imread

    subprocess.run(["pdftoppm", "-png", "-r", "30", str(report.path), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 2
    for page in pages:
        img = imread(page)
        share = ink(img)
        assert 0.05 < share < 0.8, (page.name, share)
        assert float(img[..., :3].std()) > 0.05


def test_bad_input(cambs, tmp_path):
    import roadsafe as rs

    with pytest.raises(ValueError, match=r"out must end in .pdf; got '.*report.docx'"):
        rs.board_report(cambs, tmp_path / "report.docx")
    with pytest.raises(rs.errors.RoadsafeIOError, match="trauma file not found: .*tarn.csv"):
        rs.board_report(cambs, tmp_path / "r.pdf", trauma=tmp_path / "tarn.csv")
    with pytest.raises(rs.errors.RoadsafeIOError, match="folder .* does not exist"):
        rs.board_report(cambs, tmp_path / "no" / "r.pdf")


def test_mais3_columns_from_linked_trauma_records(cambs, tmp_path):
    import roadsafe as rs

    generated = rs.generate_trauma(cambs, tmp_path, seed=0)
    report = rs.board_report(cambs, tmp_path / "r.pdf", trauma=(generated.patients_path, generated.injuries_path))
    assert report.mais3
    expected = rs.severity_table(cambs, rs.link(cambs, generated.read(), unit="collision"), by="financial_year")
    for fy in ("2013-14", "2016-17"):
        assert report.ksi.loc[fy, "severe_mais3"] == expected.loc[fy, "severe_mais3"]
        assert report.ksi.loc[fy, "killed_plus_severe"] == expected.loc[fy, "killed_plus_severe"]
        assert report.ksi.loc[fy, "fatal"] == expected.loc[fy, "fatal"]  # the same police records
    text = pdf_text(report.path, page=1)
    assert "MAIS 3+" in text and "Killed + MAIS 3+" in text


# ------------------------------------------------------------------------------------------------
# The command
# ------------------------------------------------------------------------------------------------

def test_cli_report_writes_the_pdf(cli_main, tmp_path, capsys):
    out = tmp_path / "cambridgeshire_report.pdf"
    assert cli_main(["report", "--dataset", "cambridgeshire", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "Road safety report: Cambridgeshire & Peterborough: 2 pages" in printed
    assert f"written: {out}" in printed
    assert len(page_sizes(out)) == 2


@pytest.mark.parametrize("args, code, message", [
    (["--out", "report.docx"], 2, "roadsafe: --out must end in .pdf"),
    (["--out", "{tmp}/r.pdf", "--trauma", "{tmp}/tarn.csv"], 4, "roadsafe: trauma file not found: {tmp}/tarn.csv"),
])
def test_cli_report_bad_input(cli_main, tmp_path, capsys, args, code, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert cli_main(["report", "--dataset", "cambridgeshire", "--quiet", *args]) == code
    assert message.replace("{tmp}", str(tmp_path)) in capsys.readouterr().err


def test_cli_report_help(cli_main, capsys):
    assert cli_main(["report", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "roadsafe report --dataset cambridgeshire --out cambridgeshire_report.pdf" in text
    assert np.char.find(text, "performance block") >= 0


def test_the_colour_follows_the_adjusted_verdict(cambs, tmp_path):
    import roadsafe as rs

    report = rs.board_report(cambs, tmp_path / "r.pdf")
    perf = report.performance.set_index(["measure", "comparison"])
    row = perf.loc[("serious", "current year vs previous year")]
    assert (row["verdict"], row["adjusted_verdict"]) == ("higher", "comparable")
    assert (perf.loc[("fatal", "current year vs previous year"), "adjusted_verdict"]
            == perf.loc[("fatal", "current year vs previous year"), "verdict"])  # fatal is not reclassified
    text = pdf_text(report.path, page=1)
    assert "Recorded Adjusted" in text and "The colour follows the adjusted verdict." in text


def test_an_interrupted_report_leaves_nothing_under_its_name(cambs, tmp_path, monkeypatch):
    """Ctrl-C while page 2 is written: no half-written PDF under the final name, no temporary file left."""
    import roadsafe as rs
    from matplotlib.backends.backend_pdf import PdfPages

    written = PdfPages.savefig

    def interrupted(self, figure=None, **kwargs):
        if getattr(self, "_pages_done", 0) == 1:
            raise KeyboardInterrupt
        written(self, figure, **kwargs)
        self._pages_done = getattr(self, "_pages_done", 0) + 1

    monkeypatch.setattr(PdfPages, "savefig", interrupted)
    out = tmp_path / "report.pdf"
    with pytest.raises(KeyboardInterrupt):
        rs.board_report(cambs, out)
    assert list(tmp_path.iterdir()) == []


def test_a_report_is_an_ordinary_file(cambs, tmp_path):
    """Written beside its name and renamed, it still gets the mode any new file gets (not a private 0600)."""
    import os
    import stat

    import roadsafe as rs

    umask = os.umask(0o022)
    try:
        report = rs.board_report(cambs, tmp_path / "r.pdf")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(report.path).st_mode) == 0o644
