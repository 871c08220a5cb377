"""Headers every answer carries, so that a browser never runs or sniffs what the server did not mean.

The page loads only its own scripts and styles (YASGUI is vendored, nothing from a CDN), so the
Content-Security-Policy allows nothing else; inline styles are allowed for YASGUI's widgets.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP answer."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


JSONLD_CONTEXT_PATH = "/context.jsonld"
"""Where the server serves relgraph's JSON-LD context (the ``context.jsonld`` of a release)."""
JSONLD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"


def link_value(links) -> str:
    """An RFC 8288 ``Link`` value from (href, rel, media type or None) triples.

    >>> link_value([("/id/latvia.ttl", "alternate", "text/turtle"), ("/context.jsonld", JSONLD_CONTEXT_REL, None)])
    '</id/latvia.ttl>; rel="alternate"; type="text/turtle", </context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"'
    """
    return ", ".join(f'<{href}>; rel="{rel}"' + (f'; type="{kind}"' if kind else "") for href, rel, kind in links)


def representation_headers(media_type: str, alternates=()) -> tuple[tuple[str, str], ...]:
    """The ``Link`` header of an answer in ``media_type``: its ``alternates`` ((media type, href)
    of the same thing in other formats), and for JSON-LD the context it uses (the document also
    carries the context inline, so that it reads offline)."""
    links = [(href, "alternate", kind) for kind, href in alternates if kind != media_type]
    if media_type.split(";", 1)[0] == "application/ld+json":
        links.append((JSONLD_CONTEXT_PATH, JSONLD_CONTEXT_REL, None))
    return (("Link", link_value(links)),) if links else ()
