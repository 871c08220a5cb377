"""A limit on the requests one client may have in flight, as the Wikidata Query Service has.

The worker pool forks a worker for each task while it has fewer than its most (see
``workers``); this keeps one client from taking them all: past ``limit`` requests in flight,
the client's next one is answered 429 with ``Retry-After`` at once, and the others' requests
are not kept waiting. A client is its IP address (behind a proxy every client is the
proxy's: give the proxy its own limit).
"""

from __future__ import annotations

from collections import Counter

RETRY_AFTER = "2"
EXEMPT = ("/static/", "/favicon.ico")
"""Paths that never reach a worker."""


class ClientLimit:
    """ASGI middleware: at most ``limit`` requests in flight per client address."""

    def __init__(self, app, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.in_flight: Counter[str] = Counter()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown",))[0]
        if self.in_flight[client] >= self.limit:
            await _too_many(send, self.limit)
            return
        self.in_flight[client] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight[client] -= 1
            if not self.in_flight[client]:
                del self.in_flight[client]


async def _too_many(send, limit: int) -> None:
    body = (f"too many requests at once: this server answers at most {limit} requests in flight "
            "per client (--per-client); retry when one has finished\n").encode("utf-8")
    await send({
        "type": "http.response.start",
        "status": 429,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    (b"retry-after", RETRY_AFTER.encode())],
    })
    await send({"type": "http.response.body", "body": body})
