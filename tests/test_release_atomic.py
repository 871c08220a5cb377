"""A release is replaced whole (issue 10, part 4): a build killed with SIGKILL at any phase, or
stopped by a full disk, leaves --out as the whole old release or the whole new one, never a
mix, and the next build cleans what the dead one left.

Each kill is a real ``kill -9`` of a real ``relgraph build`` process: a small prelude, run in
that process only, makes it kill itself at one chosen point (before a phase starts, after the
first release file is written, between the two renames of a swap, after the swap).
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from relgraph.build import RELEASE_FILES

# (module, function, when, which call): the build kills itself around that call
KILL_POINTS = {
    "load": ("relgraph.build", "load_into_store", "before", 1),
    "reason": ("relgraph.reasoning.in_store", "reason_in_store", "before", 1),
    "validate": ("relgraph.build", "validate_in_store", "before", 1),
    "first file written": ("relgraph.build", "write_atomic", "after", 1),
    "last file written": ("relgraph.build", "write_atomic", "after", len(RELEASE_FILES)),
    "swapped, old not yet removed": ("relgraph.release", "_swap", "after", 1),
}
PRELUDE = """
import os, signal, sys, importlib
module = importlib.import_module({module!r})
original = getattr(module, {function!r})
calls = [0]
def wrapper(*args, **kwargs):
    calls[0] += 1
    if {when!r} == "before" and calls[0] == {nth}:
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    if {when!r} == "after" and calls[0] == {nth}:
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(module, {function!r}, wrapper)
{extra}
from relgraph.cli import main
sys.argv = ["relgraph", *{argv!r}]
main()
"""
NO_EXCHANGE = "import relgraph.release as release; release._exchange = lambda a, b: False"


def build(project: Path, out: Path, *, prelude: str | None = None, **kwargs) -> subprocess.CompletedProcess:
    argv = ["--project", str(project), "build", "--out", str(out)]
    command = [sys.executable, "-c", prelude] if prelude else [sys.executable, "-m", "relgraph.cli", *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)


def killed_build(project: Path, out: Path, point: str, *, extra: str = "") -> subprocess.CompletedProcess:
    module, function, when, nth = KILL_POINTS.get(point, (None, None, None, None)) if point in KILL_POINTS else point
    argv = ["--project", str(project), "build", "--out", str(out)]
    prelude = PRELUDE.format(module=module, function=function, when=when, nth=nth, argv=argv, extra=extra)
    return build(project, out, prelude=prelude)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def releases(good, tmp_path):
    """The project, its --out holding release A, and B: the release of the changed project
    (built elsewhere), so that a test knows both whole releases byte for byte."""
    out = tmp_path / "release"
    assert build(good, out).returncode == 0
    old = snapshot(out)
    facts = good / "data" / "visits" / "facts.ttl"
    facts.write_text(facts.read_text(encoding="utf-8") + '\nrgd:latvia rdfs:comment "A state."@en .\n', encoding="utf-8")
    assert build(good, tmp_path / "reference").returncode == 0
    new = snapshot(tmp_path / "reference")
    shutil.rmtree(good / ".relgraph-cache")  # the killed build loads and reasons again
    assert old != new and set(old) == set(new) == set(RELEASE_FILES)
    return good, out, old, new


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_a_build_killed_at_any_phase_leaves_a_whole_release(releases, point):
    project, out, old, new = releases
    done = killed_build(project, out, point)
    assert done.returncode == -signal.SIGKILL, done.stderr
    expected = new if point == "swapped, old not yet removed" else old
    assert snapshot(out) == expected
    assert build(project, out).returncode == 0  # the next build cleans up and swaps in the new one
    assert snapshot(out) == new
    assert leftovers(out) == []
    # nor is half a store left in the cache folder (a kill while the store was made)
    assert sorted(p.name for p in (project / ".relgraph-cache").glob(".store-*")) == []


def test_a_build_killed_between_the_two_renames_of_a_swap_gets_its_release_back(releases):
    """Where the system cannot exchange two folders at once, --out is renamed aside first: a
    kill right then leaves no --out, and the next run puts the old release back first."""
    project, out, old, new = releases
    done = killed_build(project, out, ("os", "rename", "after", 1), extra=NO_EXCHANGE)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert not out.exists() and len(leftovers(out)) == 2  # the old release aside, the staging folder
    from relgraph.release import recover

    recover(out)
    assert snapshot(out) == old and leftovers(out) == []
    assert build(project, out).returncode == 0 and snapshot(out) == new


def test_without_an_atomic_exchange_the_swap_still_replaces_the_whole_release(releases):
    project, out, old, new = releases
    done = killed_build(project, out, ("relgraph.release", "_swap", "after", 1), extra=NO_EXCHANGE)
    assert done.returncode == -signal.SIGKILL
    assert snapshot(out) == new
    assert build(project, out).returncode == 0 and leftovers(out) == []


@contextlib.contextmanager
def small_disk(folder: Path, size: str):
    """A tmpfs of ``size`` mounted at ``folder`` (this machine lets root mount one); None where
    the system refuses, and the test then limits the file size of the build instead."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


