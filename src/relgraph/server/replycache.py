"""A bounded cache of finished replies: the graph never changes while the server runs, so the
same task (same query, parameters and negotiated representation) always gets the same bytes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from .replies import Reply


class ReplyCache:
    """Least-recently-used replies, at most ``max_bytes`` of bodies in all (0 turns it off)."""

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Reply] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable) -> Reply | None:
        reply = self._entries.get(key)
        if reply is not None:
            self._entries.move_to_end(key)
        return reply

    def put(self, key: Hashable, reply: Reply) -> None:
        """Keep ``reply`` if it is a success and fits; evict the oldest entries to make room."""
        size = len(reply.body)
        if reply.status != 200 or size > self.max_bytes // 4 or key in self._entries:
            return
        self._entries[key] = reply
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, old = self._entries.popitem(last=False)
            self._bytes -= len(old.body)
