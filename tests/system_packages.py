"""Debian packages the tests need (a browser, a CJK font, Virtuoso), installed with apt-get when
missing: CI runs as root on a fresh machine, and a test that cannot get its package fails, never skips."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def apt_install(package: str, why: str) -> None:
    """``apt-get update`` and ``apt-get install -y PACKAGE``; fails with apt's output when it cannot."""
    if shutil.which("apt-get") is None:
        pytest.fail(f"{why} and there is no apt-get to install Debian's {package} package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", package]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
        if done.returncode != 0:
            pytest.fail(f"could not install {package}: {' '.join(command)} exited {done.returncode}:\n"
                        f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
