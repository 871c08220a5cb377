"""A release folder is replaced whole: readers see the old release or the new one, never a mix.

A build writes its files into a staging folder beside ``--out`` (``.build.staging-PID``) and,
once every file is complete and on disk, swaps it with ``--out`` in one step: Linux's
``renameat2(RENAME_EXCHANGE)`` exchanges the two folders atomically, and the old release,
now in the staging folder's place, is removed. Where the system has no such call, ``--out``
is renamed aside (``.build.old-PID``) and the staging folder renamed into its place; a build
killed between the two renames leaves the old release aside, and the next build puts it back
before it starts. A kill or a full disk at any other moment leaves ``--out`` as it was; the
staging folders of builds that died are removed by the next build.

``--out`` holds nothing but a release: a folder with other files in it is refused, so that a
build never replaces a folder of someone's own.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
from collections.abc import Iterator, Iterable
from pathlib import Path

from .errors import OutputError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_STALE = re.compile(r"^\.(?P<name>.+)\.(?P<kind>staging|old)-(?P<pid>\d+)$")


@contextlib.contextmanager
def staged(out_dir: Path, *, allowed: Iterable[str]) -> Iterator[Path]:
    """A fresh staging folder for the release that is to become ``out_dir``.

    When the block ends without an error, the staging folder replaces ``out_dir`` whole; if
    the block raises, the staging folder is removed and ``out_dir`` is left as it was.
    ``allowed`` are the file names a release may hold: OutputError if ``out_dir`` holds
    anything else (or is not a folder, or cannot be written beside).
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(out_dir, error.strerror or str(error)) from None
    recover(out_dir)
    _check_is_release(out_dir, set(allowed))
    staging = parent / f".{out_dir.name}.staging-{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as error:
        raise OutputError(out_dir, error.strerror or str(error)) from None
    try:
        try:
            yield staging
        except OutputError as error:  # name the file of the release, not of the staging folder
            if staging in error.path.parents or error.path == staging:
                reason = str(error).split(": ", 1)[-1]
                raise OutputError(out_dir / error.path.relative_to(staging),
                                  f"{reason} (the release in {out_dir} is left as it was)") from None
            raise
        try:
            _sync(staging)
            _swap(staging, out_dir)
        except OSError as error:
            raise OutputError(out_dir, error.strerror or str(error)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def recover(out_dir: Path) -> None:
    """Undo what a killed build left: put a release left aside back in place, and remove the
    staging folders of builds that are no longer running and stray temporary files."""
    out_dir = Path(out_dir)
    parent = out_dir.parent
    if not parent.is_dir():
        return
    for entry in sorted(parent.iterdir()):
        match = _STALE.match(entry.name)
        if match is None or match["name"] != out_dir.name or _alive(int(match["pid"])):
            continue
        if match["kind"] == "old" and not out_dir.exists():
            os.rename(entry, out_dir)  # the build died between its two renames: the old release is back
        else:
            shutil.rmtree(entry, ignore_errors=True)
    if out_dir.is_dir():
        for temp in out_dir.glob(".*.tmp"):  # an earlier version's write_atomic, killed mid-write
            temp.unlink(missing_ok=True)


def _check_is_release(out_dir: Path, allowed: set[str]) -> None:
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputError(out_dir, "not a folder")
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in allowed)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise OutputError(out_dir, f"holds files that are not part of a relgraph release ({shown}); "
                                   "give --out a new or empty folder")


def _sync(folder: Path) -> None:
    """Flush the folder's files and its entries to disk before it is swapped in."""
    for path in folder.iterdir():
        with open(path, "rb") as stream:
            os.fsync(stream.fileno())
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        return  # the old release is now at ``staging``, which the caller removes
    aside = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    os.rename(out_dir, aside)
    os.rename(staging, out_dir)
    shutil.rmtree(aside, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two folders atomically; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OutputError(b, os.strerror(code))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier build of this very process (a library user's loop) is over
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
