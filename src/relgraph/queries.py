"""The catalogue of stored queries (``queries/*.rq``) and running them with parameters.

Each file starts with a comment header::

    # title: Embassies and missions
    # description: Diplomatic missions of each state in the other,
    #   with opening and closing dates.
    # param: stateA: iri = rgd:japan -- the first state

The file stem is the query's name. A parameter names a SPARQL variable; its value
is bound through rdflib's ``initBindings``, never pasted into the query text.
Queries whose name starts with ``derive-`` are CONSTRUCT rules applied by ``reason``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING, NamedTuple

from .cache import keep_only
from .errors import InputError, ParameterError, QueryNotFound, QuerySyntaxError
from .sparql_text import EscapeError, expand_escapes, line_and_column, outbound_keywords
from .prefixes import NAMESPACES, RGD_IRI, XSD_IRI

if TYPE_CHECKING:  # rdflib is imported where it is used: the query path runs without it
    from rdflib import URIRef
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.term import Node

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "gYear")
DERIVE_PREFIX = "derive-"

_HEADER_KEY = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>\w+)\s*"
    r"(?:=\s*(?P<default>.*?))?\s*(?:--\s*(?P<description>.*?))?\s*$"
)


@dataclass(frozen=True)
class Param:
    """A declared query parameter: the variable it binds, its type, default and meaning."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class StoredQuery:
    """A parsed ``.rq`` file: its header and its text."""

    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    """The query as every engine runs it: codepoint escapes already expanded
    (see :mod:`relgraph.sparql_text`), so the text relgraph checks is the text that runs."""

    def __post_init__(self) -> None:
        try:
            expanded = expand_escapes(self.text)
        except EscapeError as error:
            line, column = line_and_column(self.text, error.offset)
            raise QuerySyntaxError(self.name, f"line {line}, column {column}: {error}", path=self.path) from None
        # Wikidata's label service is answered from the graph's own labels: rewritten here, before
        # every check and every store, so that any other SERVICE is still refused (label_service.py)
        if "wikiba" in expanded.lower():  # wikibase: or wikiba.se; imported only then, the query path stays light
            from . import label_service

            try:
                expanded = label_service.rewrite(expanded)
            except label_service.LabelServiceError as error:
                line, column = line_and_column(expanded, error.offset)
                raise QuerySyntaxError(self.name, f"line {line}, column {column}: {error}", path=self.path) from None
        object.__setattr__(self, "text", expanded)

    @property
    def is_rule(self) -> bool:
        """True for the ``derive-*`` CONSTRUCT queries that ``reason`` applies."""
        return self.name.startswith(DERIVE_PREFIX)


def load_query(path: Path) -> StoredQuery:
    """Read a ``.rq`` file and its header; InputError (with line) for a malformed header.

    The query must parse (QuerySyntaxError otherwise), each declared parameter must be
    a variable of the query, and each default must parse for its type.
    """
    query = read_query(path)
    prepare(query)
    return query


def _checked_queries(paths: list[Path], cache_dir: Path) -> tuple[StoredQuery, ...]:
    """:func:`load_query` of each of ``paths``, rdflib's parse skipped for a catalogue that
    passed before (see Catalogue.load): one marker file in ``cache_dir`` for the catalogue,
    named by the digest of its texts and of the checking code; the markers of earlier
    catalogues are removed (:func:`catalogue_marker`). The token-level refusal of SERVICE and FROM
    (:func:`refuse_outbound`) runs on every query every time: a marker anyone could write
    skips only the parse, never that."""
    queries = tuple(read_query(p) for p in paths)
    for query in queries:
        refuse_outbound(query)
    marker = catalogue_marker(queries, cache_dir)
    if marker.is_file():
        return queries
    for query in queries:
        prepare(query)
    try:
        cache_dir.mkdir(exist_ok=True)
        marker.touch()
    except OSError:
        return queries  # a read-only checkout parses again next time
    keep_only(marker, _QUERIES_OK)
    return queries


def catalogue_marker(queries: Sequence[StoredQuery], cache_dir: Path) -> Path:
    """The file in ``cache_dir`` that says ``queries`` parsed: named by the digest of their
    texts, of relgraph's and rdflib's versions and of the checking code (an edited checker
    checks again)."""
    import hashlib

    from .cache import _version

    digest = hashlib.sha256(f"relgraph {_version('relgraph')}\nrdflib {_version('rdflib')}\n".encode())
    for module in (Path(__file__), Path(__file__).with_name("sparql_text.py")):
        digest.update(module.read_bytes())
    for query in queries:
        digest.update(f"{query.path.name}\n{len(query.text)}\n{query.text}".encode("utf-8"))
    return cache_dir / f"{_QUERIES_OK}{digest.hexdigest()}"


_QUERIES_OK = "queries-ok-"


def query_file(queries_dir: Path, name: str) -> Path:
    """The file ``relgraph query NAME`` reads: NAME itself if it is a file or ends in ``.rq``,
    else the stored query ``queries_dir/NAME.rq``; either may be missing."""
    path = Path(name)
    return path if name.endswith(".rq") or path.is_file() else Path(queries_dir) / f"{name}.rq"


