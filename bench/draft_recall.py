"""Recall of `relgraph draft` against hand-curated facts (not a test: prints a table).

    PYTHONPATH=src python bench/draft_recall.py

For the seed (gold: data/japan-latvia-relations/facts.ttl, drafted against the graph without
that document's facts, so nothing is reused from its own curation) and for each test article in
tests/fixtures/articles/ (gold: its facts.ttl; the "held out" one was written after the rules:
67% before the fixes its misses led to, see tests/fixtures/articles/README.md), it drafts the text and compares:

- recall: the share of the gold facts that some draft fact matches with the right type (every
  rg: class of the gold fact is a class of the draft fact), the right participants and the right
  date (rg:date, rg:startDate, rg:endDate equal, including "none");
- wrong: draft facts that match no gold fact (a duplicate, a wrong date or a wrong participant
  counts once, as wrong);
- also the number of entity candidates.

Participants are the values, in the gold fact, of the properties in PARTICIPANTS; an office
holding is compared by its holder and office, a diplomatic relation by its parties, a program by
its class, donor and recipient. Draft entities are mapped to gold ones by IRI, by label or
alternative label (without diacritics or case), by sending and host state for a mission, by class,
state and accreditation for an office; an unnamed person (a label that starts in lower case or
with "the") matches any unnamed person.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from draft_fixtures import ARTICLE_SLUGS, ARTICLES, HELD_OUT, SEED  # noqa: E402

from relgraph.curation.draft import Drafter  # noqa: E402
from relgraph.curation.gazetteer import normalize  # noqa: E402
from relgraph.curation.registry import RGC  # noqa: E402
from relgraph.vocab import RG  # noqa: E402

PARTICIPANTS = [RG[name] for name in (
    "party", "recognizingState", "recognizedState", "recognizingBody", "mission", "accreditedTo", "fromSeat", "toSeat",
    "fromHostState", "toHostState", "holder", "office", "residence", "resident", "fromState", "toState", "destination",
    "visitor", "visitorCapacity", "participant", "participantCapacity", "exporter", "importer", "amount", "currency",
    "member", "organization", "partner", "donor", "recipient", "agreement", "vessel", "underProgram", "location",
    "organizer", "state",
)]
DATES = (RG.date, RG.startDate, RG.endDate)


def subclasses(ontology: Graph, cls: URIRef) -> set[URIRef]:
    found, todo = {cls}, [cls]
    while todo:
        for sub in ontology.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


class Side:
    """One graph (gold or draft) and how its nodes read as comparable values."""

    def __init__(self, graph: Graph, facts: set[URIRef], mapping, ontology: Graph) -> None:
        self.graph, self.facts, self.mapping = graph, facts, mapping
        self.holding = subclasses(ontology, RG.OfficeHolding)
        self.relation = subclasses(ontology, RG.DiplomaticRelation)
        self.program = subclasses(ontology, RG.Program)

    def classes(self, node) -> set:
        return {c for c in self.graph.objects(node, RDF.type) if str(c).startswith(str(RG))}

    def value(self, node):
        if not isinstance(node, URIRef):
            return node.toPython()
        classes = self.classes(node)
        if classes & self.holding:
            return ("holding", self.value(self.graph.value(node, RG.holder)), self.value(self.graph.value(node, RG.office)))
        if classes & self.relation:
            return ("relation", frozenset(self.value(p) for p in self.graph.objects(node, RG.party)))
        if classes & self.program:
            return ("program", frozenset(classes), self.value(self.graph.value(node, RG.donor)), self.value(self.graph.value(node, RG.recipient)))
        return self.mapping(node)

    def key(self, fact, props) -> dict:
        return {p: frozenset(self.value(o) for o in self.graph.objects(fact, p)) for p in props}

    def dates(self, fact) -> frozenset:
        return frozenset((p, str(o)) for p in DATES for o in self.graph.objects(fact, p))


def labels(graph: Graph, node) -> set[str]:
    return {normalize(str(l)) for p in (RDFS.label, SKOS.altLabel) for l in graph.objects(node, p)}


def unnamed(graph: Graph, node) -> bool:
    found = [str(l) for l in graph.objects(node, RDFS.label)]
    return bool(found) and all(l[:1].islower() or l.startswith("the ") for l in found) and (node, RDF.type, RG.Person) in graph


def entity_mapper(gold: Graph, draft: Graph):
    by_label: dict[str, URIRef] = {}
    for node in set(gold.subjects(RDF.type, None)):
        for label in labels(gold, node):
            by_label.setdefault(label, node)
    cache: dict = {}

    def structural(node):
        subject = draft.value(node, RG.agreementSubject)
        if subject is not None:
            for other, theirs in gold.subject_objects(RG.agreementSubject):
                if normalize(str(theirs)) == normalize(str(subject)):
                    return other
        for prop_set in ((RG.sendingState, RG.hostState), (RG.officeOf, RG.accreditedTo)):
            if (node, prop_set[0], None) in draft:
                want = tuple(mapped(draft.value(node, p)) for p in prop_set)
                for other in gold.subjects(prop_set[0], None):
                    if tuple(mapped(gold.value(other, p)) if gold.value(other, p) is not None else None for p in prop_set) == want \
                            and set(gold.objects(other, RDF.type)) & set(draft.objects(node, RDF.type)):
                        return other
        return None

    def mapped(node):
        if node is None:
            return None
        if node in cache:
            return cache[node]
        cache[node] = node
        if unnamed(draft, node):
            cache[node] = "unnamed person"
            return cache[node]
        if (node, None, None) in gold:
            return node
        for label in labels(draft, node):
            if label in by_label:
                cache[node] = by_label[label]
                return cache[node]
        cache[node] = structural(node) or node
        return cache[node]

    def gold_value(node):
        return "unnamed person" if unnamed(gold, node) else node

    return mapped, gold_value


def compare(gold: Graph, draft: Graph, ontology: Graph, *, facts: Graph) -> dict:
    """Match the facts of ``facts`` (read in ``gold``, which also holds the entities) with ``draft``'s."""
    fact_classes = subclasses(ontology, RG.Fact)
    gold_facts = {s for s, c in facts.subject_objects(RDF.type) if c in fact_classes and isinstance(s, URIRef)}
    draft_facts = {s for s, k in draft.subject_objects(RGC.kind) if str(k) == "fact"}
    mapped, gold_value = entity_mapper(gold, draft)
    g = Side(gold, gold_facts, gold_value, ontology)
    d = Side(draft, draft_facts, mapped, ontology)
    used: set = set()
    recalled = []
    for fact in sorted(gold_facts):
        props = [p for p in PARTICIPANTS if (fact, p, None) in gold]
        want = (g.classes(fact), g.key(fact, props), g.dates(fact))
        for candidate in sorted(draft_facts - used):
            if want[0] <= d.classes(candidate) and d.key(candidate, props) == want[1] and d.dates(candidate) == want[2]:
                used.add(candidate)
                recalled.append(fact)
                break
    entities = sum(1 for _s, k in draft.subject_objects(RGC.kind) if str(k) == "entity")
    return {"gold": len(gold_facts), "draft": len(draft_facts), "recalled": len(recalled),
            "wrong": len(draft_facts - used), "entities": entities,
            "missed": sorted(str(f).rsplit("/", 1)[-1] for f in gold_facts if f not in recalled)}


