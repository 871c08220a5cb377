"""Each of our test articles, added to a copy of the project with the tools alone, conforms: a
new user's path from a text to a graph (`new`, `draft`, `review`, `accept --all`, `validate`,
`coverage`), with real CLI runs and no hand edit. What the draft gets wrong or misses is
measured against our hand-curated answers by bench/draft_recall.py, not here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from project_copies import copy_real_project

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def relgraph(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "relgraph.cli", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("slug", sorted(p.name for p in ARTICLES.iterdir() if (p / "source.txt").is_file()))
def test_an_article_curated_with_the_tools_conforms(tmp_path, slug):
    project = copy_real_project(tmp_path / "project")
    steps = [
        ("new", slug, "--text", str(ARTICLES / slug / "source.txt"), "--title", slug.replace("-", " "),
         "--url", f"https://example.org/{slug}"),
        ("draft", slug),
        ("review", slug),
        ("accept", slug, "--all"),
    ]
    for step in steps:
        done = relgraph(project, *step)
        assert done.returncode == 0, (step[0], done.stdout, done.stderr)
    assert not (project / "data" / slug / "draft.ttl").exists()  # every candidate accepted
    validated = relgraph(project, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    covered = relgraph(project, "coverage", slug)
    assert covered.returncode == 0, covered.stdout
    assert "coverage complete" in covered.stdout
