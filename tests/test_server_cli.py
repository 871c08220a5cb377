"""``relgraph serve``: the thin command over relgraph.server.create_app."""

from __future__ import annotations

from click.testing import CliRunner

from relgraph.cli import cli


def test_serve_options_are_documented():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--timeout", "--workers", "--max-rows", "--max-body", "--cache-mb"):
        assert option in result.output
    assert "127.0.0.1" in result.output


def test_serve_refuses_a_directory_that_is_not_a_project(tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(tmp_path), "serve", "--port", "0"])
    assert result.exit_code == 2
    assert "not a relgraph project" in result.output


def test_serve_refuses_a_bad_timeout():
    result = CliRunner().invoke(cli, ["serve", "--timeout", "0"])
    assert result.exit_code == 2 and "--timeout" in result.output
