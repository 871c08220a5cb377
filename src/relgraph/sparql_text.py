"""SPARQL read as text, without parsing it: enough to bind values and to answer a query fast.

The query path (``relgraph query`` on an Oxigraph store) runs without rdflib's SPARQL parser;
the engine parses the query. What relgraph needs to know of the text before it runs it (where
the WHERE group opens, whether the answer is ordered, which variables a SELECT projects, whether
it names SERVICE or FROM) is read here from its tokens: comments, strings, IRIs, variables and
prefixed names are skipped whole, so a brace or keyword inside them is never taken for one.

It also makes the text every engine runs the text that is checked. SPARQL 1.1 (section 19.2)
expands the codepoint escapes ``\\uXXXX`` and ``\\UXXXXXXXX`` *anywhere* in a query before it is
parsed; rdflib does so, Oxigraph only inside strings and IRIs. A query such as ``BIND("A\\u0022 ||"
AS ?z) SERVICE <http://…> {…} BIND("||\\u0022" AS ?y)`` was then one long string to rdflib's check
and a SERVICE call to Oxigraph. So relgraph expands the escapes itself, once, as the
specification says (:func:`expand_escapes`), refuses a text in which an escape survives that
(an escape spelled with escapes), and hands the expanded text to every check and every store.

>>> expand_escapes('SELECT ?s WHERE { BIND("A\\\\u0022 B" AS ?x) }')
'SELECT ?s WHERE { BIND("A" B" AS ?x) }'
>>> outbound_keywords('SELECT * { # SERVICE in a comment\\n ?s <urn:service> "SERVICE"@from . service <urn:x> {} }')
['SERVICE']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

_TOKEN = re.compile(
    r'''(?P<skip>\#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|@[A-Za-z]+(?:-[A-Za-z0-9]+)*|[\w.-]*:[\w.:%\\-]*)|(?P<var>[?$]\w+)'''
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
    >>> where_group("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }")  # WHERE is optional after a template too
    24
    """
    depth, form, previous = 0, None, None
    short_construct = False  # CONSTRUCT WHERE { … }: no template, the group is one
    template = False  # a CONSTRUCT's template has been read
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
            if form != "CONSTRUCT" or template:  # WHERE is optional; CONSTRUCT's first group: its template
                return match.end()
            template = True
        short_construct = short_construct or (previous == "CONSTRUCT" and token == "WHERE")
        depth += (kind == "open") - (kind == "close")
        previous = token
    return None


@functools.lru_cache(maxsize=256)
def outline(text: str) -> tuple[str, bool, frozenset[str] | None, frozenset[str]]:
    """What the top level of ``text`` says: its form (SELECT, ASK, CONSTRUCT or DESCRIBE),
    whether it has an ORDER BY, the variables a SELECT projects (None for ``SELECT *`` and the
    other forms) and the keywords among SERVICE, FROM found anywhere outside strings and comments.

    >>> form, ordered, projected, named = outline("SELECT ?a (COUNT(?b) AS ?n) WHERE { { SELECT ?b WHERE { ?b ?p ?o } ORDER BY ?b } }")
    >>> form, ordered, sorted(projected), sorted(named)
    ('SELECT', False, ['a', 'n'], [])
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
    group, and a copy at the start of each group nested in it that the block's binding
    reaches (:func:`reached_groups`) and that names a parameter; where no WHERE group is found,
    as a trailing VALUES clause (see ``stores/README.md``).

    The block holds one row. To the patterns of a nested group its copy changes nothing (a join
    with it distributes over unions and joins, and joining it twice is joining it once); what
    it changes is that a FILTER, BIND, OPTIONAL, MINUS or EXISTS inside that group which reads
    a parameter sees its value, where the block at the top alone leaves it unbound there. So
    the parameters are bound as a pre-binding binds them, as the memory store's rdflib
    ``initBindings`` do (tests/test_stores.py compares the stores), but inside a subquery, a
    SERVICE call, a MINUS or EXISTS group, in HAVING, and in a text :func:`reached_groups`
    cannot read with certainty, which see them as SPARQL joins them. A variable the query
    assigns (``AS ?x``) is not copied: a BIND to a variable bound before it in its group is an
    error. And the copies change the plan: Oxigraph (0.5) does not carry a binding into a
    union's branches, which it then matches for every value (people-and-offices on a
    1M-triple world: 0.7 s with the block alone, 15 ms with the copies).

    >>> text = "SELECT * WHERE { { ?o <urn:of> ?a } UNION { ?o <urn:of> ?b } MINUS { { ?a ?p ?o } UNION { ?b ?p ?o } } }"
    >>> print(" ".join(bind_values_text(text, {"a": "<urn:A>"}).split()))
    SELECT * WHERE { VALUES (?a) { (<urn:A>) } { VALUES (?a) { (<urn:A>) } ?o <urn:of> ?a } UNION { ?o <urn:of> ?b } MINUS { { ?a ?p ?o } UNION { ?b ?p ?o } } }
    """
    if not terms:
        return text
    at = where_group(text)
    block = values_text(terms)
    if at is None:
        return text + f"\n{block}\n"
    copied = {name: term for name, term in terms.items() if name not in assigned_variables(text)}
    nested = reached_groups(text, at) if copied else ()
    pieces, last = [text[:at], f"\n  {block}\n"], at
    for offset, names in nested:
        # a group that names no parameter reads none: a copy there would only move the plan; one
        # that names one gets them all (measured: with its own alone, people-and-offices at 1M
        # took 260 ms, 14 ms with all)
        if not names.isdisjoint(copied):
            pieces += [text[last:offset], f"\n  {values_text(copied)}\n"]
            last = offset
    return "".join(pieces) + text[last:]


