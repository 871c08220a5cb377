"""Wikidata's label service, answered locally: ``SERVICE wikibase:label { … }`` rewritten into
OPTIONAL patterns on the graph's own labels, so that queries written for the Wikidata Query
Service run unchanged, and nothing is ever fetched.

WDQS users write::

    SELECT ?item ?itemLabel WHERE {
      ?item wdt:P31 wd:Q5 .
      SERVICE wikibase:label { bd:serviceParam wikibase:language "[AUTO_LANGUAGE],en" . }
    }

and, in the explicit form, ``SERVICE wikibase:label { bd:serviceParam wikibase:language "lv,en" .
?item rdfs:label ?name . ?item schema:description ?about }``. :func:`rewrite` turns the SERVICE
clause into, for each variable to fill and each language in order::

    OPTIONAL { ?item rdfs:label ?l1 FILTER (LANG(?l1) = "lv") }
    OPTIONAL { ?item rdfs:label ?l2 FILTER (LANG(?l2) = "en") }
    BIND (COALESCE(?l1, ?l2, <the item's local name>) AS ?name)

placed at the end of the group that held the SERVICE (WDQS, too, runs the service after the
rest of its group). The automatic form fills every variable of the query named ``?xLabel`` or
``?xDescription`` whose ``?x`` is also a variable of the query. A label that no language has
falls back, as on WDQS, to the item's identifier (the last segment of its IRI); a description
has no fallback.

Limits (see README): ``[AUTO_LANGUAGE]`` is English (there is no browser to ask); alternative
labels (``?xAltLabel``, ``skos:altLabel``) are not filled; the languages are matched exactly
(``"en"`` does not take ``en-GB``); ``SERVICE SILENT`` and a service body with anything but
``bd:serviceParam wikibase:language`` and ``rdfs:label``/``schema:description`` patterns are
refused (:class:`LabelServiceError`). Only ``wikibase:label`` (``<http://wikiba.se/ontology#label>``,
or the ``wikibase:`` prefix left undeclared, as WDQS predeclares it) is rewritten: every other
SERVICE stays in the text, and the outbound check refuses it.

The rewrite reads the text's tokens (:mod:`relgraph.sparql_text`): a SERVICE in a string, an IRI
or a comment is not one. It imports no rdflib (the query path runs without it).

>>> text = rewrite('SELECT ?s ?sLabel { ?s a ?c SERVICE wikibase:label { bd:serviceParam wikibase:language "en" } }')
>>> for line in text.splitlines(): print(line.rstrip())
SELECT ?s ?sLabel { ?s a ?c
  OPTIONAL { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?rg_label_1 FILTER (LANG(?rg_label_1) = "en") }
  BIND (COALESCE(?rg_label_1, IF(isIRI(?s), REPLACE(STR(?s), "^.*[/#]", ""), STR(?s))) AS ?sLabel)
}
>>> rewrite('SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
'SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WIKIBASE = "http://wikiba.se/ontology#"
BIGDATA = "http://www.bigdata.com/rdf#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SCHEMA_DESCRIPTION = "http://schema.org/description"
AUTO_LANGUAGE = "en"
"""What ``[AUTO_LANGUAGE]`` stands for locally: WDQS takes the browser's language."""

_KNOWN = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "http://schema.org/",
          "wikibase": WIKIBASE, "bd": BIGDATA, "skos": "http://www.w3.org/2004/02/skos/core#"}
"""The prefixes WDQS predeclares that a label service body uses."""
_KINDS = {RDFS_LABEL: "label", SCHEMA_DESCRIPTION: "description"}
_SUFFIXES = (("Label", RDFS_LABEL), ("Description", SCHEMA_DESCRIPTION))

_TOKEN = re.compile(
    r'(?P<comment>\#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)'
    r'|(?P<pname>[A-Za-z][\w.-]*?:[\w.:%\\-]*(?<!\.)|:[\w.:%\\-]*(?<!\.))'
    r'|(?P<var>[?$]\w+)'
    r'|(?P<word>[A-Za-z_]\w*)'
    r'|(?P<open>\{)|(?P<close>\})'
    r'|(?P<punct>[.;,])'
    r'|(?P<other>\S)',
    re.DOTALL,
)


class LabelServiceError(ValueError):
    """A label service clause relgraph cannot answer; ``offset`` is where it starts in the text."""

    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.lastgroup, m[0], m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if m.lastgroup != "comment"
    ]


def _prefixes(tokens: list[_Token]) -> dict[str, str]:
    """The PREFIX declarations of the query: prefix -> namespace IRI."""
    found = {}
    for i, token in enumerate(tokens[:-2]):
        if token.kind == "word" and token.text.upper() == "PREFIX" and tokens[i + 1].kind == "pname" and tokens[i + 2].kind == "iri":
            found[tokens[i + 1].text[:-1]] = tokens[i + 2].text[1:-1]
    return found


def _expand(token: _Token, prefixes: dict[str, str]) -> str | None:
    """The IRI a token names (a prefixed name through the query's or WDQS's prefixes), else None."""
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        namespace = prefixes.get(prefix, _KNOWN.get(prefix))
        return None if namespace is None else namespace + local
    return None


