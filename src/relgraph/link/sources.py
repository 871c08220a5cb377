"""Wikidata-style datasets to reconcile against: a local file or a SPARQL endpoint.

Every source is read through the same few SPARQL queries, run either by rdflib over a local
graph (N-Triples, Turtle, or the line-per-entity JSON of Wikidata's dumps, converted to
Wikidata's RDF model first) or by a SPARQL endpoint over HTTP (the SPARQL 1.1 protocol). A file
and an endpoint holding the same items therefore give the same candidates.

The dataset is read as Wikidata's RDF dumps write it: names from ``rdfs:label`` and
``skos:altLabel``, truthy claims ``wdt:P…``, types from ``wdt:P31/wdt:P279*``, places from
``wdt:P131+``, and the precision of dates from ``p:P…/psv:P…/wikibase:timePrecision`` (day
precision when absent).

>>> import re
>>> bool(re.search(pattern(("ruj",)), "Rūjiena", re.IGNORECASE)), bool(re.search(pattern(("ruj",)), "Prujena"))
(True, False)
"""

from __future__ import annotations

import bz2
import gzip
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import RDFS, SKOS, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ..errors import InputError
from ..project import parse_turtle
from ..vocab import WD, WDT
from .claims import TimeValue
from .names import fold, matches_keys

WIKIBASE = "http://wikiba.se/ontology#"
FEATURE_PIDS = ("P17", "P131", "P137", "P1001", "P571", "P576")
"""The claims read from the dataset to compare with the graph's: country, located in, operator,
jurisdiction, inception, dissolution. Each says which one thing an item is, not what it did."""

_TIME_PIDS = ("P571", "P576")
_BATCH = 50
_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class ItemRecord:
    """What a dataset says of one item, as far as reconciliation needs it."""

    iri: URIRef
    labels: tuple[tuple[str, str], ...]
    """(language, text), sorted."""
    aliases: tuple[tuple[str, str], ...]
    types: frozenset[URIRef]
    """Its P31 classes and all their P279 superclasses."""
    claims: Mapping[str, frozenset] = field(default_factory=lambda: MappingProxyType({}))
    """PID -> values (item IRIs, or TimeValues for dates); P131 holds every enclosing place."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every label and alias, in any language."""
        return tuple(sorted({text for _lang, text in self.labels + self.aliases}))

    def label(self, language: str = "en") -> str:
        """The label in ``language``, else the first label, else an alias, else the IRI."""
        for lang, text in self.labels:
            if lang == language:
                return text
        return (self.labels or self.aliases or (("", str(self.iri)),))[0][1]


class ItemSource(Protocol):
    """Where candidates come from."""

    description: str

    def search(self, keys: Sequence[str]) -> tuple[ItemRecord, ...]:
        """The items with a label or alias having a word that starts with one of ``keys``."""

    def records(self, items: Iterable[URIRef]) -> Mapping[URIRef, ItemRecord]:
        """The records of these items (those the dataset has)."""


# ---------------------------------------------------------------------------------------------
# the queries (shared by every source)

def _latin_variants() -> dict[str, str]:
    """Each ASCII letter -> the lower-case Latin letters with diacritics that fold to it."""
    variants: dict[str, set[str]] = {}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        letter = chr(code).lower()
        base = fold(letter)
        if len(base) == 1 and base.isascii() and base.isalpha() and letter != base:
            variants.setdefault(base, set()).add(letter)
    return {base: "".join(sorted(letters)) for base, letters in variants.items()}


_VARIANTS = _latin_variants()


def _char_class(ch: str) -> str:
    variants = _VARIANTS.get(ch)
    return f"[{ch}{variants}]" if variants else re.escape(ch)


def pattern(keys: Sequence[str]) -> str:
    """A case-insensitive SPARQL REGEX that every name matching ``keys`` matches (a superset:
    the exact test is ``names.matches_keys``), with each Latin letter open to its diacritics."""
    alternatives = "|".join("".join(_char_class(ch) for ch in key) for key in sorted(keys))
    return f"(^|\\W)({alternatives})"


