"""The board's dashboard in a real browser: Debian's chromium driven headless by selenium, with every network
request refused (a proxy that does not exist), as when the file is opened from an e-mail attachment.

What is checked: the page loads with no console errors; a filter changes the KSI total (and the trend) to the
figures roadsafe's own tables give for the same collisions; the map draws its markers (grouped and, zoomed in,
one by one); the page prints on A4 through Chrome's Page.printToPDF. Screenshots are saved in the test's tmp dir.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pytest

import roadsafe as rs
from pdf_support import page_sizes, pdf_text
from roadsafe.linkage.police_records import police_collisions
from roadsafe.trends.rates import area_codes

A4_POINTS = (595.0, 842.0)


@pytest.fixture(scope="module")
def built(cambs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard")
    result = rs.dashboard(cambs, out=folder / "cambridgeshire.html")
    return result, folder


@pytest.fixture(scope="module")
def browser(built):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1800",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"):  # no network at all
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(60)
    result, _ = built
    driver.get(Path(result.path).as_uri())
    _wait(driver)
    yield driver
    driver.quit()


def _wait(driver) -> None:
    driver.execute_async_script("const done = arguments[arguments.length - 1];"
                                "window.roadsafeDashboard.ready.then(() => done(true));")


def _choose(driver, select_id: str, text: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", select_id)).select_by_visible_text(text)
    _wait(driver)


def _reset(driver) -> None:
    driver.find_element("id", "f-reset").click()
    _wait(driver)


def test_the_file_is_whole_small_and_names_its_sources(built):
    result, _ = built
    html = Path(result.path).read_text(encoding="utf-8")
    assert result.size_bytes < 10_000_000 and result.collisions == 12_108 and result.ksi == 2_058
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?:", html)  # nothing fetched
    assert "tile" not in html.split("<script>")[0].lower()
    for words in ("Open Government Licence v3.0", "plotly.js (MIT licence", f"roadsafe {rs.__version__}",
                  "records cover 1 January 2012 to 31 October 2017", "Office for National Statistics"):
        assert words in html
    assert "Dashboard" in repr(result) and "numbered sites" in repr(result)


def test_the_page_loads_with_no_console_errors(browser, built):
    _, folder = built
    logs = browser.get_log("browser")
    assert [e for e in logs if e["level"] == "SEVERE"] == []  # console errors, failed requests included
    assert browser.find_element("id", "ksi-total").text == "2,058"
    assert browser.find_element("id", "collision-total").text == "12,108"
    browser.save_screenshot(str(folder / "dashboard_top.png"))


def test_the_trend_shows_recorded_and_adjusted_ksi_as_the_board_report_does(browser, cambs):
    from roadsafe.maps.board_report import _adjusted_ksi

    _reset(browser)
    corrected, _, _, _ = _adjusted_ksi(cambs)  # the board report's series: the estimated step, July 2016
    recorded = rs.ksi_table(cambs, by="financial_year")["ksi"]
    data = browser.execute_script("return document.getElementById('trend').data.map(t => [t.x, t.y])")
    assert data[0][1] == recorded.astype(int).tolist()
    assert data[1][1] == pytest.approx(corrected.round(1).tolist(), abs=0.051)
    assert data[0][0][0] == "2011-12 (part)" and data[0][0][-1] == "2017-18 (part)"


def test_a_filter_changes_the_ksi_total_and_the_trend_to_what_python_counts(browser, built, cambs):
    _, folder = built
    _choose(browser, "f-district", "Cambridge")
    _choose(browser, "f-user", "pedal cyclist")
    _choose(browser, "f-from", "2013-14")
    _choose(browser, "f-to", "2015-16")
    col = cambs.collisions
    in_district = area_codes(col, by="district") == "E07000008"
    cyclist = police_collisions(cambs)["involves_pedal_cyclist"].to_numpy(bool)
    chosen = col[in_district & cyclist].copy()
    subset = rs.Dataset.from_frames(chosen)
    subset.coverage = cambs.coverage
    table = rs.ksi_table(subset, by="financial_year")
    expected = table.loc[["2013-14", "2014-15", "2015-16"], "ksi"]
    shown = browser.execute_script("return document.getElementById('trend').data[0].y")
    assert shown == expected.tolist()
    assert browser.find_element("id", "ksi-total").text == f"{int(expected.sum()):,}"
    assert int(expected.sum()) == 96
    browser.save_screenshot(str(folder / "dashboard_filtered.png"))
    # Unticking serious leaves the fatal ones only.
    browser.find_element("id", "f-serious").click()
    _wait(browser)
    assert browser.find_element("id", "ksi-total").text == str(int(table.loc[["2013-14", "2014-15", "2015-16"],
                                                                              "fatal"].sum()))
    _reset(browser)
    assert browser.find_element("id", "ksi-total").text == "2,058"


def test_the_site_table_counts_the_sites_collisions_under_the_filters(browser, cambs):
    _reset(browser)
    sites = rs.cluster_sites(cambs, preset="urban")
    rows = browser.execute_script("return Array.from(document.querySelectorAll('#sites-table tr')).slice(1)"
                                  ".map(r => Array.from(r.cells).map(c => c.textContent))")
    assert len(rows) == 10
    assert [int(r[0]) for r in rows] == sites.sites["site_id"].head(10).tolist()
    assert [int(r[2]) for r in rows] == sites.sites["collisions"].head(10).tolist()


def test_the_map_draws_its_markers_grouped_and_one_by_one(browser, built, cambs):
    _, folder = built
    _reset(browser)
    browser.execute_script("document.getElementById('where').scrollIntoView()")
    located = int(np.isfinite(cambs.collisions["location_easting_osgr"]).sum())  # 5 placeholders are NaN
    assert browser.execute_script("return document.getElementById('map').dataset.markers") == str(located)
    assert browser.execute_script("return document.getElementById('map').dataset.grouped") == "true"
    points = browser.execute_script("return document.querySelectorAll('#map .scatterlayer .point').length")
    assert 100 < points < 5_000  # groups, each drawn as one circle
    browser.save_screenshot(str(folder / "dashboard_map.png"))
    # Zoom to Cambridge's centre (2 km): each collision is drawn, each a marker.
    browser.execute_script("return Plotly.relayout('map', {'xaxis.range[0]': 544500, 'xaxis.range[1]': 546500, "
                           "'yaxis.range[0]': 257500, 'yaxis.range[1]': 259500})")
    _wait(browser)  # the page redraws the map for the new view
    x, y = cambs.collisions["location_easting_osgr"], cambs.collisions["location_northing_osgr"]
    inside = int((x.between(544500, 546500) & y.between(257500, 259500)).sum())
    assert browser.execute_script("return document.getElementById('map').dataset.grouped") == "false"
    assert browser.execute_script("return document.getElementById('map').dataset.markers") == str(inside)
    drawn = browser.execute_script("return document.querySelectorAll('#map .scatterlayer .point').length")
    assert drawn == inside + 10  # every collision in view, and the ten numbered sites' circles (drawn, clipped)
    browser.save_screenshot(str(folder / "dashboard_map_zoomed.png"))
    _reset(browser)


def test_the_page_prints_on_a4(browser, built):
    _, folder = built
    _reset(browser)
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    path = folder / "dashboard.pdf"
    path.write_bytes(base64.b64decode(pdf["data"]))
    sizes = page_sizes(path)
    assert len(sizes) >= 3
    assert all(abs(w - A4_POINTS[0]) < 1.5 and abs(h - A4_POINTS[1]) < 1.5 for w, h in sizes)
    text = pdf_text(path)
    assert "Filters: 2011-12 to 2017-18; fatal, serious, slight; all road users; all districts." in text
    assert "How are we doing?" in text and "Rates and comparisons" in text


def test_bad_arguments_are_refused_before_the_work(cambs, tmp_path):
    with pytest.raises(rs.errors.InvalidInputError, match=r"out must end in \.html; got '.*report\.pdf'"):
        rs.dashboard(cambs, out=tmp_path / "report.pdf")
    with pytest.raises(rs.errors.RoadsafeIOError, match="folder .*missing does not exist"):
        rs.dashboard(cambs, out=tmp_path / "missing" / "d.html")
    with pytest.raises(rs.errors.InvalidInputError, match="by must be 'financial_year' or 'calendar_year'"):
        rs.dashboard(cambs, out=tmp_path / "d.html", by="month")


def test_the_command_writes_the_dashboard(tmp_path, cli_main, capsys):
    out = tmp_path / "d.html"
    assert cli_main(["dashboard", "--dataset", "cambridgeshire", "--quiet", "--from", "2015-01-01",
                     "--to", "2015-12-31", "--by", "calendar_year", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "1,968 collisions" in printed and f"written: {out}" in printed
    assert cli_main(["dashboard", "--dataset", "cambridgeshire", "--quiet", "--out", str(tmp_path / "d.pdf")]) == 2
    assert "--out must end in .html" in capsys.readouterr().err


def test_a_force_with_casualties_and_trauma_records(browser, built, national, tmp_path):
    """A force selected from DfT's national files: casualty charts from the casualty table, the road-user
    filter against Python's count, and the MAIS 3+ table from linked (synthetic, seeded) trauma records."""
    _, folder = built
    wy = national.select(police_force="West Yorkshire")
    g = rs.generate_trauma(wy, tmp_path, seed=0)
    board = rs.dashboard(wy, out=tmp_path / "wy.html", trauma=(g.patients_path, g.injuries_path), by="calendar_year")
    assert board.sections[-1] == "MAIS 3+" and board.collisions == 5_286
    html = Path(board.path).read_text(encoding="utf-8")
    links = rs.link(wy, rs.read_trauma(g.patients_path, injuries=g.injuries_path), unit="casualty")
    mais = rs.severity_table(wy, links, by="financial_year")
    table = html[html.index('id="mais-table"'):html.index("</table>", html.index('id="mais-table"'))]
    assert f"<td>{int(mais.loc['2015-16', 'severe_mais3'])}</td>" in table  # 223 MAIS 3+ casualties
    browser.get(Path(board.path).as_uri())
    _wait(browser)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    by_user = browser.execute_script("return document.getElementById('users').data.map(t => t.x.reduce((a, b) => a + b, 0))")
    assert sum(by_user) == len(wy.casualties)  # every casualty, by its own severity and road user
    _choose(browser, "f-user", "pedestrian")
    flags = police_collisions(wy)["involves_pedestrian"].to_numpy(bool)
    sev = wy.collisions["collision_severity"].astype(str).to_numpy()
    expected = int((flags & np.isin(sev, ["Fatal", "Serious"])).sum())
    assert browser.find_element("id", "ksi-total").text == f"{expected:,}"
    browser.save_screenshot(str(folder / "west_yorkshire_pedestrians.png"))