def parse_assignments(values: Sequence[str]) -> dict[str, str]:
    """``NAME=VALUE`` items (``relgraph query -p``) as a mapping, the last of a name winning;
    ParameterError for an item without ``=`` or without a name."""
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ParameterError(item, "expected NAME=VALUE")
        params[name.strip()] = value
    return params


def read_query(path: Path) -> StoredQuery:
    """As :func:`load_query`, but the query itself is not parsed (the engine that runs it
    does): the fast path of ``relgraph query``, which needs no SPARQL parser of its own."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read query: {error}", path=path) from None
    title, description, params = "", [], []
    last_key = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_KEY.match(stripped)
        if match is None:
            if last_key == "description":  # a continuation line of the description
                description.append(stripped.lstrip("#").strip())
            continue
        last_key, value = match.groups()
        if last_key == "title":
            title = value
        elif last_key == "description":
            description.append(value)
        else:
            params.append(_parse_param(value, path=path, line=number))
    query = StoredQuery(
        name=path.stem,
        path=path,
        title=title or path.stem,
        description=" ".join(d for d in description if d),
        params=tuple(params),
        text=text,
    )
    variables = set(re.findall(r"[?$]([A-Za-z_]\w*)", text))
    for param in query.params:
        if param.name not in variables:
            raise InputError(f"declares param {param.name!r} but the query has no ?{param.name}", path=path)
        if param.default is not None:
            try:
                parse_term(param, param.default)
            except ParameterError as error:
                raise InputError(f"default of {error}", path=path) from None
    return query


def _parse_param(value: str, *, path: Path, line: int) -> Param:
    match = _PARAM.match(value)
    if match is None or match["type"] not in PARAM_TYPES:
        raise InputError(
            f"malformed param (expected 'name: {'|'.join(PARAM_TYPES)} [= default] [-- description]')",
            path=path,
            line=line,
        )
    return Param(match["name"], match["type"], match["default"] or None, match["description"] or "")


def prepare(query: StoredQuery) -> Query:
    """Parse the query with relgraph's prefixes; QuerySyntaxError if it does not parse.

    SERVICE and FROM / FROM NAMED are refused: an engine would fetch those URLs. Two
    readings must agree that the query has neither: its keywords token by token, and
    rdflib's algebra, both of the text every store runs (``query.text``, escapes expanded).
    """
    refuse_outbound(query)
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    from .vocab import PREFIXES

    try:
        prepared = prepareQuery(query.text, initNs=PREFIXES)
    except ParseException as error:
        raise QuerySyntaxError(query.name, f"line {error.lineno}, column {error.col}: {error.msg}", path=query.path) from None
    except Exception as error:  # rdflib raises bare Exception for an unknown prefix
        raise QuerySyntaxError(query.name, str(error), path=query.path) from None
    if prepared.algebra.get("datasetClause"):
        raise QuerySyntaxError(query.name, "FROM / FROM NAMED is not allowed", path=query.path)
    if _contains(prepared.algebra, "ServiceGraphPattern"):
        raise QuerySyntaxError(query.name, "SERVICE is not allowed", path=query.path)
    return prepared


def refuse_outbound(query: StoredQuery) -> None:
    """QuerySyntaxError if the text every store runs (escapes expanded) has SERVICE, FROM or
    FROM NAMED, read token by token (:func:`relgraph.sparql_text.outbound_keywords`)."""
    for keyword in outbound_keywords(query.text):
        reason = "SERVICE is not allowed" if keyword == "SERVICE" else "FROM / FROM NAMED is not allowed"
        raise QuerySyntaxError(query.name, reason, path=query.path)


def _contains(node, name: str) -> bool:
    """True if the algebra tree under ``node`` has a part called ``name``."""
    if getattr(node, "name", None) == name:
        return True
    if isinstance(node, dict):
        return any(_contains(v, name) for k, v in node.items() if not k.startswith("_"))
    if isinstance(node, (list, tuple)):
        return any(_contains(v, name) for v in node)
    return False


def is_ordered(prepared: Query) -> bool:
    """True if the query has an ORDER BY (its row order is then meaningful)."""
    return _contains(prepared.algebra, "OrderBy")


_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GYEAR = re.compile(r"^-?\d{4,}$")
_PREFIXED = re.compile(r"^([A-Za-z][\w.-]*)?:(.*)$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$|^urn:\S+$")
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_][\w.-]*$")
_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|^`\\]')


def parse_iri(value: str) -> URIRef:
    """Read an IRI the way users write one: ``<full>``, ``https://…``, ``rgd:x`` or ``x``.

    >>> from relgraph.vocab import RGD
    >>> parse_iri("latvia") == RGD.latvia == parse_iri("rgd:latvia")
    True
    >>> parse_iri("<http://www.wikidata.org/entity/Q211>")
    rdflib.term.URIRef('http://www.wikidata.org/entity/Q211')

    Raises ValueError with the reason if ``value`` is none of these.
    """
    from rdflib import URIRef

    return URIRef(iri_of(value))


def iri_of(value: str) -> str:
    """The IRI :func:`parse_iri` reads ``value`` as, a string; ValueError if none."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    elif _ABSOLUTE_IRI.match(value):
        iri = value
    elif (match := _PREFIXED.match(value)) and (match[1] or "") in NAMESPACES:
        iri = NAMESPACES[match[1] or ""] + match[2]
    elif _PREFIXED.match(value):
        raise ValueError(f"unknown prefix in {value!r}; known: {', '.join(sorted(NAMESPACES))}")
    elif _LOCAL_NAME.match(value):
        iri = RGD_IRI + value
    else:
        raise ValueError(f"{value!r} is not an IRI, a prefixed name or a local name")
    if not iri or _BAD_IRI_CHARS.search(iri):
        raise ValueError(f"{value!r} is not a valid IRI")
    return iri


