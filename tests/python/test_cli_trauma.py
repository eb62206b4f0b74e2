"""`roadsafe synth-trauma`: files written, the same files as the API, usage errors."""
from __future__ import annotations

import argparse

import pytest

import roadsafe as rs
from roadsafe import cli, cli_trauma


def _run(argv: list[str]) -> int:
    """cli.main's handling, with synth-trauma registered whether or not cli.py wires it yet."""
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "synth-trauma" not in sub.choices:
        cli_trauma.register(sub)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except cli.UsageError as e:
        print(f"roadsafe: {e}")
        return cli.EXIT_USAGE


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
    (["--noise", "-1"], "--noise must be a number >= 0"),
    (["--unit", "casualty"], "--unit casualty needs a casualty table"),
])
def test_usage_errors(tmp_path, capsys, argv, message):
    code = _run(["synth-trauma", "--dataset", "cambridgeshire", "--out", str(tmp_path), "--quiet"] + argv)
    assert code == cli.EXIT_USAGE
    assert message in capsys.readouterr().out
