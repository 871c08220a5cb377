"""Fixture projects: ``good`` copied to a temporary directory, with one fault laid over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PROJECTS = Path(__file__).parent / "fixtures" / "projects"


@pytest.fixture
def make_project(tmp_path):
    """Return ``make(*overlays) -> Path``: a fresh copy of ``good`` with the overlays applied."""

    made = []

    def make(*overlays: str) -> Path:
        made.append(overlays)
        root = tmp_path / ("project" if len(made) == 1 else f"project-{len(made)}")
        shutil.copytree(PROJECTS / "good", root)
        for overlay in overlays:
            shutil.copytree(PROJECTS / overlay, root, dirs_exist_ok=True)
        return root

    return make


@pytest.fixture
def good(make_project) -> Path:
    """A fresh copy of the good project."""
    return make_project()


# The server tests' real parts (one server process for the whole session): see server_fixtures.py.
from server_fixtures import chromium, listener, server  # noqa: E402,F401
