"""The graph seen as Wikidata sees things: items with labels, and claims with qualifiers and references.

One model feeds the Wikidata-shaped RDF export, the QuickStatements proposal and the
reconciliation features. It is computed from the ontology's alignment (see ``mapping.py``)
and the data (asserted plus inferred triples):

* every node typed with a relgraph class is an *item* — under its ``wd:`` IRI when it has a
  checked ``rg:wikidata`` link, else under its own IRI — except the provenance nodes
  (sentences, documents, defects), which become references, and the facts that a statement
  mapping turns into statements;
* a fact of a mapped class gives one statement per subject (two for symmetric mappings);
* any other triple whose property has ``rg:wikidataProperty`` gives a statement on its subject,
  unless a mapped fact already gives the same subject, property and value;
* each item gets P31 from its most specific relgraph classes (the class's ``rg:wikidata`` item,
  else the class itself, which is then an item with P279 to its relgraph superclasses);
* references are the sentences of ``rg:statedIn``: the document's address and the quotation;
* each claim keeps the ``rg:basis`` of the node it comes from (and its ``rg:basisNote``): a claim
  is *implied* when that basis is not ``rg:Stated`` and, for a description of an entity that
  names ``rg:impliedProperty``, when its property is one of those. The Wikidata export marks
  implied statements; QuickStatements leaves them out unless asked (see their modules).

>>> TimeValue.from_literal(Literal("1974", datatype=XSD.gYear)).quickstatements
'+1974-00-00T00:00:00Z/9'
>>> TimeValue.from_literal(Literal("2007-05", datatype=XSD.gYearMonth)).iso
'2007-05-01T00:00:00Z'
>>> TimeValue.from_literal(Literal("1991-10-10", datatype=XSD.date)).precision
11
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..vocab import OA, RG, SCHEMA
from .mapping import WikidataMapping, qid

PROVENANCE_CLASSES = frozenset({RG.Sentence, RG.SourceDocument, RG.SourceDefect, RG.DefectKind, RG.Basis})
"""Nodes of these classes are how the graph knows, not what it knows: references, never items."""

_PRECISION = {XSD.gYear: 9, XSD.gYearMonth: 10, XSD.date: 11, XSD.dateTime: 11}
_LENGTH = {9: 4, 10: 7, 11: 10}


@dataclass(frozen=True, order=True)
class TimeValue:
    """A date at the precision the source gives: year (9), month (10) or day (11), as Wikidata counts."""

    lexical: str
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    precision: int

    @classmethod
    def from_literal(cls, literal: Node) -> TimeValue | None:
        """The time value of an xsd:gYear, xsd:gYearMonth, xsd:date or xsd:dateTime literal, else None."""
        if not isinstance(literal, Literal) or literal.datatype not in _PRECISION:
            return None
        precision = _PRECISION[literal.datatype]
        text = str(literal)[: _LENGTH[precision]]
        if len(text) != _LENGTH[precision] or not text[:4].isdigit():
            return None
        return cls(text, precision)

    @classmethod
    def parse(cls, text: str, precision: int) -> TimeValue | None:
        """A value from Wikidata's ``+1974-00-00T00:00:00Z`` form (or an ISO date) at ``precision``."""
        text = text.lstrip("+")
        if precision not in _LENGTH or len(text) < _LENGTH[precision] or not text[:4].isdigit():
            return None
        return cls(text[: _LENGTH[precision]], precision)

    @property
    def iso(self) -> str:
        """The xsd:dateTime Wikidata's RDF uses: missing month and day become 01."""
        parts = (self.lexical.split("-") + ["01", "01"])[:3]
        return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"

    @property
    def quickstatements(self) -> str:
        """QuickStatements' form: missing month and day are 00, then ``/precision``."""
        parts = (self.lexical.split("-") + ["00", "00"])[:3]
        return f"+{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z/{self.precision}"

    def agrees_with(self, other: TimeValue) -> bool:
        """True if the two values are the same at the coarser of the two precisions."""
        length = _LENGTH[min(self.precision, other.precision)]
        return self.lexical[:length] == other.lexical[:length]


Value = URIRef | TimeValue


@dataclass(frozen=True)
class Reference:
    """One sentence of a source, as a Wikidata reference: the address and the quotation."""

    url: str | None
    quotation: str | None
    language: str
    """The quotation's language code (the document title's language, else ``und``)."""
    sentence: URIRef