def test_the_users_roads_and_mais3_per_resident(cambs, tmp_path):
    import json

    from roadsafe.maps.dashboard import _mais
    from roadsafe.trends.denominators import population

    roads = rs.datasets.cambridgeshire_roads()
    g = rs.generate_trauma(cambs, tmp_path, seed=0)
    trauma = (g.patients_path, g.injuries_path)
    board = rs.dashboard(cambs, out=tmp_path / "roads.html", roads=roads, trauma=trauma)
    html = Path(board.path).read_text(encoding="utf-8")
    start = html.index('id="rs-data">') + len('id="rs-data">')
    data = json.loads(html[start:html.index("</script>", start)])
    assert data["layers"]["roads"]["x"].count(None) > 1_000  # the classified roads, one part each
    assert data["sites"]["location"][0] == "Trumpington Road (A603) / Lensfield Road (A603)"
    mais = _mais(cambs, trauma, None)
    rows = {r[0]: dict(zip(mais["columns"], r)) for r in mais["rows"]}
    p = population()
    residents = p[(p["year"] == 2012) & p["code"].isin(["E10000003", "E06000031"])]["population"].sum()
    assert rows["2012-13"]["mais3_per_100k"] == round(rows["2012-13"]["severe_mais3"] / residents * 1e5, 2)
    assert rows["2011-12"]["mais3_per_100k"] is None and rows["2017-18"]["mais3_per_100k"] is None  # part years
    assert f"<td>{rows['2012-13']['mais3_per_100k']}</td>" in html