def _values(variable: str, terms: Iterable[Node]) -> str:
    return f"VALUES ?{variable} {{ {' '.join(t.n3() for t in terms)} }}"


_SEARCH = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?item ?name WHERE {{
  {values}
  ?item rdfs:label|skos:altLabel ?name .
  FILTER (isIRI(?item) && REGEX(STR(?name), ?pattern, "i"))
}}"""

_NAMES = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?item ?kind ?name WHERE {{
  {values}
  VALUES ?kind {{ rdfs:label skos:altLabel }}
  ?item ?kind ?name .
}}"""

_TYPES = """\
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT DISTINCT ?item ?type WHERE {{
  {values}
  ?item wdt:P31/wdt:P279* ?type .
}}"""

_CLAIMS = """\
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT DISTINCT ?item ?property ?value WHERE {{
  {values}
  {{ VALUES ?property {{ {direct} }} ?item ?property ?value . }}
  UNION
  {{ ?item wdt:P131/wdt:P131* ?value . BIND (wdt:P131 AS ?property) }}
}}"""

_PRECISIONS = """\
PREFIX wikibase: <http://wikiba.se/ontology#>
SELECT DISTINCT ?item ?property ?time ?precision WHERE {{
  {values}
  VALUES (?property ?claim ?statementValue) {{ {pairs} }}
  ?item ?claim ?statement .
  ?statement ?statementValue ?node .
  ?node wikibase:timeValue ?time ;
        wikibase:timePrecision ?precision .
}}"""