def rewrite(text: str) -> str:
    """``text`` with each ``SERVICE wikibase:label { … }`` replaced by OPTIONAL patterns on the
    graph's labels (module docstring); any other text unchanged. LabelServiceError for a label
    service clause that cannot be answered locally."""
    if "service" not in text.lower():
        return text
    tokens = _tokens(text)
    prefixes = _prefixes(tokens)
    services = []  # (start, end, group close offset, body tokens)
    stack: list[list] = []  # open groups: [their pending services]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "open":
            stack.append([])
        elif token.kind == "close":
            pending = stack.pop() if stack else []
            for start, end, body in pending:
                services.append((start, end, token.start, body))
        elif token.kind == "word" and token.text.upper() == "SERVICE" and i + 1 < len(tokens):
            target = tokens[i + 1]
            if target.kind == "word" and target.text.upper() == "SILENT" and i + 2 < len(tokens) and _expand(tokens[i + 2], prefixes) == WIKIBASE + "label":
                raise LabelServiceError("SERVICE SILENT wikibase:label is not supported by the local label service", offset=token.start)
            if _expand(target, prefixes) == WIKIBASE + "label" and i + 2 < len(tokens) and tokens[i + 2].kind == "open":
                depth, j = 1, i + 3
                while j < len(tokens) and depth:
                    depth += (tokens[j].kind == "open") - (tokens[j].kind == "close")
                    j += 1
                if depth or not stack:
                    raise LabelServiceError("unbalanced braces around SERVICE wikibase:label", offset=token.start)
                stack[-1].append((token.start, tokens[j - 1].end, tokens[i + 3 : j - 1]))
                i = j
                continue
        i += 1
    if not services:
        return text
    used = {t.text[1:] for t in tokens if t.kind == "var"}
    outside = {
        t.text[1:] for t in tokens
        if t.kind == "var" and not any(start <= t.start < end for start, end, _c, _b in services)
    }
    counter = [0]

    def fresh() -> str:
        while True:
            counter[0] += 1
            name = f"rg_label_{counter[0]}"
            if name not in used:
                return name

    edits: list[tuple[int, int, str]] = []
    blocks: dict[int, list[str]] = {}
    for number, (start, end, close, body) in enumerate(sorted(services), start=1):
        languages, explicit = _read_body(body, prefixes, offset=start)
        wanted = explicit or _automatic(outside)
        lines = []
        for item, predicate, target in wanted:
            lines += _patterns(item, predicate, target, languages, fresh)
        edits.append((start, end, ""))
        blocks.setdefault(close, []).extend(lines)
    for close, lines in blocks.items():
        edits.append((close, close, "\n" + "".join(f"  {line}\n" for line in lines)))
    result = text
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        result = result[:start] + replacement + result[end:]
    return result


def _automatic(variables: set[str]) -> list[tuple[str, str, str]]:
    """(item, predicate, target) for every ``?xLabel``/``?xDescription`` whose ``?x`` is a variable too."""
    wanted = []
    for name in sorted(variables):
        for suffix, predicate in _SUFFIXES:
            if name.endswith(suffix) and name[: -len(suffix)] in variables:
                wanted.append((name[: -len(suffix)], predicate, name))
    return wanted


def _read_body(body: list[_Token], prefixes: dict[str, str], *, offset: int) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The languages and the explicit (item, predicate, target) patterns of a service body."""
    triples, subject, predicate, expect = [], None, None, "subject"
    for token in body:
        if token.kind == "punct":
            if token.text == "." and expect in ("subject", "punct"):
                subject, predicate, expect = None, None, "subject"
            elif token.text == ";" and expect == "punct":
                predicate, expect = None, "predicate"
            elif token.text == "," and expect == "punct":
                expect = "object"
            else:
                raise LabelServiceError(f"unexpected {token.text!r} in SERVICE wikibase:label", offset=token.start)
        elif expect == "subject":
            subject, expect = token, "predicate"
        elif expect == "predicate":
            predicate, expect = token, "object"
        elif expect == "object":
            triples.append((subject, predicate, token))
            expect = "punct"
        else:
            raise LabelServiceError(f"unexpected {token.text!r} in SERVICE wikibase:label", offset=token.start)
    if expect in ("predicate", "object"):
        raise LabelServiceError("incomplete pattern in SERVICE wikibase:label", offset=offset)
    languages: list[str] = []
    explicit = []
    for s, p, o in triples:
        if _expand(s, prefixes) == BIGDATA + "serviceParam" and _expand(p, prefixes) == WIKIBASE + "language" and o.kind == "string":
            for code in o.text.strip("\"'").split(","):
                code = code.strip()
                code = AUTO_LANGUAGE if code == "[AUTO_LANGUAGE]" else code
                if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", code):
                    raise LabelServiceError(f"wikibase:language {code!r} is not a language code", offset=o.start)
                if code not in languages:
                    languages.append(code)
        elif s.kind == "var" and o.kind == "var" and _expand(p, prefixes) in _KINDS:
            explicit.append((s.text[1:], _expand(p, prefixes), o.text[1:]))
        else:
            raise LabelServiceError(
                f"the local label service answers bd:serviceParam wikibase:language and rdfs:label or "
                f"schema:description patterns, not {s.text} {p.text} {o.text}",
                offset=s.start,
            )
    if not languages:
        raise LabelServiceError("SERVICE wikibase:label needs bd:serviceParam wikibase:language \"…\"", offset=offset)
    return languages, explicit


def _patterns(item: str, predicate: str, target: str, languages: list[str], fresh) -> list[str]:
    names = []
    lines = []
    for language in languages:
        name = fresh()
        names.append(f"?{name}")
        lines.append(f'OPTIONAL {{ ?{item} <{predicate}> ?{name} FILTER (LANG(?{name}) = "{language}") }}')
    if predicate == RDFS_LABEL:  # as on WDQS: no label in any language gives the item's identifier
        names.append(f'IF(isIRI(?{item}), REPLACE(STR(?{item}), "^.*[/#]", ""), STR(?{item}))')
    lines.append(f"BIND (COALESCE({', '.join(names)}) AS ?{target})")
    return lines


__all__ = ["AUTO_LANGUAGE", "LabelServiceError", "rewrite"]
