"""A copy of the real project for tests that change it or load it into a store."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_real_project(target: Path) -> Path:
    """A copy of the real project (ontology, data, queries) in ``target``, so a test may change it."""
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, target / part)
    return target
