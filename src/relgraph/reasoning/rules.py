"""OWL 2 RL with the Rust reasoner ``reasonable``, completed where it stops short.

``reasonable`` (0.4) computes the RL closure fast but, measured on relgraph's ontology,
does not apply ``owl:propertyChainAxiom`` (rule prp-spo2) nor the schema rules that carry
domains and ranges up the class and property hierarchies and chain sub-properties
(scm-dom1, scm-dom2, scm-rng1, scm-rng2, scm-spo), and reports no inconsistency
(it derives nothing from ``owl:disjointWith``, ``owl:AllDisjointClasses``,
``owl:IrreflexiveProperty``, ``owl:AsymmetricProperty`` or ``owl:propertyDisjointWith``).
So this module

* turns every property chain of the ontology into a CONSTRUCT rule (a SPARQL property
  path, ``[ owl:inverseOf p ]`` becoming ``^p``) and runs it, the :data:`SCHEMA_RULES`
  and the project's ``derive-*`` rules on an in-memory Oxigraph store, round after round
  until nothing new appears;
* checks the closure for the RL inconsistencies above in Python (:func:`violations`), the
  rules cax-dw, cax-adc, prp-irp, prp-asyp, prp-pdw and eq-diff1 of OWL 2 RL, section 4.3
  (https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules).

It also writes plain literals as ``xsd:string``; they are read back as plain literals.

``reasonable`` is never shown the ``owl:FunctionalProperty`` declarations: it joins the
triples of a functional property with each other on the property alone (every pair, not
only the pairs sharing a subject), so its memory grows with the square of each functional
property's triple count: 0.3 GiB at 100k triples, 4.7 GiB at 300k, more than 30 GiB at 1M
on relgraph's data (29 functional properties; ``rg:position`` alone has one triple per
sentence). Rule prp-fp is run instead as a CONSTRUCT (:func:`functional_rule`), which
Oxigraph evaluates joining on property *and* subject. It derives what ``reasonable`` did:
``owl:sameAs`` between the two values when they are not literals (it derives nothing for
two literal values), and the ``owl:sameAs`` it adds goes back to ``reasonable`` in the next
round, like any rule's triple, for the equality rules (eq-*) to apply.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import XSD
from rdflib.term import Node

from ..results import canonical_decimal
from ..stores.convert import nt_lines, to_rdflib
from ..vocab import PREFIXES

Triple = tuple[Node, Node, Node]
_XSD_STRING = XSD.string
_XSD_DECIMAL = XSD.decimal
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


SCHEMA_RULES = (
    # scm-dom1 + scm-dom2: a property's domain holds for its sub-properties and superclasses
    "CONSTRUCT { ?p rdfs:domain ?c } WHERE { ?p rdfs:subPropertyOf*/rdfs:domain/rdfs:subClassOf* ?c }",
    # scm-rng1 + scm-rng2: the same for ranges
    "CONSTRUCT { ?p rdfs:range ?c } WHERE { ?p rdfs:subPropertyOf*/rdfs:range/rdfs:subClassOf* ?c }",
    # scm-spo: rdfs:subPropertyOf is transitive
    "CONSTRUCT { ?p rdfs:subPropertyOf ?q } WHERE { ?p rdfs:subPropertyOf/rdfs:subPropertyOf+ ?q }",
)
"""OWL 2 RL schema rules (table 9) that ``reasonable`` does not apply."""


def completing_rules(ontology: Graph, *, functional: Iterable[Node] = ()) -> tuple[str, ...]:
    """Every rule ``reasonable`` needs beside it: the ontology's chains, :data:`SCHEMA_RULES`
    and prp-fp for the ``functional`` properties (those hidden from it, see
    :func:`split_functional`)."""
    rule = functional_rule(functional)
    return (*chain_rules(ontology), *SCHEMA_RULES, *((rule,) if rule else ()))


def is_functional_declaration(triple: Triple) -> bool:
    """True for ``p rdf:type owl:FunctionalProperty``."""
    return triple[1] == RDF.type and triple[2] == OWL.FunctionalProperty


def split_functional(triples: Iterable[Triple]) -> tuple[list[Triple], tuple[URIRef, ...]]:
    """``triples`` without their ``owl:FunctionalProperty`` declarations, and the declared
    properties (sorted): what ``reasonable`` is given, and what :func:`functional_rule` takes."""
    kept, functional = [], set()
    for triple in triples:
        if is_functional_declaration(triple) and isinstance(triple[0], URIRef):
            functional.add(triple[0])
        else:
            kept.append(triple)
    return kept, tuple(sorted(functional))


def functional_rule(properties: Iterable[Node]) -> str | None:
    """Rule prp-fp for ``properties`` as a CONSTRUCT (None for no property), between values
    that are not literals, as ``reasonable`` applies it.

    >>> print(functional_rule([URIRef("urn:x:f")]))
    CONSTRUCT { ?y1 owl:sameAs ?y2 } WHERE { VALUES ?p { <urn:x:f> } ?x ?p ?y1 . ?x ?p ?y2 . FILTER (!isLiteral(?y1) && !isLiteral(?y2) && !sameTerm(?y1, ?y2)) }
    """
    names = " ".join(f"<{p}>" for p in sorted(properties))
    if not names:
        return None
    return (
        f"CONSTRUCT {{ ?y1 owl:sameAs ?y2 }} WHERE {{ VALUES ?p {{ {names} }} ?x ?p ?y1 . ?x ?p ?y2 . "
        "FILTER (!isLiteral(?y1) && !isLiteral(?y2) && !sameTerm(?y1, ?y2)) }"
    )


def chain_rules(ontology: Graph) -> tuple[str, ...]:
    """One CONSTRUCT per ``owl:propertyChainAxiom`` of ``ontology``, sorted.

    >>> g = Graph().parse(format="turtle", data='''
    ...   @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix : <urn:x:> .
    ...   :memberOf owl:propertyChainAxiom ( [ owl:inverseOf :member ] :organization ) .''')
    >>> print(chain_rules(g)[0])
    CONSTRUCT { ?x <urn:x:memberOf> ?y } WHERE { ?x ^<urn:x:member>/<urn:x:organization> ?y }
    """
    rules = []
    for prop, chain in ontology.subject_objects(OWL.propertyChainAxiom):
        steps = []
        for step in Collection(ontology, chain):
            inverse = ontology.value(step, OWL.inverseOf) if isinstance(step, BNode) else None
            steps.append(f"^<{inverse}>" if inverse is not None else f"<{step}>")
        if isinstance(prop, URIRef) and steps:
            rules.append(f"CONSTRUCT {{ ?x <{prop}> ?y }} WHERE {{ ?x {'/'.join(steps)} ?y }}")
    return tuple(sorted(rules))


def plain(triple: Triple) -> Triple:
    """``triple`` with an ``xsd:string`` object written as the plain literal it is, and an
    ``xsd:decimal`` in relgraph's canonical form (as read back from Oxigraph)."""
    o = triple[2]
    if isinstance(o, Literal):
        if o.datatype == _XSD_STRING:
            return triple[0], triple[1], Literal(str(o))
        if o.datatype == _XSD_DECIMAL:
            return triple[0], triple[1], canonical_decimal(o)
    return triple


