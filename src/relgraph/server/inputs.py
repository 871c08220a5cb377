"""Reading a request strictly: parameters, bodies and headers that do not parse are 4xx, never 500."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from .negotiation import BadAccept, parse_accept
from .replies import HttpError

MAX_FIELDS = 100


def parse_form(data: bytes, *, where: str) -> list[tuple[str, str]]:
    """``name=value&…`` pairs, percent-decoded as strict UTF-8; HttpError 400 otherwise."""
    try:
        return parse_qsl(data.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict",
                         max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise HttpError(400, f"the {where} is not valid UTF-8 (after percent-decoding)") from None
    except ValueError as error:
        raise HttpError(400, f"cannot read the {where}: {error}") from None


def query_params(request: Request) -> list[tuple[str, str]]:
    """The parameters of the request's query string."""
    return parse_form(request.scope.get("query_string", b""), where="query string")


def only(params: list[tuple[str, str]], allowed: tuple[str, ...], *, where: str) -> dict[str, str]:
    """``params`` as a dict; HttpError 400 names an unknown or repeated parameter."""
    out: dict[str, str] = {}
    for name, value in params:
        if name not in allowed:
            raise HttpError(400, f"unknown parameter {name!r} for {where}; expected: {', '.join(allowed)}")
        if name in out:
            raise HttpError(400, f"parameter {name!r} given more than once")
        out[name] = value
    return out


async def read_body(request: Request, *, max_bytes: int) -> bytes:
    """The request body, refused with 413 as soon as it is longer than ``max_bytes``."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HttpError(400, "Content-Length is not a number")
        if int(declared) > max_bytes:
            raise HttpError(413, f"request body of {declared} bytes is larger than this server's limit of {max_bytes} (--max-body)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise HttpError(413, f"request body larger than this server's limit of {max_bytes} bytes (--max-body)")
        chunks.append(chunk)
    return b"".join(chunks)


def accept_header(request: Request) -> str | None:
    """The Accept header, checked: HttpError 400 quotes what does not parse."""
    accept = request.headers.get("accept")
    if accept is not None:
        try:
            parse_accept(accept)
        except BadAccept as error:
            raise HttpError(400, str(error)) from None
    return accept


def content_type(request: Request) -> str:
    """The media type of the body, lower-case, without parameters ("" if none)."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def pick_language(request: Request, value: str | None, languages: tuple[str, ...]) -> str:
    """The label language: ``?lang=`` if given (400 if the graph has no such labels), else the
    best of Accept-Language, else English."""
    if value is not None:
        if value not in languages:
            raise HttpError(400, f"parameter 'lang': no labels in {value!r}; available: {', '.join(languages)}")
        return value
    best, best_q = None, 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, rest = part.strip().partition(";")
        tag = tag.strip().lower().split("-", 1)[0]
        q = 1.0
        if rest.strip().startswith("q="):
            try:
                q = float(rest.strip()[2:])
            except ValueError:
                continue  # a malformed Accept-Language entry is skipped, not fatal
        if tag in languages and q > best_q:
            best, best_q = tag, q
    return best or ("en" if "en" in languages else languages[0] if languages else "en")