class _QuerySource:
    """The queries over something that answers SPARQL SELECT with rows of rdflib terms."""

    description = ""

    def _select(self, query: str) -> list[dict[str, Node]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def select(self, query: str) -> list[dict[str, Node]]:
        """The rows of a SPARQL SELECT over the dataset (what ``lacks`` reads statements with)."""
        return self._select(query)

    def search(self, keys: Sequence[str]) -> tuple[ItemRecord, ...]:
        if not keys:
            return ()
        rows = self._select(_SEARCH.format(values=f"VALUES ?pattern {{ {Literal(pattern(keys)).n3()} }}"))
        found = sorted({row["item"] for row in rows if matches_keys(str(row["name"]), keys)})
        records = self.records(found)
        return tuple(records[i] for i in found if i in records)

    def records(self, items: Iterable[URIRef]) -> Mapping[URIRef, ItemRecord]:
        items = sorted(set(items))
        result: dict[URIRef, ItemRecord] = {}
        for start in range(0, len(items), _BATCH):
            result.update(self._records(items[start : start + _BATCH]))
        return MappingProxyType(result)

    def _records(self, items: list[URIRef]) -> dict[URIRef, ItemRecord]:
        values = _values("item", items)
        names: dict[URIRef, dict[str, set]] = {}
        for row in self._select(_NAMES.format(values=values)):
            name = row["name"]
            if isinstance(name, Literal):
                kind = "labels" if row["kind"] == RDFS.label else "aliases"
                names.setdefault(row["item"], {"labels": set(), "aliases": set()})[kind].add((name.language or "", str(name)))
        types: dict[URIRef, set] = {}
        for row in self._select(_TYPES.format(values=values)):
            types.setdefault(row["item"], set()).add(row["type"])
        precisions: dict[tuple, int] = {}
        pairs = " ".join(
            f"({WDT[p].n3()} <http://www.wikidata.org/prop/{p}> <http://www.wikidata.org/prop/statement/value/{p}>)"
            for p in _TIME_PIDS
        )
        for row in self._select(_PRECISIONS.format(values=values, pairs=pairs)):
            precisions[(row["item"], row["property"], str(row["time"]))] = int(row["precision"])
        claims: dict[URIRef, dict[str, set]] = {}
        direct = " ".join(WDT[p].n3() for p in FEATURE_PIDS if p != "P131")
        for row in self._select(_CLAIMS.format(values=values, direct=direct)):
            code = str(row["property"]).rsplit("/", 1)[-1]
            value = row["value"]
            if code in _TIME_PIDS:
                precision = precisions.get((row["item"], row["property"], str(value)), 11)
                value = TimeValue.parse(str(value), precision)
            elif not isinstance(value, URIRef):
                value = None
            if value is not None:
                claims.setdefault(row["item"], {}).setdefault(code, set()).add(value)
        result = {}
        for item in items:
            if item not in names and item not in types and item not in claims:
                continue
            found = names.get(item, {"labels": set(), "aliases": set()})
            result[item] = ItemRecord(
                iri=item,
                labels=_one_per_language(found["labels"]),
                aliases=tuple(sorted(found["aliases"] | (found["labels"] - set(_one_per_language(found["labels"]))))),
                types=frozenset(types.get(item, ())),
                claims=MappingProxyType({p: frozenset(v) for p, v in sorted(claims.get(item, {}).items())}),
            )
        return result


def _one_per_language(labels: set[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    chosen: dict[str, str] = {}
    for language, text in sorted(labels):
        chosen.setdefault(language, text)
    return tuple(sorted(chosen.items()))


class GraphSource(_QuerySource):
    """A dataset held in memory as an rdflib graph in Wikidata's RDF model."""

    def __init__(self, graph: Graph, *, description: str) -> None:
        self.graph = graph
        self.description = description

    def _select(self, query: str) -> list[dict[str, Node]]:
        return [
            {str(k): v for k, v in row.asdict().items()}
            for row in self.graph.query(query)
        ]


class SparqlSource(_QuerySource):
    """A SPARQL endpoint, queried over the SPARQL 1.1 protocol (POST, JSON results)."""

    def __init__(self, url: str, *, timeout: float = _TIMEOUT_SECONDS) -> None:
        self.url = url
        self.timeout = timeout
        self.description = url

    def _select(self, query: str) -> list[dict[str, Node]]:
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
            headers={
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": "relgraph-link",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                document = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip().splitlines()[:1]
            raise InputError(f"SPARQL endpoint {self.url} answered HTTP {error.code}: {' '.join(detail)}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise InputError(f"SPARQL endpoint {self.url} could not be reached: {reason}") from None
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InputError(f"SPARQL endpoint {self.url} did not answer with SPARQL JSON results") from None
        return [{name: _term(value) for name, value in binding.items()} for binding in document["results"]["bindings"]]


def _term(value: Mapping[str, str]) -> Node:
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    return Literal(value["value"], datatype=URIRef(datatype) if datatype else None)


# ---------------------------------------------------------------------------------------------
# opening a source


def open_source(source: str) -> ItemSource:
    """The dataset at ``source``: an ``http(s)://`` SPARQL endpoint URL, or a file ending in
    .nt, .ttl, .json, .ndjson or .jsonl (optionally .gz or .bz2). InputError if unreadable."""
    if source.startswith(("http://", "https://")):
        return SparqlSource(source)
    path = Path(source)
    suffixes = [s.lower() for s in path.suffixes]
    compression = suffixes.pop() if suffixes and suffixes[-1] in (".gz", ".bz2") else None
    kind = suffixes[-1] if suffixes else ""
    if kind not in (".nt", ".ttl", ".json", ".ndjson", ".jsonl"):
        raise InputError("expected a SPARQL endpoint URL or a .nt, .ttl or .json file (optionally .gz or .bz2)", path=path)
    try:
        raw = path.read_bytes()
        if compression == ".gz":
            raw = gzip.decompress(raw)
        elif compression == ".bz2":
            raw = bz2.decompress(raw)
    except OSError as error:
        raise InputError(f"cannot read: {getattr(error, 'strerror', None) or error}", path=path) from None
    if kind == ".ttl" and compression is None:
        graph = parse_turtle(path)
    elif kind in (".nt", ".ttl"):
        graph = _parse_rdf(raw, path, "nt" if kind == ".nt" else "turtle")
    else:
        graph = json_dump_graph(raw, path=path)
    return GraphSource(graph, description=str(path))


def _parse_rdf(raw: bytes, path: Path, format: str) -> Graph:
    """``raw`` (the decompressed bytes of ``path``) in ``format``, read by rdflib; InputError
    where it is malformed, naming the line and column where pyoxigraph's parser finds them
    (rdflib's N-Triples parser names neither; pyoxigraph alone would refuse IRIs rdflib takes,
    which dumps hold)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=path) from None
    name = "N-Triples" if format == "nt" else "Turtle"
    graph = Graph()
    try:
        graph.parse(data=text, format=format)
    except (BadSyntax, ParserError, SyntaxError, ValueError) as error:
        line, column, reason = _position(raw, format)
        raise InputError(
            f"bad {name}: {reason or ' '.join(str(error).split())[:200]}", path=path, line=line, column=column
        ) from None
    return graph


def _position(raw: bytes, format: str) -> tuple[int | None, int | None, str | None]:
    """Where pyoxigraph's parser finds ``raw`` malformed: line, column and its words (None
    where it finds nothing wrong: rdflib is stricter there)."""
    import pyoxigraph as ox

    try:
        for _ in ox.parse(raw, format=ox.RdfFormat.N_TRIPLES if format == "nt" else ox.RdfFormat.TURTLE, lenient=True):
            pass
    except SyntaxError as error:
        return error.lineno, error.offset, str(error.msg).split(": ", 1)[-1]
    return None, None, None


def json_dump_graph(raw: bytes, *, path: Path) -> Graph:
    """The entities of a Wikidata JSON dump (one entity per line, the ``[``/``]`` lines and
    trailing commas of the official dumps allowed) as a graph in Wikidata's RDF model: labels,
    aliases, truthy claims (preferred rank if any, else normal; deprecated never) and, for
    dates, the statement and value nodes that carry the precision."""
    graph = Graph()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=path) from None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().rstrip(",")
        if line in ("", "[", "]"):
            continue
        try:
            entity = json.loads(line)
            _add_entity(graph, entity)
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as error:
            raise InputError(f"not a Wikidata JSON entity: {error}", path=path, line=number) from None
    return graph


def _add_entity(graph: Graph, entity: Mapping) -> None:
    item = WD[entity["id"]]
    for language, label in (entity.get("labels") or {}).items():
        graph.add((item, RDFS.label, Literal(label["value"], lang=language)))
    for language, aliases in (entity.get("aliases") or {}).items():
        for alias in aliases:
            graph.add((item, SKOS.altLabel, Literal(alias["value"], lang=language)))
    for code, statements in (entity.get("claims") or {}).items():
        live = [s for s in statements if s.get("rank", "normal") != "deprecated"]
        preferred = [s for s in live if s.get("rank") == "preferred"]
        for number, statement in enumerate(preferred or live):
            snak = statement["mainsnak"]
            if snak.get("snaktype", "value") != "value":
                continue
            value = snak["datavalue"]["value"]
            kind = snak["datavalue"]["type"]
            if kind == "wikibase-entityid":
                target = value.get("id") or f"Q{value['numeric-id']}"
                graph.add((item, WDT[code], WD[target]))
            elif kind == "time":
                time = TimeValue.parse(value["time"], int(value["precision"]))
                if time is None:
                    continue
                literal = Literal(time.iso, datatype=XSD.dateTime, normalize=False)
                graph.add((item, WDT[code], literal))
                node, value_node = BNode(f"{entity['id']}-{code}-{number}"), BNode(f"{entity['id']}-{code}-{number}-value")
                graph.add((item, URIRef(f"http://www.wikidata.org/prop/{code}"), node))
                graph.add((node, URIRef(f"http://www.wikidata.org/prop/statement/value/{code}"), value_node))
                graph.add((value_node, URIRef(WIKIBASE + "timeValue"), literal))
                graph.add((value_node, URIRef(WIKIBASE + "timePrecision"), Literal(int(value["precision"]))))


__all__ = [
    "FEATURE_PIDS",
    "GraphSource",
    "ItemRecord",
    "ItemSource",
    "SparqlSource",
    "json_dump_graph",
    "open_source",
    "pattern",
]
