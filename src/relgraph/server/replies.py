"""What a request gets back: a status, a media type and bytes, built in a worker or the server."""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """A finished HTTP answer; plain data, so that it crosses a pipe and can be cached."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, status: int, message: str, *, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
        """A plain-text message (errors are answered this way)."""
        return cls(status, TEXT, (message.rstrip("\n") + "\n").encode("utf-8"), headers)


class HttpError(Exception):
    """A request the server will not answer as asked: the status and the message to send."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)

    def reply(self) -> Reply:
        return Reply.text(self.status, self.message)
