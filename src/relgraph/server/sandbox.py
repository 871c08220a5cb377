"""Cut a query worker off from the network, so that a query which slips past the text check
(see :mod:`relgraph.sparql_text`) still reaches nothing.

On Linux a process can move into a network namespace of its own (``unshare(CLONE_NEWNET)``):
it has only a loopback interface, and that one is down, so every ``connect`` fails with
"network is unreachable" and no name resolves. Root may do so directly; another user can
when the kernel lets it make a user namespace first. The pipe to the server, opened before,
keeps working: file descriptors are not tied to a namespace.
"""

from __future__ import annotations

import ctypes
import os

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


class SandboxError(OSError):
    """The process could not be cut off from the network (no namespaces here)."""


def cut_network() -> None:
    """Put this process (call it right after a fork) into an empty network namespace.

    SandboxError with the reason when the system allows neither way.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError) as error:
        raise SandboxError(f"no unshare() on this system: {error}") from None
    reasons = []
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if unshare(flags) == 0:
            return
        reasons.append(os.strerror(ctypes.get_errno()))
    raise SandboxError(f"cannot make a network namespace: {'; '.join(reasons)}")
