"""`roadsafe synth-trauma`: files written, the same files as the API, usage errors."""
from __future__ import annotations

import pytest
import roadsafe as rs
from roadsafe.cli.common import EXIT_USAGE
from roadsafe.cli.main import main as _run


def test_writes_the_files_of_the_api(cambs, tmp_path, capsys):
    code = _run(["synth-trauma", "--dataset", "cambridgeshire", "--out", str(tmp_path / "cli"), "--seed", "4",
                 "--quiet"])
    assert code == 0
    out = capsys.readouterr().out
    assert "from police collision records" in out and "written:" in out
    api = rs.generate_trauma(cambs, tmp_path / "api", seed=4)
    for name in ("trauma.csv", "injuries.csv", "truth.csv"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "api" / name).read_bytes()
    assert f"{api.counts['patients']:,} patients" in out


@pytest.mark.parametrize("argv,message", [
    (["--noise", "-1"], "argument --noise: must be a number at least 0, not '-1'"),
    (["--unit", "casualty"], "--unit casualty needs a casualty table"),
])
def test_usage_errors(tmp_path, capsys, argv, message):
    code = _run(["synth-trauma", "--dataset", "cambridgeshire", "--out", str(tmp_path), "--quiet"] + argv)
    assert code == EXIT_USAGE
    assert message in capsys.readouterr().err
