"""The SPARQL text relgraph checks is the text every engine runs.

SPARQL 1.1 (section 19.2) expands the codepoint escapes ``\\uXXXX`` and ``\\UXXXXXXXX``
*anywhere* in a query before it is parsed. rdflib does so (and reads ``\\u`` followed by
eight hex digits as one code point); Oxigraph expands them only inside strings and IRIs. A
query such as ``BIND("A\\u0022 ||" AS ?z) SERVICE <http://…> {…} BIND("||\\u0022" AS ?y)`` is
then one long string to rdflib and a SERVICE call to Oxigraph. So relgraph expands the escapes
itself, once, as the specification says, refuses a text in which an escape survives that (an
escape spelled with escapes), and hands the expanded text to rdflib's check and to every store.

It also looks for the keywords that make an engine reach out (SERVICE, FROM), token by token,
outside strings, IRIs and comments: a second, independent reading beside rdflib's algebra.

>>> expand_escapes('SELECT ?s WHERE { BIND("A\\\\u0022 B" AS ?x) }')
'SELECT ?s WHERE { BIND("A" B" AS ?x) }'
>>> outbound_keywords('SELECT * { # SERVICE in a comment\\n ?s <urn:service> "SERVICE" . service <urn:x> {} }')
['SERVICE']
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEFTOVER = re.compile(r"\\[uU][0-9A-Fa-f]{4}")

# Strings, IRIs, comments, variables and prefixed names are read whole, so that a keyword
# inside them is never taken for one; what remains are the bare words.
_TOKENS = re.compile(
    r'''(?P<skip>\#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|[?$]\w+'''
    r'''|@[A-Za-z]+(?:-[A-Za-z0-9]+)*|[A-Za-z_][\w.-]*:[\w.:%\\-]*|:[\w.:%\\-]*|_:[\w.-]+)|(?P<word>[A-Za-z]+)''',
    re.DOTALL,
)
OUTBOUND = frozenset({"SERVICE", "FROM"})
"""Keywords with which a query names a place to read from other than the store's graphs."""


class EscapeError(ValueError):
    """A codepoint escape that is no character, or one that survives expansion."""

    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def expand_escapes(text: str) -> str:
    """``text`` with every ``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by its character.

    EscapeError (with the offset in ``text``) for a surrogate or a code point beyond
    U+10FFFF, and for a text that still holds an escape once expanded (``\\u005Cu0022``).
    """

    def character(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise EscapeError(f"{match[0]} is not a Unicode character", offset=match.start())
        return chr(code)

    if "\\" not in text:
        return text
    expanded = _ESCAPE.sub(character, text)
    leftover = _LEFTOVER.search(expanded)
    if leftover is not None:
        raise EscapeError(
            f"an escape spelled with escapes ({leftover[0]} after expansion) is not allowed",
            offset=leftover.start(),
        )
    return expanded


def outbound_keywords(text: str) -> list[str]:
    """The keywords of :data:`OUTBOUND` that ``text`` uses as keywords, upper-cased, in order."""
    return [
        word
        for match in _TOKENS.finditer(text)
        if match.lastgroup == "word" and (word := match[0].upper()) in OUTBOUND
    ]


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``.

    >>> line_and_column("ab\\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
