"""Debian packages the tests need (a browser, a CJK font, Virtuoso), installed with apt-get when
missing: CI runs as root on a fresh machine, and a test that cannot get its package fails, never skips."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def apt_install(package: str, why: str) -> None:
    """``apt-get update`` and ``apt-get install -y PACKAGE``; fails with apt's output when it cannot.

    Test workers (``pytest -n``) that miss the same package take turns: the first installs it
    under a lock file, the others find it installed once they hold the lock; and apt waits for
    dpkg's own lock (another apt on the machine) instead of failing at once.
    """
    if shutil.which("apt-get") is None:
        pytest.fail(f"{why} and there is no apt-get to install Debian's {package} package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    wait = ["-o", "DPkg::Lock::Timeout=600"]
    with open(Path(tempfile.gettempdir()) / "relgraph-tests-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed(package):
            return
        for command in (["apt-get", *wait, "update"], ["apt-get", *wait, "install", "-y", package]):
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
            if done.returncode != 0:
                pytest.fail(f"could not install {package}: {' '.join(command)} exited {done.returncode}:\n"
                            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def _installed(package: str) -> bool:
    """Whether dpkg holds ``package`` installed (another worker may have installed it meanwhile)."""
    done = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.split()[-1:] == ["installed"]  # "install ok installed"
