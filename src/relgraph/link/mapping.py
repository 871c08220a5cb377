"""The Wikidata alignment of the ontology, read from the ontology graph (never from code).

Three kinds of data, all in ``ontology/*.ttl``:

* ``rg:wikidataProperty`` on a property: the Wikidata property with the same meaning
  (``rg:country`` → P17); ``rg:qualifierOnly true`` keeps a property out of statements;
* ``rg:wikidata`` on a class: the Wikidata class of its members (``rg:State`` → Q3624078);
* ``rg:StatementMapping`` individuals (``ontology/wikidata-mapping.ttl``): how an n-ary fact
  becomes one statement (subject property, value property, Wikidata property, qualifiers).

>>> from relgraph.vocab import RG
>>> pid(URIRef("http://www.wikidata.org/prop/direct/P190"))
'P190'
>>> qid(URIRef("http://www.wikidata.org/entity/Q211"))
'Q211'
>>> qid(RG.State) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ..errors import InputError
from ..vocab import RG, WD

_PID = re.compile(r"P[1-9][0-9]*")
_QID = re.compile(r"Q[1-9][0-9]*")


def pid(term: URIRef) -> str | None:
    """``P190`` for ``wdt:P190`` (or any Wikidata property IRI ending in a PID), else None."""
    local = str(term).rsplit("/", 1)[-1]
    return local if str(term).startswith("http://www.wikidata.org/") and _PID.fullmatch(local) else None


def qid(term) -> str | None:
    """``Q211`` for ``wd:Q211``, None for anything that is not a Wikidata item IRI."""
    if not isinstance(term, URIRef) or not str(term).startswith(str(WD)):
        return None
    local = str(term)[len(str(WD)):]
    return local if _QID.fullmatch(local) else None


@dataclass(frozen=True)
class StatementMapping:
    """How the members of ``fact_class`` become statements (see ``rg:StatementMapping``)."""

    iri: URIRef
    fact_class: URIRef
    subject_property: URIRef
    value_property: URIRef
    pid: str
    qualifiers: tuple[URIRef, ...]
    """relgraph properties of the fact node; each becomes a qualifier under its own PID."""
    symmetric: bool


@dataclass(frozen=True)
class WikidataMapping:
    """The alignment as read from an ontology graph."""

    properties: Mapping[URIRef, str]
    """relgraph property -> PID, for every property (not class) with ``rg:wikidataProperty``."""
    qualifier_only: frozenset[URIRef]
    classes: Mapping[URIRef, URIRef]
    """relgraph class -> Wikidata class item, for every class with ``rg:wikidata``."""
    statements: tuple[StatementMapping, ...]
    reconcilable: frozenset[URIRef]
    """Classes marked ``rg:reconcilable``, with all their subclasses."""
    superclasses: Mapping[URIRef, frozenset[URIRef]]
    """Each relgraph class -> itself and all its superclasses (rdfs:subClassOf*)."""
    export_classes: Mapping[URIRef, URIRef] = field(default_factory=lambda: MappingProxyType({}))
    """relgraph class -> the Wikidata class the export names as its members' P31: ``rg:wikidata``,
    else ``rg:wikidataClass`` (an export-only alignment that reconciliation does not require)."""

    @classmethod
    def from_ontology(cls, ontology: Graph) -> WikidataMapping:
        """Read the mapping; InputError names the mapping individual that is incomplete."""
        properties = {}
        for prop, target in ontology.subject_objects(RG.wikidataProperty):
            code = pid(target) if isinstance(target, URIRef) else None
            if code is None:
                raise InputError(f"rg:wikidataProperty of <{prop}> is not a Wikidata property: {target}")
            # classes carry it too (rg:Membership → P463), as documentation of their mapping
            if not {RG.StatementMapping, OWL.Class} & set(ontology.objects(prop, RDF.type)):
                properties[prop] = code
        classes = {
            c: item for c, item in ontology.subject_objects(RG.wikidata) if qid(item) is not None
        }
        superclasses = _superclasses(ontology)
        statements = tuple(
            sorted((_statement_mapping(ontology, m) for m in set(ontology.subjects(RDF.type, RG.StatementMapping))), key=lambda m: str(m.iri))
        )
        marked = {c for c, flag in ontology.subject_objects(RG.reconcilable) if _true(flag)}
        reconcilable = frozenset(c for c, supers in superclasses.items() if supers & marked)
        return cls(
            properties=MappingProxyType(properties),
            qualifier_only=frozenset(p for p, flag in ontology.subject_objects(RG.qualifierOnly) if _true(flag)),
            classes=MappingProxyType(classes),
            statements=statements,
            reconcilable=reconcilable,
            superclasses=MappingProxyType(superclasses),
            export_classes=MappingProxyType({
                **{c: item for c, item in ontology.subject_objects(RG.wikidataClass) if qid(item) is not None},
                **classes,
            }),
        )

    def mapping_for(self, classes) -> StatementMapping | None:
        """The statement mapping of a node typed with ``classes``: the one for the most specific
        mapped class among them and their superclasses, or None."""
        found = [
            m for m in self.statements
            if any(m.fact_class in self.superclasses.get(c, frozenset({c})) for c in classes)
        ]
        # the mapped class with the most superclasses is the most specific
        return max(found, key=lambda m: (len(self.superclasses.get(m.fact_class, ())), str(m.iri)), default=None)

    def mappings_for(self, classes) -> tuple[StatementMapping, ...]:
        """Every statement mapping of a node typed with ``classes``, in IRI order: one per Wikidata
        property, the most specific where mappings of one property apply to a class and its
        superclass. An office holding of a head of government gives P39 and P6."""
        found = {
            m for m in self.statements
            if any(m.fact_class in self.superclasses.get(c, frozenset({c})) for c in classes)
        }
        refined = {
            general for general in found for special in found
            if special is not general
            and special.pid == general.pid
            and special.fact_class != general.fact_class
            and general.fact_class in self.superclasses.get(special.fact_class, frozenset())
        }
        return tuple(sorted(found - refined, key=lambda m: str(m.iri)))

    def wikidata_types(self, classes) -> frozenset[URIRef]:
        """The Wikidata classes a member of ``classes`` must be an instance of (via superclasses)."""
        return frozenset(
            self.classes[s] for c in classes for s in self.superclasses.get(c, frozenset({c})) if s in self.classes
        )


def _true(value) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def _superclasses(ontology: Graph) -> dict[URIRef, frozenset[URIRef]]:
    classes = {c for c in ontology.subjects(RDFS.subClassOf, None) if isinstance(c, URIRef)}
    classes |= {c for c in ontology.subjects(RDF.type, None) if isinstance(c, URIRef) and str(c).startswith(str(RG))}
    result = {}
    for start in classes:
        seen, todo = {start}, [start]
        while todo:
            for parent in ontology.objects(todo.pop(), RDFS.subClassOf):
                if isinstance(parent, URIRef) and parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        result[start] = frozenset(seen)
    return result


def _statement_mapping(ontology: Graph, node: URIRef) -> StatementMapping:
    def one(prop: URIRef) -> URIRef:
        values = sorted(ontology.objects(node, prop))
        if len(values) != 1 or not isinstance(values[0], URIRef):
            raise InputError(f"statement mapping <{node}> needs exactly one {prop.n3()} (an IRI), has {len(values)}")
        return values[0]

    code = pid(one(RG.wikidataProperty))
    if code is None:
        raise InputError(f"statement mapping <{node}>: rg:wikidataProperty is not a Wikidata property")
    return StatementMapping(
        iri=node,
        fact_class=one(RG.mapsClass),
        subject_property=one(RG.subjectProperty),
        value_property=one(RG.valueProperty),
        pid=code,
        qualifiers=tuple(sorted(q for q in ontology.objects(node, RG.qualifier) if isinstance(q, URIRef))),
        symmetric=any(_true(v) for v in ontology.objects(node, RG.symmetric)),
    )


__all__ = ["StatementMapping", "WikidataMapping", "pid", "qid"]