def closure(
    base: Iterable[Triple] | Path,
    *,
    rules: Sequence[str] = (),
    max_rounds: int = 10,
) -> tuple[set[Triple], int]:
    """The OWL 2 RL closure of ``base`` (triples, or an N-Triples/Turtle file) under
    ``reasonable`` plus ``rules`` (CONSTRUCT texts) and prp-fp (:func:`functional_rule`):
    every triple, base included (but for the ``owl:FunctionalProperty`` declarations, which
    ``reasonable`` is not shown), and the number of rounds run."""
    import reasonable

    reasoner = reasonable.PyReasoner()
    if isinstance(base, Path):
        base = set(Graph().parse(base, format="nt" if base.suffix == ".nt" else "turtle"))
    given, functional = split_functional(base)
    reasoner.from_graph(given)
    rule = functional_rule(functional)
    rules = [*rules, *((rule,) if rule else ())]
    scratch = ox.Store()
    known: set[Triple] = set()
    rounds = 0
    while True:
        rounds += 1
        everything = {plain(t) for t in reasoner.reason()}
        new = everything - known
        known |= new
        if not rules:
            break
        scratch.bulk_load("".join(nt_lines(new)).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
        derived: set[Triple] = set()
        for rule in rules:
            for triple in scratch.query(rule, prefixes=_PREFIXES):
                candidate = (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
                if candidate not in known:
                    derived.add(candidate)
        if not derived or rounds >= max_rounds:
            break
        reasoner.from_graph(list(derived))
    return known, rounds


_AXIOM_PREDICATES = frozenset({OWL.disjointWith, OWL.members, OWL.propertyDisjointWith, RDF.first, RDF.rest})
_AXIOM_TYPES = frozenset({OWL.AllDisjointClasses, OWL.IrreflexiveProperty, OWL.AsymmetricProperty})


def axioms(triples: Iterable[Triple]) -> Graph:
    """The triples of ``triples`` that :func:`violations` reads its axioms from."""
    graph = Graph()
    for s, p, o in triples:
        if p in _AXIOM_PREDICATES or (p == RDF.type and o in _AXIOM_TYPES):
            graph.add((s, p, o))
    return graph


def violations(triples: set[Triple]) -> set[str]:
    """The OWL 2 RL inconsistencies of the closed ``triples`` that ``reasonable`` does not
    report: members of disjoint classes, irreflexive / asymmetric / disjoint properties
    broken, owl:sameAs together with owl:differentFrom. The axioms are read from
    ``triples`` too, wherever they were stated."""
    ontology = axioms(triples)
    disjoint: set[tuple[Node, Node]] = set()
    for a, b in ontology.subject_objects(OWL.disjointWith):
        disjoint |= {(a, b), (b, a)}
    for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(ontology, ontology.value(group, OWL.members)))
        disjoint |= {(a, b) for a in members for b in members if a != b}
    irreflexive = set(ontology.subjects(RDF.type, OWL.IrreflexiveProperty))
    asymmetric = set(ontology.subjects(RDF.type, OWL.AsymmetricProperty))
    disjoint_properties: dict[Node, set[Node]] = defaultdict(set)
    for a, b in ontology.subject_objects(OWL.propertyDisjointWith):
        disjoint_properties[a].add(b)
        disjoint_properties[b].add(a)
    classes = {c for pair in disjoint for c in pair}
    types: dict[Node, set[Node]] = defaultdict(set)
    by_property: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)
    watched = irreflexive | asymmetric | set(disjoint_properties) | {OWL.sameAs, OWL.differentFrom}
    for s, p, o in triples:
        if p == RDF.type and o in classes:
            types[s].add(o)
        elif p in watched:
            by_property[p].add((s, o))
    problems = set()
    for node, found in types.items():
        for a in found:
            for b in found:
                if str(a) < str(b) and (a, b) in disjoint:
                    problems.add(f"{node} is a member of the disjoint classes {a} and {b}")
    for prop in irreflexive:
        problems |= {f"{s} {prop} {s}: the property is irreflexive" for s, o in by_property[prop] if s == o}
    for prop in asymmetric:
        pairs = by_property[prop]
        problems |= {f"{s} {prop} {o} both ways: the property is asymmetric" for s, o in pairs if (o, s) in pairs}
    for prop, others in disjoint_properties.items():
        for other in others:
            if str(prop) < str(other):
                for s, o in by_property[prop] & by_property[other]:
                    problems.add(f"{s} {prop} and {other} {o}: the properties are disjoint")
    same = by_property[OWL.sameAs]
    # x owl:sameAs x holds for every x (eq-ref), whether reasonable says so or not
    problems |= {f"{s} owl:sameAs and owl:differentFrom {o}" for s, o in by_property[OWL.differentFrom] if s == o or (s, o) in same}
    return problems
