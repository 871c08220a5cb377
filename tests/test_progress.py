"""Progress on stderr: plain lines when not on a terminal, a bar redrawn in place on one."""

from __future__ import annotations

import io

import pytest

from relgraph.progress import SILENT, Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_start_every_tenth_and_end():
    out = io.StringIO()
    with Progress(stream=out, interval=0).task("load", total=100) as task:
        for _ in range(100):
            task.advance()
    lines = out.getvalue().splitlines()
    assert lines[0] == "load: 0/100"
    assert lines[1:-1] == [f"load: {n}/100" for n in range(10, 101, 10)]
    assert lines[-1].startswith("load: done in ") and lines[-1].endswith("(100/100)")


def test_a_terminal_gets_a_bar_redrawn_in_place():
    out = _Terminal()
    with Progress(stream=out, interval=0).task("reason", total=4) as task:
        task.advance(2)
    text = out.getvalue()
    assert "\r\x1b[2Kreason [############............] 2/4" in text
    assert text.endswith("\n") and text.count("\n") == 1


def test_the_tty_question_is_asked_of_the_stream():
    assert Progress(stream=_Terminal())._is_tty() and not Progress(stream=io.StringIO())._is_tty()


def test_an_interruption_is_reported_and_passed_on():
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        with Progress(stream=out).task("load", total=3):
            raise KeyboardInterrupt
    assert out.getvalue().splitlines()[-1].startswith("load: interrupted in ")


def test_silent_writes_nothing(capsys):
    with SILENT.task("load", total=2) as task:
        task.advance(2)
    assert capsys.readouterr() == ("", "")


def test_without_a_total_only_the_start_and_end_are_written():
    out = io.StringIO()
    with Progress(stream=out, interval=0).task("export") as task:
        task.advance(5)
    lines = out.getvalue().splitlines()
    assert lines[0] == "export: 0" and lines[-1].endswith("(5)") and len(lines) == 2
