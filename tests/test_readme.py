"""The README's examples are true: each `$ relgraph …` it shows prints what it says, and its
Python example runs. Lines shown as `...` elide output; timings vary and are not compared."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from project_copies import SEED, copy_real_project

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str = "") -> list[list[str]]:
    """The lines of each fenced code block of the README with the given info string."""
    blocks, current, fence = [], None, None
    for line in README.splitlines():
        if current is None and line.startswith("```"):
            fence, current = line[3:].strip(), []
        elif current is not None and line.startswith("```"):
            if fence == language:
                blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def shell_examples() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for every `$ relgraph` line in the README's code blocks."""
    examples = []
    for lines in code_blocks():
        for i, line in enumerate(lines):
            if line.startswith("$ relgraph"):
                expected = []
                for following in lines[i + 1 :]:
                    if following.startswith("$ "):
                        break
                    expected.append(following)
                while expected and not expected[-1]:
                    expected.pop()
                examples.append((line[2:], expected))
    return examples


EXAMPLES = shell_examples()


def test_the_readme_shows_every_command():
    shown = {shlex.split(command)[1] for command, _ in EXAMPLES}
    assert {"build", "validate", "query", "coverage"} <= shown


def test_the_quick_start_is_two_commands_and_ci_runs_the_second():
    commands = ["\n".join(block) for block in code_blocks("sh")]
    assert commands == [
        "python -m pip install -e . && relgraph build",
        "python -m pip install -e '.[test]' && python -m pytest",
    ]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory) -> Path:
    """The project with the seed document only: the README's examples show the seed's answers,
    which stay true whatever other documents data/ holds."""
    return copy_real_project(tmp_path_factory.mktemp("readme"), documents=[SEED])


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_command_prints_what_the_readme_says(command, expected, tmp_path, seed_project):
    args = shlex.split(command)
    args[1:1] = ["--project", str(seed_project)]
    if args[3] == "build":
        args += ["--out", str(tmp_path / "build")]
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    actual = (run.stdout + run.stderr).splitlines()
    position = 0
    for line in expected:
        if line.strip() == "..." or line.startswith("timings:"):
            continue
        if line.startswith("wrote "):
            line = line.replace(" build", f" {tmp_path / 'build'}")
        assert line in actual[position:], f"{command}: missing or out of order: {line!r}"
        position = actual.index(line, position) + 1


def test_the_python_example_runs(tmp_path, monkeypatch):
    (code,) = ("\n".join(block) for block in code_blocks("python"))
    monkeypatch.chdir(ROOT)
    code = code.replace('Path("build")', repr(str(tmp_path / "build")).join(("Path(", ")")))
    exec(compile(code, "README.md", "exec"), {})
