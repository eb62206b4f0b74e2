"""read_stats19 against the second STATS19 generator (benchmarks/peers), written apart from roadsafe's own.

The generator says what it planted -- codes the data guide does not list, rows cut short or with a stray
separator -- and the reader must report exactly those: the independent check of the reader behind the ingest
benchmark's third input. Years 2019-2023 cover both accident_index forms (letters before 2020), the districts
left -1 from 2021 and the fields introduced in 2023.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

import roadsafe as rs

GENERATOR = Path(__file__).resolve().parents[3] / "benchmarks" / "peers" / "second_stats19_generator.py"
NOT_IN_GUIDE = "code is not in the data guide's list for this field"
FILES = (("collisions", "collision"), ("vehicles", "vehicle"), ("casualties", "casualty"))


@functools.cache
def _generator():
    """The generator module, loaded from its file (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("second_stats19_generator", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def _generate(folder: Path):
    return _generator().generate(folder, first_year=2019, years=5, collisions_per_year=1000, seed=11,
                                 malformed_per_million=1500)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    files, planted = _generate(tmp_path_factory.mktemp("second"))
    ds = rs.read_stats19([files["collisions"], files["vehicles"], files["casualties"]], progress=False)
    return files, planted, ds


def _keys_by_line(path: str, width: int) -> dict[int, tuple]:
    """Line number -> (accident_index, vehicle_reference, casualty_reference)[:width], read with the csv module."""
    with open(path, newline="", encoding="ascii") as f:
        rows = csv.reader(f)
        next(rows)
        return {line: tuple(row[0:1] + row[3:3 + width - 1]) for line, row in enumerate(rows, start=2)}


def test_every_row_is_loaded_or_rejected_and_the_rejected_are_the_malformed(sample):
    files, planted, ds = sample
    report = ds.report.files.set_index("table")
    for name, table in FILES:
        malformed = {line: what for line, _, what in planted.malformed[table]}
        assert report.loc[table, "rows_read"] == planted.rows[table]
        assert report.loc[table, "rows_loaded"] + report.loc[table, "rows_rejected"] == planted.rows[table]
        assert report.loc[table, "rows_rejected"] == len(malformed) >= 2
        assert report.loc[table, "rows_duplicate"] == 0
        rejected = ds.report.entries[(ds.report.entries.outcome == "row rejected") & (ds.report.entries.table == table)]
        assert dict(zip(rejected.line, rejected.reason)) == {
            line: f"expected {len(rs_columns(table))} fields, found "
                  f"{len(rs_columns(table)) - 3 if what.startswith('cut') else len(rs_columns(table)) + 1}"
            for line, what in malformed.items()}
    assert len(ds.collisions) == planted.rows["collision"] - len(planted.malformed["collision"])


def rs_columns(table: str) -> list:
    return _generator().LAYOUT[table]


def test_the_values_flagged_are_exactly_the_codes_planted(sample):
    _, planted, ds = sample
    entries = ds.report.entries[ds.report.entries.reason == NOT_IN_GUIDE]
    assert set(entries.outcome) == {"row loaded, flagged"}
    found = {(t, int(line), column, value) for t, line, column, value in
             zip(entries.table, entries.line, entries["column"], entries.value)}
    expected = {(table, int(line), rs_columns(table)[position][0], str(value))
                for table, (lines, positions, values) in planted.flagged.items()
                for line, position, value in zip(lines, positions, values)}
    assert len(found) == len(entries) == planted.flagged_count() > 1000
    assert found == expected
    # Every coded field of the three files has some (the rate is per value, 3.3%).
    assert len({(t, c) for t, _, c, _ in found}) == sum(kind == "code" for t in ("collision", "vehicle", "casualty")
                                                        for _, kind, _ in rs_columns(t))


def test_the_joins_miss_only_the_children_of_malformed_rows(sample):
    files, planted, ds = sample
    bad_collisions = {key[0] for _, key, _ in planted.malformed["collision"]}
    bad_vehicles = {key[:2] for _, key, _ in planted.malformed["vehicle"]}
    vehicle_lines = _keys_by_line(files["vehicles"], 2)
    casualty_lines = _keys_by_line(files["casualties"], 3)
    skipped = {table: {line for line, _, _ in planted.malformed[table]} for table in ("vehicle", "casualty")}
    no_collision = {("vehicle", line) for line, key in vehicle_lines.items()
                    if key[0] in bad_collisions and line not in skipped["vehicle"]}
    no_collision |= {("casualty", line) for line, key in casualty_lines.items()
                     if key[0] in bad_collisions and line not in skipped["casualty"]}
    no_vehicle = {("casualty", line) for line, key in casualty_lines.items()
                  if (key[0], int(key[1])) in {(i, int(v)) for i, v in bad_vehicles} and line not in skipped["casualty"]}
    entries = ds.report.entries
    orphans = entries[entries.reason == "no collision with this collision_index was loaded"]
    assert set(zip(orphans.table, orphans.line)) == no_collision and no_collision
    orphans = entries[entries.reason == "no vehicle with this collision_index and vehicle_reference was loaded"]
    assert set(zip(orphans.table, orphans.line)) == no_vehicle and no_vehicle
    # Nothing else is reported: the files hold no other problem.
    assert set(entries.reason) == {NOT_IN_GUIDE, "no collision with this collision_index was loaded",
                                   "no vehicle with this collision_index and vehicle_reference was loaded"} | set(
        entries[entries.outcome == "row rejected"].reason)
    # Every loaded vehicle and casualty of a well-formed collision is in the tables, under its collision's index.
    loaded = set(ds.collisions["collision_index"])
    assert set(ds.vehicles["collision_index"]) - loaded == bad_collisions & set(ds.vehicles["collision_index"])
    assert set(ds.casualties["collision_index"]) - loaded == bad_collisions & set(ds.casualties["collision_index"])


def test_the_files_read_as_the_2021_2023_generation_with_real_index_forms(sample):
    _, _, ds = sample
    assert set(ds.report.files.generation) == {"2021-2023"}
    index = ds.collisions["collision_index"].astype(str)
    years = ds.collisions["date"].dt.year
    assert index.str.match(r"^\d{6}[0-9A-Z]{7}$").all()
    assert index[years < 2020].str.contains("[A-Z]").any() and not index[years >= 2020].str.contains("[A-Z]").any()
    assert (index.str[:4].astype(int) == years).all()
    # Day of week from the date; the district left -1 (missing) from 2021 on, but for planted codes.
    assert (ds.collisions["day_of_week"].astype(str) == ds.collisions["date"].dt.day_name())[
        ds.collisions["day_of_week"].astype(str).isin(["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                                        "Friday", "Saturday"])].all()
    district = ds.collisions.loc[years >= 2021, "local_authority_district"]
    assert (district.isna() | district.astype(str).str.endswith("(not in the data guide)")).all()
    assert district.isna().mean() > 0.9


def test_the_same_seed_writes_the_same_files(tmp_path):
    first, _ = _generate(tmp_path / "a")
    second, _ = _generate(tmp_path / "b")
    for name, _ in FILES:
        assert hashlib.sha256(Path(first[name]).read_bytes()).digest() == hashlib.sha256(
            Path(second[name]).read_bytes()).digest()