class Value(NamedTuple):
    """A parameter's value as plain text: an IRI, or a literal's lexical form and datatype
    (what any engine's terms are made from; rdflib's by :func:`parse_value`)."""

    iri: str | None
    lexical: str = ""
    datatype: str | None = None


def parse_term(param: Param, value: str) -> Value:
    """The RDF term ``value`` stands for as ``param``'s type; ParameterError says why not."""
    kind = param.type
    if kind == "iri":
        try:
            return Value(iri_of(value))
        except ValueError as error:
            raise ParameterError(param.name, str(error)) from None
    if kind == "string":
        return Value(None, value)
    if kind == "integer" and _INTEGER.match(value):
        return Value(None, str(int(value)), XSD_IRI + "integer")
    if kind == "decimal" and _DECIMAL.match(value):
        from decimal import Decimal  # here: the query path's start does without it

        return Value(None, str(Decimal(value)), XSD_IRI + "decimal")
    if kind == "date" and _DATE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return Value(None, value, XSD_IRI + "date")
    if kind == "gYear" and _GYEAR.match(value):
        return Value(None, value, XSD_IRI + "gYear")
    raise ParameterError(param.name, f"{value!r} is not a valid {kind}")


def parse_value(param: Param, value: str) -> Node:
    """The rdflib term ``value`` stands for as ``param``'s type; ParameterError says why not."""
    return rdflib_term(parse_term(param, value))


def rdflib_term(value: Value) -> Node:
    """The rdflib term of a :class:`Value` (integers and decimals as rdflib makes them from numbers)."""
    from decimal import Decimal

    from rdflib import Literal, URIRef

    if value.iri is not None:
        return URIRef(value.iri)
    if value.datatype == XSD_IRI + "integer":
        return Literal(int(value.lexical))
    if value.datatype == XSD_IRI + "decimal":
        return Literal(Decimal(value.lexical))
    if value.datatype is None:
        return Literal(value.lexical)
    return Literal(value.lexical, datatype=URIRef(value.datatype))


def bind(query: StoredQuery, values: Mapping[str, str]) -> dict[str, Node]:
    """The initBindings for ``values`` plus the defaults of the parameters not given.

    ParameterError for an unknown name, a value that does not parse, or a parameter
    with no default and no value.
    """
    return {name: rdflib_term(value) for name, value in bind_terms(query, values).items()}


def bind_terms(query: StoredQuery, values: Mapping[str, str]) -> dict[str, Value]:
    """As :func:`bind`, the values as :class:`Value` (for an engine other than rdflib)."""
    declared = {p.name: p for p in query.params}
    for name in values:
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise ParameterError(name, f"unknown for query {query.name!r} (parameters: {known})")
    bindings: dict[str, Value] = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            raise ParameterError(param.name, f"required by query {query.name!r} and not given")
        bindings[param.name] = parse_term(param, value)
    return bindings


@dataclass(frozen=True)
class Catalogue:
    """The stored queries of a project, sorted by name."""

    queries: tuple[StoredQuery, ...]

    @classmethod
    def load(cls, directory: Path, *, cache_dir: Path | None = None) -> Catalogue:
        """Read every ``*.rq`` in ``directory`` (an empty catalogue if it does not exist).

        Each query is checked as :func:`load_query` checks it; with ``cache_dir``, a catalogue
        that passed is remembered there by the digest of its texts (with rdflib's and relgraph's
        versions), so an unchanged one is not parsed again (the parse costs a build half a second).
        """
        directory = Path(directory)
        paths = sorted(directory.glob("*.rq"), key=lambda p: p.stem) if directory.is_dir() else []
        if cache_dir is None:
            return cls(tuple(load_query(p) for p in paths))
        return cls(_checked_queries(paths, Path(cache_dir)))

    def list(self) -> tuple[StoredQuery, ...]:
        """All queries, sorted by name."""
        return self.queries

    def names(self) -> tuple[str, ...]:
        """The names of all queries, sorted."""
        return tuple(q.name for q in self.queries)

    def get(self, name: str) -> StoredQuery:
        """The query called ``name``; QueryNotFound lists the available names."""
        for query in self.queries:
            if query.name == name:
                return query
        raise QueryNotFound(name, available=self.names())

    def rules(self) -> tuple[StoredQuery, ...]:
        """The ``derive-*`` queries, in name order."""
        return tuple(q for q in self.queries if q.is_rule)
