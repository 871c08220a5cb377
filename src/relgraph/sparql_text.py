"""SPARQL read as text, without parsing it: enough to bind values and to answer a query fast.

The query path (``relgraph query`` on an Oxigraph store) runs without rdflib's SPARQL parser;
the engine parses the query. What relgraph needs to know of the text before it runs it (where
the WHERE group opens, whether the answer is ordered, which variables a SELECT projects, whether
it names SERVICE or FROM) is read here from its tokens: comments, strings, IRIs, variables and
prefixed names are skipped whole, so a brace or keyword inside them is never taken for one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

_TOKEN = re.compile(
    r'''(?P<skip>\#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|[\w.-]*:[\w.:%\\-]*)|(?P<var>[?$]\w+)'''
    r"|(?P<word>[A-Za-z]+)|(?P<open>[{(])|(?P<close>[})])|(?P<star>\*)",
    re.DOTALL,
)
"""SPARQL tokens enough to find a query's WHERE group (see the module docstring)."""

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@functools.lru_cache(maxsize=256)
def where_group(text: str) -> int | None:
    """The offset just after the ``{`` that opens the WHERE clause of ``text``, or None (a
    ``CONSTRUCT WHERE { … }`` short form, whose group admits only triples; text that does not
    tokenize as expected).

    >>> text = 'SELECT (EXISTS { ?a ?b ?c } AS ?x) # WHERE {\\nWHERE { ?s <urn:{> "}" }'
    >>> text[where_group(text):]
    ' ?s <urn:{> "}" }'
    >>> where_group("ASK { ?s ?p ?o }"), where_group("CONSTRUCT WHERE { ?s ?p ?o }")
    (5, None)
    """
    depth, form, previous = 0, None, None
    short_construct = False  # CONSTRUCT WHERE { … }: no template, the group is one
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "skip":
            continue
        token = match[0].upper() if kind == "word" else match[0]
        if depth == 0 and form is None and token in FORMS:
            form = token
        elif depth == 0 and form is not None and token == "{":
            if previous == "WHERE":
                return None if short_construct else match.end()
            if form != "CONSTRUCT":  # WHERE is optional, but for a CONSTRUCT's template
                return match.end()
        short_construct = short_construct or (previous == "CONSTRUCT" and token == "WHERE")
        depth += (kind == "open") - (kind == "close")
        previous = token
    return None


@functools.lru_cache(maxsize=256)
def outline(text: str) -> tuple[str, bool, frozenset[str] | None, frozenset[str]]:
    """What the top level of ``text`` says: its form (SELECT, ASK, CONSTRUCT or DESCRIBE),
    whether it has an ORDER BY, the variables a SELECT projects (None for ``SELECT *`` and the
    other forms) and the keywords among SERVICE, FROM found anywhere outside strings and comments.

    >>> outline("SELECT ?a (COUNT(?b) AS ?n) WHERE { { SELECT ?b WHERE { ?b ?p ?o } ORDER BY ?b } }")
    ('SELECT', False, frozenset({'a', 'n'}), frozenset())
    >>> outline("# ORDER BY\\nASK FROM <urn:g> { ?s ?p 'ORDER BY' }")
    ('ASK', False, None, frozenset({'FROM'}))
    """
    depth, form, previous, ordered = 0, "", None, False
    projected: set[str] | None = set()
    in_projection = False
    found: set[str] = set()
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "skip":
            continue
        token = match[0].upper() if kind == "word" else match[0]
        if kind == "word" and token in ("SERVICE", "FROM"):
            found.add(token)
        if depth == 0 and not form and token in FORMS:
            form, in_projection = token, token == "SELECT"
        elif in_projection and depth == 0 and token in ("WHERE", "{", "FROM"):
            in_projection = False
        elif in_projection and kind == "star" and depth == 0:
            projected = None
        elif in_projection and kind == "var" and projected is not None and (depth == 0 or previous == "AS"):
            projected.add(match[0][1:])
        if depth == 0 and previous == "ORDER" and token == "BY":
            ordered = True
        depth += (kind == "open") - (kind == "close")
        previous = token
    if form != "SELECT":
        projected = None
    return form or "SELECT", ordered, None if projected is None else frozenset(projected), frozenset(found)


def values_text(terms: Mapping[str, str]) -> str:
    """A SPARQL VALUES clause binding each variable to its term, given in N-Triples form."""
    names = sorted(terms)
    variables = " ".join(f"?{name}" for name in names)
    return f"VALUES ({variables}) {{ ({' '.join(terms[name] for name in names)}) }}"


def bind_values_text(text: str, terms: Mapping[str, str]) -> str:
    """``text`` with a VALUES block of ``terms`` (N-Triples forms) at the start of its WHERE
    group; where no WHERE group is found, as a trailing VALUES clause (see ``stores/README.md``)."""
    if not terms:
        return text
    at = where_group(text)
    if at is None:
        return text + f"\n{values_text(terms)}\n"
    return f"{text[:at]}\n  {values_text(terms)}\n{text[at:]}"
