"""A copy of the real project for tests that change it or load it into a store."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = "japan-latvia-relations"


def copy_real_project(target: Path, *, documents: Iterable[str] | None = None) -> Path:
    """A copy of the real project (ontology, data, queries) in ``target``, so a test may change it.

    With ``documents``, data/ holds only those document folders (and data/'s own files), so that
    answers compared with one document's golden answers stay that document's.
    """
    for part in ("ontology", "queries"):
        shutil.copytree(ROOT / part, target / part)
    if documents is None:
        shutil.copytree(ROOT / "data", target / "data")
        return target
    wanted = set(documents)
    shutil.copytree(
        ROOT / "data",
        target / "data",
        ignore=lambda folder, names: [n for n in names if Path(folder) == ROOT / "data" and (ROOT / "data" / n).is_dir() and n not in wanted],
    )
    return target