@dataclass(frozen=True)
class Claim:
    """A statement on ``subject``: main value, qualifiers and references."""

    subject: URIRef
    pid: str
    value: Value
    qualifiers: tuple[tuple[str, Value], ...]
    """Sorted (PID, value) pairs."""
    references: tuple[Reference, ...]
    origin: URIRef
    """The relgraph node the claim comes from: the fact node, or the subject's own node."""
    fact: bool = False
    """True when ``origin`` is an ``rg:Fact`` (a statement of a source), not an entity's description."""
    basis: URIRef | None = None
    """The ``rg:basis`` of the claim where it rests on context (``rg:ImpliedByHeading``, …); None
    where the source states it, or the origin records no basis."""
    basis_note: str | None = None
    """Why it rests on context (the origin's English ``rg:basisNote``), for an implied claim."""

    @property
    def implied(self) -> bool:
        """True when the claim rests on context rather than on its sentence's words."""
        return self.basis is not None

    @property
    def key(self) -> str:
        """A stable identifier of the claim (for statement IRIs and sorting)."""
        text = "\n".join((str(self.origin), str(self.subject), self.pid, _value_text(self.value)))
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Item:
    """An item: its IRI, the relgraph node it stands for, its labels and aliases."""

    iri: URIRef
    node: URIRef
    labels: tuple[tuple[str, str], ...]
    """(language, text), one per language, sorted."""
    aliases: tuple[tuple[str, str], ...]
    """(language, text), sorted; further labels of a language count as aliases."""
    descriptions: tuple[tuple[str, str], ...] = ()
    """(language, text), one per language, sorted: the node's ``schema:description`` (or
    ``dcterms:description``; a class's ``skos:definition``) where the graph has one."""


@dataclass(frozen=True)
class WikidataView:
    """The items and claims of a graph, sorted; ``item_of`` maps relgraph nodes to item IRIs."""

    items: tuple[Item, ...]
    claims: tuple[Claim, ...]
    item_of: Mapping[URIRef, URIRef]

    def claims_about(self, item: URIRef) -> tuple[Claim, ...]:
        """The claims whose subject is ``item``."""
        return tuple(c for c in self.claims if c.subject == item)


def _value_text(value: Value) -> str:
    return f"{value.lexical}/{value.precision}" if isinstance(value, TimeValue) else str(value)


def _claim_sort_key(claim: Claim):
    return (str(claim.subject), int(claim.pid[1:]), _value_text(claim.value), claim.key)


def wikidata_view(*, ontology: Graph, data: Graph) -> WikidataView:
    """Items and claims of ``data`` (asserted plus inferred triples) under ``ontology``'s alignment."""
    mapping = WikidataMapping.from_ontology(ontology)
    types = _specific_types(data, mapping)
    mapped = {node: mapping.mappings_for(classes) for node, classes in types.items()}
    item_nodes = sorted(
        node for node, classes in types.items() if not mapped[node] and not (set(classes) & PROVENANCE_CLASSES)
    )
    item_of: dict[URIRef, URIRef] = {}
    for node in item_nodes:
        links = sorted(i for i in data.objects(node, RG.wikidata) if qid(i))
        item_of[node] = links[0] if links else node
    references = _References(data)
    bases = _Bases(data)

    def is_fact(node: URIRef) -> bool:
        return any(RG.Fact in mapping.superclasses.get(c, ()) for c in types[node])

    def value_of(term) -> Value | None:
        return item_of.get(term) if isinstance(term, URIRef) else TimeValue.from_literal(term)

    claims: list[Claim] = []
    for node, m in sorted(((n, m) for n, ms in mapped.items() for m in ms), key=lambda nm: (str(nm[0]), str(nm[1].iri))):
        qualifiers = tuple(
            sorted(
                (
                    (mapping.properties[q], v)
                    for q in m.qualifiers
                    if q in mapping.properties
                    for v in (value_of(o) for o in data.objects(node, q))
                    if v is not None
                ),
                key=lambda pair: (int(pair[0][1:]), _value_text(pair[1])),
            )
        )
        refs = references.of(node)
        subjects = sorted(data.objects(node, m.subject_property))
        values = subjects if m.symmetric else sorted(data.objects(node, m.value_property))
        for subject in subjects:
            for value_node in values:
                if m.symmetric and value_node == subject:
                    continue
                value = value_of(value_node)
                if subject in item_of and value is not None:
                    claims.append(
                        Claim(item_of[subject], m.pid, value, qualifiers, refs, node, is_fact(node), *bases.of(node, None))
                    )
    covered = {(c.subject, c.pid, c.value) for c in claims}
    for node in item_nodes:
        for prop, obj in sorted(data.predicate_objects(node)):
            code = mapping.properties.get(prop)
            value = value_of(obj)
            if code is None or prop in mapping.qualifier_only or value is None:
                continue
            if (item_of[node], code, value) not in covered:
                covered.add((item_of[node], code, value))
                claims.append(
                    Claim(item_of[node], code, value, (), references.of(node), node, is_fact(node), *bases.of(node, prop))
                )
    items, class_claims = _class_items(ontology, mapping, {c for n in item_nodes for c in types[n]})
    item_of.update({item.node: item.iri for item in items})
    for node in item_nodes:
        for cls in types[node]:
            claims.append(Claim(item_of[node], "P31", mapping.export_classes.get(cls, cls), (), (), node))
    claims.extend(class_claims)
    items += [Item(item_of[n], n, *_labels(data, n), _descriptions(data, n)) for n in item_nodes]
    return WikidataView(
        items=tuple(sorted(items, key=lambda i: str(i.iri))),
        claims=tuple(sorted(claims, key=_claim_sort_key)),
        item_of=MappingProxyType(item_of),
    )


