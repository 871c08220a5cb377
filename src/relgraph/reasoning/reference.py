"""OWL 2 RL closure (owlrl) plus the project's ``derive-*`` rules, into its own graph.

Steps: close ontology + asserted under OWL 2 RL; run every ``derive-*`` CONSTRUCT
over the result and add what is new; close again; repeat until the rules add
nothing (at most ``max_rounds`` times). The inferred graph holds only triples that
are neither asserted nor in the ontology, minus the trivial ones owlrl adds about
everything (see :func:`is_trivial`).

Two engines: ``owlrl`` (the reference, pure Python) and ``reasonable`` (Rust, for large
graphs; see :mod:`relgraph.reasoning.rules` for what it needs completing and
tests/test_reasonable.py for how its answer compares).

owlrl is driven through its ``OWLRL_Semantics`` class rather than
``DeductiveClosure``, whose ``improved_datatypes`` switch swaps rdflib's
process-wide literal conversion table while it runs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from owlrl.OWLRL import OWLRL_Semantics
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from ..errors import ParameterError, QuerySyntaxError
from ..queries import StoredQuery, prepare
from ..vocab import PREFIXES, bind_prefixes

# owlrl writes its inconsistency messages into the graph as `[] a err:ErrorMessage ; err:error "…"`.
_OWLRL_ERRORS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
_BUILT_IN = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_REFLEXIVE = frozenset({OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf})
_TOP = frozenset({OWL.Thing, RDFS.Resource})
ENGINES = ("owlrl", "reasonable")
"""The reasoners ``reason`` can use; owlrl is the reference."""


def is_trivial(triple) -> bool:
    """True for an inferred triple that says nothing about the project. These are dropped:

    * any triple whose subject is a literal (owlrl types and sameAs-es every literal);
    * ``x p x`` for p in owl:sameAs, owl:equivalentClass, owl:equivalentProperty,
      rdfs:subClassOf, rdfs:subPropertyOf;
    * ``x rdf:type owl:Thing`` / ``rdfs:Resource``; ``C rdfs:subClassOf owl:Thing``;
      ``p rdfs:domain`` / ``rdfs:range owl:Thing``;
    * any triple about a term of the rdf:, rdfs:, owl: or xsd: vocabularies (datatype
      and annotation-property declarations, owl:Nothing's subclass axioms);
    * owlrl's error-message nodes (read into :attr:`ReasoningResult.problems` instead).
    """
    s, p, o = triple
    if isinstance(s, Literal):
        return True
    if s == o and p in _REFLEXIVE:
        return True
    if o in _TOP and p in (RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range):
        return True
    if isinstance(s, URIRef) and str(s).startswith(_BUILT_IN):
        return True
    return False


@dataclass(frozen=True)
class ReasoningResult:
    """What reasoning added, and whether the ontology + data are consistent."""

    inferred: Graph | None
    """New, non-trivial triples only (never any asserted or ontology triple); None when they
    were written into a store's inferred graph instead (:func:`relgraph.reasoning.in_store.reason_in_store`)."""
    asserted_count: int
    """Triples in ontology + asserted data."""
    problems: tuple[str, ...]
    """Inconsistencies, sorted: owlrl's messages, owl:Nothing members, unintended owl:sameAs."""
    rounds: int
    """Closure rounds run (1 + one per round in which the rules added triples); 0 for a store
    reasoned by an earlier command (``relgraph build`` on the project's cached store)."""
    seconds: float
    stored_count: int | None = None
    """Inferred triples written into the store, when :attr:`inferred` is None."""

    @property
    def consistent(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    @property
    def inferred_count(self) -> int:
        """Triples in :attr:`inferred` (or written into the store)."""
        return len(self.inferred) if self.inferred is not None else self.stored_count or 0


def reason(
    *,
    ontology: Graph,
    asserted: Graph,
    rules: Sequence[StoredQuery] = (),
    max_rounds: int = 10,
    engine: str = "owlrl",
) -> ReasoningResult:
    """Close ``ontology`` + ``asserted`` under OWL 2 RL and ``rules`` (CONSTRUCT queries).

    ``engine`` is one of :data:`ENGINES`. Neither input graph is modified. A rule that is
    not a CONSTRUCT raises QuerySyntaxError; an unknown engine, ParameterError.
    """
    if engine not in ENGINES:
        raise ParameterError("engine", f"unknown value {engine!r}; expected one of: {', '.join(ENGINES)}")
    started = time.perf_counter()
    prepared = [(rule, prepare(rule)) for rule in rules]
    for rule, query in prepared:
        if query.algebra.name != "ConstructQuery":
            raise QuerySyntaxError(rule.name, "a derive- rule must be a CONSTRUCT query", path=rule.path)
    if engine == "reasonable":
        return _reason_reasonable(ontology=ontology, asserted=asserted, rules=rules, max_rounds=max_rounds, started=started)
    work = Graph()
    for graph in (ontology, asserted):
        for triple in graph:
            work.add(triple)
    base = set(work)
    messages: set[str] = set()
    rounds = 0
    while True:
        rounds += 1
        messages |= _close(work)
        added = 0
        for _rule, query in prepared:
            for triple in work.query(query, initNs=PREFIXES).graph:
                if triple not in work:
                    work.add(triple)
                    added += 1
        if not added:
            break
        if rounds >= max_rounds:
            messages |= _close(work)
            break
    inferred = _inferred(work, base)
    problems = messages | _nothing_members(work) | _unintended_same_as(work, asserted=base)
    return _result(inferred, base=base, problems=problems, rounds=rounds, started=started)


def _result(inferred: Graph, *, base, problems: set[str], rounds: int, started: float) -> ReasoningResult:
    return ReasoningResult(
        inferred=inferred,
        asserted_count=len(base),
        problems=tuple(sorted(problems)),
        rounds=rounds,
        seconds=time.perf_counter() - started,
    )


def _inferred(closed, base) -> Graph:
    """The triples of ``closed`` that are neither in ``base`` nor trivially true."""
    inferred = Graph()
    bind_prefixes(inferred)
    for triple in closed:
        if triple not in base and not is_trivial(triple):
            inferred.add(triple)
    return inferred


def _reason_reasonable(
    *, ontology: Graph, asserted: Graph, rules: Sequence[StoredQuery], max_rounds: int, started: float
) -> ReasoningResult:
    from .rules import closure, completing_rules, violations

    base = set(ontology) | set(asserted)
    everything, rounds = closure(base, rules=[*(r.text for r in rules), *completing_rules(ontology)], max_rounds=max_rounds)
    inferred = _inferred(everything, base)
    same_as = Graph()
    for s, p, o in everything:
        if p == OWL.sameAs or (p == RDF.type and o == OWL.Nothing):
            same_as.add((s, p, o))
    problems = violations(everything) | _nothing_members(same_as) | _unintended_same_as(same_as, asserted=base)
    return _result(inferred, base=base, problems=problems, rounds=rounds, started=started)


def _close(graph: Graph) -> set[str]:
    """Close ``graph`` in place under OWL 2 RL; return owlrl's inconsistency messages."""
    closure = OWLRL_Semantics(graph, False, False, rdfs=False)
    closure.closure()
    for node in list(graph.subjects(RDF.type, _OWLRL_ERRORS.ErrorMessage)):
        graph.remove((node, None, None))
    return set(closure.error_messages)


def _nothing_members(graph: Graph) -> set[str]:
    return {f"{member} is a member of owl:Nothing" for member in graph.subjects(RDF.type, OWL.Nothing)}


def _unintended_same_as(graph: Graph, *, asserted: set) -> set[str]:
    """owl:sameAs between two IRIs that no chain of asserted owl:sameAs connects."""
    parent: dict = {}

    def root(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for s, p, o in asserted:
        if p == OWL.sameAs:
            parent[root(s)] = root(o)
    return {
        f"{s} owl:sameAs {o} was inferred"
        for s, o in graph.subject_objects(OWL.sameAs)
        if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o and str(s) < str(o) and root(s) != root(o)
    }
