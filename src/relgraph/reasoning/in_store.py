"""Reasoning over a store's graphs, the inferred graph written back into the store.

For an Oxigraph store and the ``reasonable`` engine no rdflib graph of the data is built:
the ontology and asserted graphs are dumped as N-Triples, read by ``reasonable`` itself
(without the ``owl:FunctionalProperty`` declarations: see relgraph.reasoning.rules), the
inferred triples are bulk-loaded back, the completing rules run as CONSTRUCTs in the store
and their answers go back to ``reasonable`` as N-Triples, round after round; what is new is
told by its N-Triples line. The inconsistency checks run over the store at the end
(:func:`store_violations`). Memory and time grow linearly: 0.5 GiB at 100k triples,
1.1 GiB at 300k, 3.4-3.6 GiB at 1M (bench/build_scale.py). Other stores and owlrl go
through :func:`relgraph.reasoning.reference.reason` with rdflib graphs (fine for small data).
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef
from rdflib.term import Node

from ..progress import SILENT, Progress
from ..queries import StoredQuery, refuse_outbound
from .reference import ENGINES, ReasoningResult, _nothing_members, _unintended_same_as, is_trivial, reason
from ..errors import ParameterError
from ..stores.base import Store
from ..stores.convert import nt_term
from ..vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY




def reason_in_store(
    store: Store,
    *,
    rules: Sequence[StoredQuery] = (),
    engine: str = "reasonable",
    max_rounds: int = 10,
    progress: Progress = SILENT,
    digest: str | None = None,
) -> ReasoningResult:
    """Close the store's ontology + asserted graphs under OWL 2 RL and ``rules``, and replace
    its inferred graph with the result. The store then records ``digest`` (by default, the
    one it had: a build loads the inputs first and records their digest only once the
    inferred graph is written)."""
    if engine not in ENGINES:
        raise ParameterError("engine", f"unknown value {engine!r}; expected one of: {', '.join(ENGINES)}")
    for rule in rules:  # the store runs them as they are: never one that reaches out (SERVICE, FROM)
        refuse_outbound(rule)
    started = time.perf_counter()
    digest = digest if digest is not None else store.digest
    if engine == "owlrl" or not store.bulk_loads:
        with progress.task(f"reason ({engine})"):
            result = reason(
                ontology=store.graph(GRAPH_ONTOLOGY), asserted=store.graph(GRAPH_ASSERTED),
                rules=rules, max_rounds=max_rounds, engine=engine,
            )
            store.replace({GRAPH_INFERRED: result.inferred}, digest=digest)
        return ReasoningResult(
            inferred=None, asserted_count=result.asserted_count, problems=result.problems, rounds=result.rounds,
            seconds=time.perf_counter() - started, stored_count=result.inferred_count,
        )
    return _reason_oxigraph(store, rules=rules, max_rounds=max_rounds, progress=progress, started=started, digest=digest)


def _reason_oxigraph(
    store: Store, *, rules: Sequence[StoredQuery], max_rounds: int, progress: Progress, started: float, digest: str | None
) -> ReasoningResult:
    """reasonable reads the dumped graphs itself; the rules run in the store; what is new is
    told from the base by its N-Triples line (Oxigraph's and relgraph's lines are the same)."""
    import reasonable

    from .rules import completing_rules

    with tempfile.TemporaryDirectory(prefix="relgraph-reason-") as folder:
        base_file = Path(folder) / "base.ttl"  # N-Triples, named .ttl: reasonable reads only ttl and n3
        inferred_file = Path(folder) / "inferred.nt"
        derived_file = Path(folder) / "derived.ttl"
        with progress.task("reason: read"):
            # Oxigraph's own dump, unsorted: reasonable does not care for the order
            dumped = b"".join(store.dump_ntriples(name) for name in (GRAPH_ONTOLOGY, GRAPH_ASSERTED))
            base = set(dumped.decode("utf-8").splitlines(keepends=True))
            del dumped
            functional = sorted(line for line in base if line.endswith(_FUNCTIONAL))
            base_file.write_text("".join(base.difference(functional)), encoding="utf-8")
            reasoner = reasonable.PyReasoner()
            reasoner.load_file(str(base_file))
            base_file.unlink()
            properties = [URIRef(line[1 : line.index(">")]) for line in functional if line.startswith("<")]
            texts = [*(rule.text for rule in rules), *completing_rules(store.graph(GRAPH_ONTOLOGY), functional=properties)]
        inferred: set[str] = set()
        rounds = 0
        while True:
            rounds += 1
            with progress.task(f"reason: round {rounds} (reasonable)"):
                everything = reasoner.reason()
                fresh = []
                for triple in everything:
                    line = _line(triple)
                    if line not in base and line not in inferred and not is_trivial(triple):
                        inferred.add(line)
                        fresh.append(line)
                del everything  # the largest thing held, with reasonable's own memory
            with progress.task(f"reason: round {rounds} (rules)"):
                inferred_file.write_text("".join(fresh), encoding="utf-8")
                del fresh
                # marked loading, without a digest, until the last round and the checks are in:
                # a store whose reasoning was cut short is loaded again by the next command and
                # refused by every other reader (StoreIncomplete), never taken for the finished one
                if rounds == 1:
                    store.replace({GRAPH_INFERRED: inferred_file}, complete=False)
                else:  # the inferred graph only grows: add to it
                    store.append(GRAPH_INFERRED, inferred_file, complete=False)
                derived = set()
                for text in texts:
                    answer = store.construct_ntriples(text, graphs=_UNION)
                    for line in answer.decode("utf-8").splitlines(keepends=True):
                        if line not in base and line not in inferred:
                            derived.add(line)
            if not derived or rounds >= max_rounds:
                break
            derived_file.write_text("".join(derived), encoding="utf-8")
            reasoner.load_file(str(derived_file))  # added to what it holds; it goes on from there
        with progress.task("reason: checks"):
            asserted_same_as = {line for line in base if f" <{OWL.sameAs}> " in line}
            problems = store_violations(store, lines=itertools.chain(base, inferred), asserted_same_as=asserted_same_as)
        store.record_digest(digest)
    with progress.task("reason: compact"):
        # the bulk loads leave many small files behind; compacted, the queries that follow run
        # about twice as fast (validation at 300k triples: 27 s before, 15 s after)
        store.compact()
    return ReasoningResult(
        inferred=None, asserted_count=len(base), problems=tuple(sorted(problems)), rounds=rounds,
        seconds=time.perf_counter() - started, stored_count=len(inferred),
    )


_FUNCTIONAL = f" <{RDF.type}> <{OWL.FunctionalProperty}> .\n"
_UNION = (GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED)

_CHECKS = {
    # cax-dw, cax-adc
    "disjoint-pairs": """SELECT DISTINCT ?a ?b WHERE {
        { ?a owl:disjointWith ?b } UNION { ?b owl:disjointWith ?a }
        UNION { ?group a owl:AllDisjointClasses ; owl:members ?list .
                ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b . FILTER (?a != ?b) }
        FILTER (isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b)) }""",
    # prp-irp
    "irreflexive": "SELECT DISTINCT ?x ?p WHERE { ?p a owl:IrreflexiveProperty . ?x ?p ?x }",
    # prp-asyp
    "asymmetric": "SELECT DISTINCT ?x ?p ?y WHERE { ?p a owl:AsymmetricProperty . ?x ?p ?y . ?y ?p ?x }",
    # prp-pdw
    "disjoint-properties": """SELECT DISTINCT ?x ?p ?q ?y WHERE {
        { SELECT DISTINCT ?p ?q WHERE {
            { ?p owl:propertyDisjointWith ?q } UNION { ?q owl:propertyDisjointWith ?p } FILTER (STR(?p) < STR(?q)) } }
        ?x ?p ?y . ?x ?q ?y }""",
    # eq-diff1 (x owl:sameAs x holds for every x: it is left out of the inferred graph)
    "different": """SELECT DISTINCT ?x ?y WHERE {
        { ?x owl:differentFrom ?y . ?x owl:sameAs ?y } UNION { ?x owl:differentFrom ?x BIND (?x AS ?y) } }""",
    # cls-nothing2
    "nothing": "SELECT DISTINCT ?x WHERE { ?x a owl:Nothing }",
    "same": "SELECT DISTINCT ?x ?y WHERE { ?x owl:sameAs ?y FILTER (isIRI(?x) && isIRI(?y) && STR(?x) < STR(?y)) }",
}
"""The inconsistencies ``reasonable`` does not report (see relgraph.reasoning.rules), as
queries over the store once its inferred graph is written. The axioms are read in a
subquery first, so that Oxigraph joins each pair with the data only (the inferred graph
holds a few hundred disjoint pairs; the other way round took 14 s at 10k triples)."""


def store_violations(store: Store, *, lines: Iterable[str], asserted_same_as: set[str] = frozenset()) -> set[str]:
    """The OWL 2 RL inconsistencies of the store's closed graphs, whose N-Triples ``lines``
    are given too: what :func:`relgraph.reasoning.rules.violations`, members of
    owl:Nothing and unintended owl:sameAs say of the same triples (``asserted_same_as``:
    the lines of the asserted owl:sameAs), in the same words. Members of disjoint classes
    are found by a pass over the lines (at 1M triples 2 s, where a query joining each
    pair of disjoint classes with their members took 20 s); the rest by queries."""

    def rows(name):
        return [list(row) for row in store.select_snapshot(_CHECKS[name], graphs=_UNION).rows]

    problems = _disjoint_members(rows("disjoint-pairs"), lines)
    problems |= {f"{x} {p} {x}: the property is irreflexive" for x, p in rows("irreflexive")}
    problems |= {f"{x} {p} {y} both ways: the property is asymmetric" for x, p, y in rows("asymmetric")}
    problems |= {f"{x} {p} and {q} {y}: the properties are disjoint" for x, p, q, y in rows("disjoint-properties")}
    problems |= {f"{x} owl:sameAs and owl:differentFrom {y}" for x, y in rows("different")}
    problems |= _nothing_members(_graph((x, RDF.type, OWL.Nothing) for (x,) in rows("nothing")))
    asserted = {t for t in Graph().parse(data="".join(asserted_same_as), format="nt")} if asserted_same_as else set()
    return problems | _unintended_same_as(_graph((x, OWL.sameAs, y) for x, y in rows("same")), asserted=asserted)


def _disjoint_members(pairs: Iterable[tuple[Node, Node]], lines: Iterable[str]) -> set[str]:
    disjoint = {(str(a), str(b)) for a, b in pairs}
    if not disjoint:
        return set()
    endings = {f" <{RDF.type}> <{c}> .\n": c for pair in disjoint for c in pair}
    marker = f" <{RDF.type}> <"
    types: dict[str, set[str]] = {}
    for line in lines:
        at = line.find(marker)
        if at > 0 and (cls := endings.get(line[at:])) is not None:
            types.setdefault(line[:at], set()).add(cls)
    problems = set()
    for node, found in types.items():
        for a in found:
            for b in found:
                if (a, b) in disjoint:
                    name = node[1:-1] if node.startswith("<") else node[2:]
                    problems.add(f"{name} is a member of the disjoint classes {a} and {b}")
    return problems


def _graph(triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _line(triple) -> str:
    """The N-Triples line of ``triple``, as Oxigraph dumps it (an ``xsd:string`` as a plain literal)."""
    s, p, o = triple
    subject = f"<{s}>" if type(s) is URIRef else nt_term(s)
    return f"{subject} <{p}> {f'<{o}>' if type(o) is URIRef else nt_term(o)} .\n"