def _specific_types(data: Graph, mapping: WikidataMapping) -> dict[URIRef, tuple[URIRef, ...]]:
    """Each node typed with relgraph classes -> those classes minus their superclasses, sorted."""
    found: dict[URIRef, set[URIRef]] = {}
    for node, cls in data.subject_objects(RDF.type):
        if isinstance(node, URIRef) and isinstance(cls, URIRef) and str(cls).startswith(str(RG)):
            found.setdefault(node, set()).add(cls)
    result = {}
    for node, classes in found.items():
        implied = {s for c in classes for s in mapping.superclasses.get(c, ()) if s != c}
        result[node] = tuple(sorted(classes - implied))
    return result


def _class_items(ontology: Graph, mapping: WikidataMapping, used: Iterable[URIRef]) -> tuple[list[Item], list[Claim]]:
    """The relgraph classes used as P31 values, and their relgraph superclasses, as items with P279."""
    classes = {s for c in used for s in mapping.superclasses.get(c, {c}) if str(s).startswith(str(RG))}
    items, claims = [], []
    for cls in sorted(classes):
        iri = mapping.export_classes.get(cls, cls)
        items.append(Item(iri, cls, *_labels(ontology, cls), _descriptions(ontology, cls)))
        for parent in sorted(ontology.objects(cls, RDFS.subClassOf)):
            if parent in classes:
                claims.append(Claim(iri, "P279", mapping.export_classes.get(parent, parent), (), (), cls))
    return items, claims


def _labels(graph: Graph, node: URIRef) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(labels, aliases): the first rdfs:label of each language is the label, the rest are aliases."""
    labels: dict[str, str] = {}
    aliases: set[tuple[str, str]] = set()
    for text in sorted((o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal) and o.language), key=str):
        if text.language in labels:
            aliases.add((text.language, str(text)))
        else:
            labels[text.language] = str(text)
    aliases |= {(o.language, str(o)) for o in graph.objects(node, SKOS.altLabel) if isinstance(o, Literal) and o.language}
    aliases -= set(labels.items())
    return tuple(sorted(labels.items())), tuple(sorted(aliases))


_DESCRIPTIONS = (SCHEMA.description, DCTERMS.description, SKOS.definition)


def _descriptions(graph: Graph, node: URIRef) -> tuple[tuple[str, str], ...]:
    """(language, text) per language: the first of schema:description, dcterms:description,
    skos:definition that the node has in that language (the lexically first of its values)."""
    found: dict[str, str] = {}
    for prop in _DESCRIPTIONS:
        texts = sorted((o for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language), key=str)
        for text in texts:
            found.setdefault(text.language, " ".join(str(text).split()))
    return tuple(sorted(found.items()))


class _Bases:
    """The basis of a node's claims: (basis, note) where they rest on context, else (None, None)."""

    def __init__(self, data: Graph) -> None:
        self._data = data

    def of(self, node: URIRef, prop: URIRef | None) -> tuple[URIRef | None, str | None]:
        """For the claims of ``node``: all of them (``prop`` None, a mapped fact), or those of ``prop``."""
        data = self._data
        basis = min((b for b in data.objects(node, RG.basis) if isinstance(b, URIRef)), default=None)
        if basis is None or basis == RG.Stated:
            return None, None
        implied = set(data.objects(node, RG.impliedProperty))
        if prop is not None and implied and prop not in implied:
            return None, None
        notes = sorted(str(n) for n in data.objects(node, RG.basisNote) if isinstance(n, Literal) and n.language in ("en", None))
        return basis, notes[0] if notes else None


class _References:
    """The references of a node: one per sentence it was stated in."""

    def __init__(self, data: Graph) -> None:
        self._data = data
        self._cache: dict[URIRef, Reference] = {}

    def of(self, node: URIRef) -> tuple[Reference, ...]:
        sentences = sorted(s for s in set(self._data.objects(node, RG.statedIn)) if isinstance(s, URIRef))
        return tuple(self._reference(s) for s in sentences)

    def _reference(self, sentence: URIRef) -> Reference:
        if sentence not in self._cache:
            data = self._data
            document = next(iter(sorted(data.objects(sentence, OA.hasSource))), None)
            url = next(iter(sorted(str(u) for u in data.objects(document, DCTERMS.source))), None) if document else None
            quotes = sorted(
                str(exact) for selector in data.objects(sentence, OA.hasSelector) for exact in data.objects(selector, OA.exact)
            )
            titles = sorted(t.language for t in data.objects(document, DCTERMS.title) if isinstance(t, Literal) and t.language) if document else []
            self._cache[sentence] = Reference(url, quotes[0] if quotes else None, titles[0] if titles else "und", sentence)
        return self._cache[sentence]


__all__ = ["PROVENANCE_CLASSES", "Claim", "Item", "Reference", "TimeValue", "Value", "WikidataView", "wikidata_view"]