@functools.lru_cache(maxsize=256)
def assigned_variables(text: str) -> frozenset[str]:
    """The variables ``text`` names after ``AS``: the targets of its BINDs and the names of its
    SELECT expressions.

    >>> sorted(assigned_variables('SELECT (COUNT(*) AS ?n) WHERE { BIND ("as ?x" AS ?y) ?s ?p ?as }'))
    ['n', 'y']
    """
    names, previous = set(), None
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "skip":
            continue
        if kind == "var" and previous == "AS":
            names.add(match[0][1:])
        previous = match[0].upper() if kind == "word" else match[0]
    return frozenset(names)


_NOT_REACHED = frozenset({"MINUS", "EXISTS", "SERVICE", "VALUES"})
"""Keywords whose group (or, for VALUES, data block) follows them and is not reached: in a
MINUS's group a copy would change the answer (a right side sharing no variable with the left
would then share one), an EXISTS pattern is substituted with the outer values anyway, and a
SERVICE group is not ours. An OPTIONAL's group is reached: every row it extends carries the
binding already, so the copy there only binds it for what reads it inside (a BIND, a FILTER)."""

_PAIRS = {"}": "{", ")": "("}


@functools.lru_cache(maxsize=256)
def reached_groups(text: str, start: int) -> tuple[tuple[int, frozenset[str]], ...]:
    """The offset just after the ``{`` of each group nested in the group whose contents begin
    at ``start`` (a query's WHERE group) that a binding of that group reaches, with the
    variables the group holds at any depth: through plain groups, UNION branches, OPTIONAL and
    GRAPH groups; not into the groups of :data:`_NOT_REACHED`, a subquery or an expression.
    Nothing (``()``) where the text cannot be read with certainty: the brackets do not pair up as read here, or an expression holds a
    ``<…>`` without a colon. SPARQL's tokens let ``?w<9&&(?w>1)`` (no spaces) hold the IRI
    ``<9&&(?w>``, and ``?n<'2')#>`` the IRI ``<'2')#>``; only the grammar says they are
    comparisons. Nothing is then copied rather than a copy put inside a string or a comment.

    >>> text = "{ { ?a ?b ?c } UNION { ?a ?b ?d } MINUS { { ?x ?y ?z } } GRAPH ?g { ?a ?b ?e } FILTER (?a) }"
    >>> [(text[at:at + 9], sorted(names)) for at, names in reached_groups(text, 1)]
    [(' ?a ?b ?c', ['a', 'b', 'c']), (' ?a ?b ?d', ['a', 'b', 'd']), (' ?a ?b ?e', ['a', 'b', 'e'])]
    >>> reached_groups("{ ?x <urn:p> ?y MINUS { FILTER(?w<9&&(?w>1)) { ?z <urn:q> ?w } UNION { ?z <urn:r> ?w } } }", 1)
    ()
    """
    tokens = [m for m in _TOKEN.finditer(text, start) if not (m.lastgroup == "skip" and m[0].startswith("#"))]
    found: list[tuple[int, set[str]]] = []  # each reached group: where it opens, the variables in it
    # each bracket open: "{" or "(", and the variables of a reached group (None: not reached)
    open_brackets: list[tuple[str, set[str] | None]] = [("{", set())]
    skip_next_group = False
    for index, match in enumerate(tokens):
        token = match[0]
        in_expression = open_brackets[-1][0] == "("
        if in_expression and match.lastgroup == "skip" and token.startswith("<") and ":" not in token:
            return ()  # maybe a comparison read as an IRI (the docstring)
        if match.lastgroup == "var":
            for _, names in open_brackets:
                if names is not None:
                    names.add(token[1:])
        elif match.lastgroup == "word":
            skip_next_group = skip_next_group or token.upper() in _NOT_REACHED
        elif token == "{":
            subquery = index + 1 < len(tokens) and tokens[index + 1][0].upper() == "SELECT"
            parent, parent_names = open_brackets[-1]
            names = set() if parent == "{" and parent_names is not None and not skip_next_group and not subquery else None
            skip_next_group = False
            open_brackets.append(("{", names))
            if names is not None:
                found.append((match.end(), names))
        elif token == "(":
            open_brackets.append(("(", None))
        elif token in _PAIRS:
            if open_brackets.pop()[0] != _PAIRS[token]:
                return ()
            if not open_brackets:  # the group at start is closed
                return tuple((at, frozenset(names)) for at, names in found)
    return ()


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEFTOVER = re.compile(r"\\[uU][0-9A-Fa-f]{4}")

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
    """The keywords among SERVICE and FROM that ``text`` uses as keywords (outside strings,
    IRIs, comments and language tags), sorted."""
    return sorted(outline(text)[3])


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``.

    >>> line_and_column("ab\\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
