"""`relgraph synth` and `relgraph build --reasoner`, as a user runs them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from relgraph.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def test_synth_writes_the_same_world_for_the_same_seed(tmp_path):
    outputs = []
    for run in ("a", "b"):
        target = tmp_path / run / "world.nt"
        result = CliRunner().invoke(cli, ["synth", "--states", "4", "--seed", "7", "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert f"to {target}" in result.stderr
        outputs.append((target.read_bytes(), sorted(p.name for p in (target.parent / "sources").iterdir())))
    assert outputs[0] == outputs[1]
    assert outputs[0][1], "no source texts written"
    other = tmp_path / "c" / "world.nt"
    CliRunner().invoke(cli, ["synth", "--states", "4", "--seed", "8", "-o", str(other)])
    assert other.read_bytes() != outputs[0][0]


def test_synth_refuses_a_world_of_one_state(tmp_path):
    result = CliRunner().invoke(cli, ["synth", "--states", "1", "-o", str(tmp_path / "w.nt")])
    assert result.exit_code == 2
    assert "--states" in result.output


def test_both_reasoners_build_the_same_release(tmp_path):
    for engine in ("owlrl", "reasonable"):
        result = CliRunner().invoke(
            cli, ["--project", str(ROOT), "build", "--reasoner", engine, "--out", str(tmp_path / engine)]
        )
        assert result.exit_code == 0, result.output
    for name in ("inferred.ttl", "relgraph.trig"):
        assert (tmp_path / "owlrl" / name).read_bytes() == (tmp_path / "reasonable" / name).read_bytes(), name


def test_synth_refuses_fewer_states_than_a_world_needs(tmp_path):
    result = CliRunner().invoke(cli, ["synth", "--states", "3", "-o", str(tmp_path / "w.nt")])
    assert result.exit_code == 2
    assert "x>=4" in result.output
    assert not (tmp_path / "w.nt").exists()


def test_an_unwritable_output_is_exit_2_naming_the_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    for args in (
        ["--project", str(ROOT), "export", "-o", str(blocker / "out.ttl")],
        ["synth", "--states", "4", "-o", str(blocker / "world.nt")],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert f"relgraph: error: cannot write {blocker / ''}" in result.stderr
        assert "Traceback" not in result.output