def parse_dir(paths) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def main() -> None:
    ontology = parse_dir(sorted(p for p in (ROOT / "ontology").glob("*.ttl") if p.name != "shapes.ttl"))
    data_files = sorted(p for p in (ROOT / "data").rglob("*.ttl") if p.name != "draft.ttl")
    rows = []
    seed_dir = ROOT / "data" / SEED
    # The seed is drafted against the graph without its own facts (its entities stay: the
    # gazetteer of a second document holds the first's entities, not its facts).
    background = parse_dir(p for p in data_files if p.parent != seed_dir or p.name == "entities.ttl")
    seed_gold = parse_dir([seed_dir / "entities.ttl", seed_dir / "facts.ttl"])
    draft = Drafter(ontology=ontology, data=background).draft_text((seed_dir / "source.txt").read_text(encoding="utf-8"), document_slug=SEED)
    rows.append((SEED, compare(seed_gold, draft, ontology, facts=parse_dir([seed_dir / "facts.ttl"]))))
    everything = parse_dir(data_files)
    for slug in ARTICLE_SLUGS + HELD_OUT:
        gold = parse_dir([ARTICLES / slug / "entities.ttl", ARTICLES / slug / "facts.ttl"]) + everything
        draft = Drafter(ontology=ontology, data=everything).draft_text((ARTICLES / slug / "source.txt").read_text(encoding="utf-8"), document_slug=slug)
        rows.append((slug, compare(gold, draft, ontology, facts=parse_dir([ARTICLES / slug / "facts.ttl"]))))
    header = f"{'document':34} {'gold facts':>10} {'draft facts':>11} {'recalled':>8} {'recall':>7} {'wrong':>6} {'entities':>8}"
    print(header)
    print("-" * len(header))
    for slug, r in rows:
        name = slug + (" (held out)" if slug in HELD_OUT else "")
        print(f"{name:34} {r['gold']:>10} {r['draft']:>11} {r['recalled']:>8} {r['recalled'] / r['gold']:>7.0%} {r['wrong']:>6} {r['entities']:>8}")
    if "-v" in sys.argv:
        for slug, r in rows:
            print(f"\n{slug} missed: {', '.join(r['missed'])}")


if __name__ == "__main__":
    main()