def test_a_full_disk_leaves_the_old_release_and_no_temporary_files(releases, tmp_path):
    project, _, old, new = releases
    with small_disk(tmp_path / "disk", "256k") as mounted:
        out = tmp_path / "disk" / "release"
        project_text = project / "data" / "visits" / "facts.ttl"
        changed = project_text.read_text(encoding="utf-8")
        project_text.write_text(changed.replace('\nrgd:latvia rdfs:comment "A state."@en .\n', ""), encoding="utf-8")
        assert build(project, out).returncode == 0 and snapshot(out) == old
        project_text.write_text(changed, encoding="utf-8")
        if mounted:
            free = tmp_path / "disk" / "filler"
            descriptor = os.open(free, os.O_WRONLY | os.O_CREAT, 0o644)
            try:  # fill the disk: no room for one more release
                while True:
                    os.write(descriptor, b"\0" * 4096)
            except OSError:
                pass
            finally:
                os.close(descriptor)
            done = build(project, out)
        else:
            done = build(project, out, preexec_fn=_limit_file_size)
        assert done.returncode == 2, done.stderr
        assert str(out) in done.stderr and "Traceback" not in done.stderr
        assert snapshot(out) == old
        assert leftovers(out) == []
        if mounted:
            free.unlink()
            assert build(project, out).returncode == 0 and snapshot(out) == new


@pytest.mark.parametrize("out", ["/proc/relgraph-release", "/dev/null/sub"])
def test_an_out_folder_that_cannot_be_made_is_a_usage_error(good, out):
    done = build(good, Path(out))
    assert done.returncode == 2, done.stderr
    assert out in done.stderr and "Traceback" not in done.stderr


def test_a_folder_of_someone_s_own_is_never_replaced(good, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    done = build(good, mine)
    assert done.returncode == 2
    assert "holds files that are not part of a relgraph release (notes.txt)" in done.stderr
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_an_empty_data_folder_is_refused_and_the_release_kept(good, tmp_path):
    out = tmp_path / "release"
    assert build(good, out).returncode == 0
    old = snapshot(out)
    for path in (good / "data").rglob("*.ttl"):
        path.unlink()
    done = build(good, out)
    assert done.returncode == 2
    assert "no Turtle files: nothing to build" in done.stderr
    assert snapshot(out) == old


def test_a_store_whose_reasoning_was_killed_is_never_complete(good, tmp_path):
    """kill -9 once the inferred graph is in the store but before reasoning's checks: the store
    stays marked loading, so every reader refuses it (and the next build loads it again)."""
    from relgraph.stores import StoreIncomplete, open_store

    store = tmp_path / "store"
    argv = ["--project", str(good), "build", "--out", str(tmp_path / "out"), "--store", f"oxigraph:{store}"]
    prelude = PRELUDE.format(module="relgraph.reasoning.in_store", function="store_violations", when="before", nth=1,
                             argv=argv, extra="")
    done = subprocess.run([sys.executable, "-c", prelude], capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    opened = open_store(f"oxigraph:{store}")
    try:
        assert not opened.complete and opened.digest is None
        with pytest.raises(StoreIncomplete):
            opened.sparql("ASK { ?s ?p ?o }")
    finally:
        opened.close()
    rebuilt = subprocess.run([sys.executable, "-m", "relgraph.cli", *argv], capture_output=True, text=True, timeout=300)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["inferred.nt", "relgraph.nt"]
