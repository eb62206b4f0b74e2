"""Every report entry is kept, however many: a load with thousands of flagged values reports each one, with its
line and value, and the entries DataFrame reads back what the engine recorded."""
from __future__ import annotations

import pandas as pd
import pytest
import roadsafe as rs
from roadsafe import _engine, errors

UNLISTED = "4"  # casualty_class lists 1, 2 and 3 (fields of the generated files are all listed codes)
REASON = "code is not in the data guide's list for this field"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    info = _engine.synth.write_stats19_synthetic(str(folder), first_year=2019, years=1, collisions_per_year=2000,
                                                 seed=11)
    return {name: str(info[name]) for name in ("collisions", "vehicles", "casualties")}


def planted_copy(path: str, target, column: str, every: int) -> dict[int, str]:
    """``path`` with ``column`` set to UNLISTED on every ``every``-th line (from line 2, the first row); returns
    line -> the value the file held there before."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = lines[0].split(",").index(column)
    replaced = {}
    for n in range(2, len(lines) + 1, every):  # file lines are 1-based; the header is line 1
        fields = lines[n - 1].split(",")
        replaced[n], fields[i] = fields[i], UNLISTED
        lines[n - 1] = ",".join(fields)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return replaced


def test_a_load_with_thousands_of_flagged_values_reports_every_one(generated, tmp_path):
    clean = rs.read_stats19(list(generated.values()))
    assert clean.report.entry_count == 0 and clean.report.entries.empty
    casualties = tmp_path / "casualties.csv"
    replaced = planted_copy(generated["casualties"], casualties, "casualty_class", every=1)
    assert len(replaced) == len(clean.casualties) > 2000 and set(replaced.values()) <= {"1", "2", "3"}

    ds = rs.read_stats19([generated["collisions"], generated["vehicles"], str(casualties)])
    e = ds.report.entries
    assert ds.report.entry_count == len(e) == len(replaced)
    assert list(e.line) == sorted(replaced)
    assert set(e.value) == {UNLISTED} and set(e.column) == {"casualty_class"} and set(e.table) == {"casualty"}
    assert set(e.reason) == {REASON} and set(e.outcome) == {"row loaded, flagged"} and set(e.file) == {str(casualties)}
    # The first and last casualty rows, read from the file by hand: line 2 and the file's last line.
    first, last = e.iloc[0], e.iloc[-1]
    assert (first.file, first.line, first.column, first.value) == (str(casualties), 2, "casualty_class", UNLISTED)
    assert last.line == len(clean.casualties) + 1
    # The flagged values are loaded as their code, labelled as one the guide does not list.
    assert (ds.casualties.casualty_class == "code 4 (not in the data guide)").all()
    s = ds.report.summary()
    assert s[["outcome", "table", "column", "reason", "count", "first_line"]].values.tolist() == [
        ["row loaded, flagged", "casualty", "casualty_class", REASON, len(replaced), 2]]


def test_strict_names_the_first_flagged_value(generated, tmp_path):
    casualties = tmp_path / "casualties.csv"
    replaced = planted_copy(generated["casualties"], casualties, "casualty_class", every=500)
    with pytest.raises(errors.InvalidInputError) as err:
        rs.read_stats19([generated["collisions"], generated["vehicles"], str(casualties)], strict=True)
    assert (err.value.file, err.value.line, err.value.column, err.value.value) == (
        str(casualties), min(replaced), "casualty_class", UNLISTED)


def test_entries_round_trip_through_the_dataframe(generated, tmp_path):
    """Flagged values, duplicates (a reason naming the row loaded first) and a rejected row: the DataFrame holds
    what the engine recorded, entry for entry, and reads back the same from a CSV file."""
    vehicles = tmp_path / "vehicles.csv"
    replaced = planted_copy(generated["vehicles"], vehicles, "sex_of_driver", every=7)
    with open(vehicles, "a", encoding="utf-8") as f:
        f.write("2019XX,short row\n")
    ds = rs.read_stats19([generated["collisions"], str(vehicles), generated["collisions"]])
    e = ds.report.entries
    recorded = ds._engine.report_entries  # the engine's own formatting, one tuple per entry
    assert list(e.itertuples(index=False, name=None)) == recorded
    rows = len(ds.collisions)
    assert len(e) == len(replaced) + 1 + rows
    duplicates = e[e.outcome == "duplicate not loaded"]
    assert len(duplicates) == rows
    first = duplicates.iloc[0]
    assert first.reason == f"already loaded from {generated['collisions']}:2" and first.line == 2
    assert (e.outcome == "row rejected").sum() == 1
    e.to_csv(tmp_path / "entries.csv", index=False)
    back = pd.read_csv(tmp_path / "entries.csv", dtype={"value": str}, keep_default_na=False)
    assert back.values.tolist() == e.astype(object).values.tolist()
    assert ds.report.summary()["count"].tolist() == [len(replaced), 1, rows]
    e.loc[0, "line"] = 0  # the DataFrame is the user's to change (the engine's buffers are read-only)
    assert ds.report.entries.line.iloc[0] == 0
