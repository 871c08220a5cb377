"""Reconciliation: which item of a Wikidata-style dataset is each entity of the graph?

In the manner of OpenRefine's Wikidata reconciliation:

1. the entities are the members of the ``rg:reconcilable`` classes; their names are every
   ``rdfs:label`` and ``skos:altLabel``, in every language;
2. candidates are the dataset's items with a label or alias sharing a word prefix with a name,
   ignoring case and diacritics (``names.search_keys``);
3. a candidate whose types (P31/P279*) are known and exclude the entity's Wikidata class (the
   ``rg:wikidata`` of its class) is dropped;
4. each candidate is scored 0–100 from reported features: ``name`` (best similarity of a name
   and a label or alias, weight 3), ``type`` (weight 1), and each of the entity's claims among
   :data:`sources.FEATURE_PIDS` — country, located in, operator, jurisdiction, inception,
   dissolved — whose value the dataset can hold (weight 1 each). A feature is ``match`` (1),
   ``mismatch`` (0) or ``unknown`` when the dataset says nothing (0.5); the score is the
   weighted mean;
5. the best candidate is a match only if its score reaches the threshold *and* leads the
   runner-up by the margin; every other entity goes to review with its candidates.

Entities already linked (``rg:wikidata``) are checked instead: the link is *contradicted* if the
item is of another type, a feature mismatches, the names are unalike, or another candidate leads
it by the margin; *unverified* if the dataset lacks the item; else *confirmed*.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ..errors import ParameterError
from ..terms import short
from ..vocab import RG, RGD, WD
from .claims import TimeValue, WikidataView
from .mapping import WikidataMapping, qid
from .names import best_similarity, search_keys
from .sources import FEATURE_PIDS, ItemRecord, ItemSource

SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")

NAME_WEIGHT = 3
UNKNOWN = 0.5
MAX_CANDIDATES = 3
"""Candidates kept per entity (in the review file and the reconciliation service)."""
CANDIDATE_FLOOR = 60
"""Candidates scoring below this are not worth a reviewer's time and are not listed."""
UNALIKE = 0.5
"""A linked item whose names are less alike than this contradicts the link."""
DEFAULT_THRESHOLD = 90
DEFAULT_MARGIN = 10

MATCHED, REVIEW, CONFIRMED, CONTRADICTED, UNVERIFIED = "matched", "review", "confirmed", "contradicted", "unverified"


@dataclass(frozen=True)
class Feature:
    """One piece of evidence about a candidate."""

    name: str
    """``name``, ``type`` or a PID."""
    outcome: str
    """``match``, ``mismatch`` or ``unknown``; for ``name``, the similarity 0–100."""
    value: float
    """0..1, as it enters the score."""
    weight: int

    def __str__(self) -> str:
        return f"{self.name}={self.outcome}"


@dataclass(frozen=True)
class Candidate:
    """An item of the dataset, scored against an entity."""

    item: URIRef
    label: str
    score: int
    features: tuple[Feature, ...]

    @property
    def evidence(self) -> str:
        """The features, as ``name=100 type=match P17=mismatch``."""
        return " ".join(str(f) for f in self.features)

    def outcome(self, name: str) -> str | None:
        """The outcome of the feature ``name``, if scored."""
        return next((f.outcome for f in self.features if f.name == name), None)


@dataclass(frozen=True)
class EntityProfile:
    """What the graph says of an entity that a dataset can confirm."""

    entity: URIRef
    label: str
    names: tuple[str, ...]
    types: frozenset[URIRef]
    """Wikidata classes it must be an instance of (empty: unknown)."""
    claims: tuple[tuple[str, frozenset], ...]
    """(PID, values) for the feature PIDs, values being item IRIs with QIDs or TimeValues."""
    linked: URIRef | None


@dataclass(frozen=True)
class EntityResult:
    """The outcome for one entity."""

    profile: EntityProfile
    status: str
    """matched, review, confirmed, contradicted or unverified."""
    candidates: tuple[Candidate, ...]
    """Best first (for a checked link, the linked item first)."""
    note: str

    @property
    def match(self) -> Candidate | None:
        """The matched candidate (status ``matched``)."""
        return self.candidates[0] if self.status == MATCHED else None


@dataclass(frozen=True)
class LinkReport:
    """Every entity's outcome, and how the run was made."""

    source: str
    threshold: int
    margin: int
    date: date
    method: str
    results: tuple[EntityResult, ...]

    def with_status(self, *statuses: str) -> tuple[EntityResult, ...]:
        """The results with one of ``statuses``."""
        return tuple(r for r in self.results if r.status in statuses)

    @property
    def ok(self) -> bool:
        """False if the dataset contradicts a link of the graph."""
        return not self.with_status(CONTRADICTED)


def entity_profiles(view: WikidataView, mapping: WikidataMapping, data: Graph) -> tuple[EntityProfile, ...]:
    """The reconcilable entities of the graph, sorted by IRI."""
    items = {item.node: item for item in view.items}
    profiles = []
    for node in sorted(items):
        classes = {c for c in data.objects(node, RDF.type) if isinstance(c, URIRef)}
        if not classes & mapping.reconcilable:
            continue
        item = items[node]
        claims: dict[str, set] = {}
        for claim in view.claims_about(item.iri):
            if claim.pid in FEATURE_PIDS and (isinstance(claim.value, TimeValue) or qid(claim.value)):
                claims.setdefault(claim.pid, set()).add(claim.value)
        english = dict(item.labels).get("en")
        profiles.append(
            EntityProfile(
                entity=node,
                label=english or (item.labels[0][1] if item.labels else short(node)),
                names=tuple(sorted({text for _l, text in item.labels + item.aliases})),
                types=mapping.wikidata_types(classes),
                claims=tuple(sorted((p, frozenset(v)) for p, v in claims.items())),
                linked=item.iri if qid(item.iri) else None,
            )
        )
    return tuple(profiles)


def score_candidate(profile: EntityProfile, record: ItemRecord) -> Candidate:
    """The candidate ``record`` scored against ``profile`` (see the module's description)."""
    similarity, _name, _other = best_similarity(profile.names, record.names)
    features = [Feature("name", str(_round(100 * similarity)), similarity, NAME_WEIGHT)]
    if profile.types:
        if profile.types & record.types:
            features.append(Feature("type", "match", 1.0, 1))
        elif record.types:
            features.append(Feature("type", "mismatch", 0.0, 1))
        else:
            features.append(Feature("type", "unknown", UNKNOWN, 1))
    for code, values in profile.claims:
        theirs = record.claims.get(code, frozenset())
        if not theirs:
            features.append(Feature(code, "unknown", UNKNOWN, 1))
        elif any(_agree(a, b) for a in values for b in theirs):
            features.append(Feature(code, "match", 1.0, 1))
        else:
            features.append(Feature(code, "mismatch", 0.0, 1))
    total = sum(f.weight for f in features)
    score = _round(100 * sum(f.weight * f.value for f in features) / total)
    return Candidate(record.iri, record.label(), score, tuple(features))


def _agree(a, b) -> bool:
    if isinstance(a, TimeValue) and isinstance(b, TimeValue):
        return a.agrees_with(b)
    return a == b


def _round(value: float) -> int:
    return int(math.floor(value + 0.5))


def _ranked(candidates) -> tuple[Candidate, ...]:
    return tuple(sorted(candidates, key=lambda c: (-c.score, str(c.item))))


def candidates_for(profile: EntityProfile, source: ItemSource) -> tuple[Candidate, ...]:
    """All candidates of the dataset for ``profile`` that pass the type filter, best first."""
    records = source.search(search_keys(profile.names))
    scored = (score_candidate(profile, r) for r in records)
    return _ranked(c for c in scored if c.outcome("type") != "mismatch")


def link(
    profiles: Sequence[EntityProfile],
    source: ItemSource,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    margin: int = DEFAULT_MARGIN,
    today: date,
    method: str,
) -> LinkReport:
    """Reconcile ``profiles`` against ``source``: match, send to review, or check their links."""
    if not 0 <= threshold <= 100:
        raise ParameterError("threshold", f"{threshold} is not between 0 and 100")
    if not 0 <= margin <= 100:
        raise ParameterError("margin", f"{margin} is not between 0 and 100")
    linked = source.records(p.linked for p in profiles if p.linked is not None)
    results = []
    for profile in profiles:
        found = candidates_for(profile, source)
        if profile.linked is not None:
            results.append(_check(profile, linked.get(profile.linked), found, margin))
            continue
        listed = tuple(c for c in found if c.score >= CANDIDATE_FLOOR)[:MAX_CANDIDATES]
        if not listed:
            results.append(EntityResult(profile, REVIEW, (), "no candidate"))
        elif listed[0].score < threshold:
            results.append(EntityResult(profile, REVIEW, listed, f"best score below {threshold}"))
        elif len(listed) > 1 and listed[0].score - listed[1].score < margin:
            results.append(
                EntityResult(profile, REVIEW, listed, f"no clear lead ({listed[0].score} vs {listed[1].score})")
            )
        else:
            results.append(EntityResult(profile, MATCHED, listed, f"score {listed[0].score}"))
    return LinkReport(source.description, threshold, margin, today, method, tuple(results))


def _check(profile: EntityProfile, record: ItemRecord | None, found: tuple[Candidate, ...], margin: int) -> EntityResult:
    others = tuple(c for c in found if c.item != profile.linked and c.score >= CANDIDATE_FLOOR)[: MAX_CANDIDATES - 1]
    if record is None:
        return EntityResult(profile, UNVERIFIED, others, f"{short(profile.linked)} is not in the dataset")
    own = score_candidate(profile, record)
    problems = [f"{f.name} mismatch" for f in own.features if f.outcome == "mismatch"]
    if own.features[0].value < UNALIKE:
        problems.append(f"names unalike ({own.features[0].outcome})")
    if others and others[0].score - own.score >= margin:
        problems.append(f"{short(others[0].item)} scores {others[0].score}")
    status = CONTRADICTED if problems else CONFIRMED
    note = "; ".join(problems) if problems else f"score {own.score}"
    return EntityResult(profile, status, (own, *others), note)


# ---------------------------------------------------------------------------------------------
# renderings

REVIEW_COLUMNS = ("entity", "label", "status", "note", "rank", "candidate", "candidate_label", "score", "features")


def render_review_csv(report: LinkReport) -> bytes:
    """The entities to review (status review, contradicted or unverified), one row per candidate
    (one row with empty candidate columns when there is none), sorted by entity then rank."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REVIEW_COLUMNS)
    for result in report.with_status(REVIEW, CONTRADICTED, UNVERIFIED):
        base = [short(result.profile.entity), result.profile.label, result.status, result.note]
        if not result.candidates:
            writer.writerow(base + ["", "", "", "", ""])
        for rank, candidate in enumerate(result.candidates, start=1):
            writer.writerow(base + [rank, short(candidate.item), candidate.label, candidate.score, candidate.evidence])
    return out.getvalue().encode("utf-8")


LINKS_HEADER = """\
# Links found by `relgraph link` against {source} on {date}
# (threshold {threshold}, margin {margin}). Not checked by a person: review them, then copy the
# rg:wikidata triples you accept into the data by hand. Each link's score, evidence, method and
# date are on its owl:Axiom (SSSOM's vocabulary; confidence = score / 100).
"""


def links_graph(report: LinkReport) -> Graph:
    """The matched links (``rg:wikidata``), each annotated with an owl:Axiom carrying its provenance."""
    graph = Graph()
    for result in report.with_status(MATCHED):
        candidate = result.match
        entity, item = result.profile.entity, candidate.item
        graph.add((entity, RG.wikidata, item))
        axiom = BNode()
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, entity))
        graph.add((axiom, OWL.annotatedProperty, RG.wikidata))
        graph.add((axiom, OWL.annotatedTarget, item))
        graph.add((axiom, SSSOM.confidence, Literal(f"{candidate.score / 100:.2f}", datatype=XSD.double)))
        graph.add((axiom, SSSOM.mapping_justification, SEMAPV.LexicalMatching))
        graph.add((axiom, SSSOM.mapping_tool, Literal(report.method)))
        graph.add((axiom, SSSOM.mapping_date, Literal(report.date.isoformat(), datatype=XSD.date)))
        graph.add((axiom, RDFS.comment, Literal(_comment(report, candidate))))
    return graph


def render_links_turtle(report: LinkReport) -> bytes:
    """:func:`links_graph` as Turtle, a header comment first, then each link followed by its
    axiom, in entity order; the same report gives the same bytes."""
    graph = Graph()
    for prefix, namespace in _LINK_PREFIXES:
        graph.bind(prefix, namespace, override=True, replace=True)
    names = graph.namespace_manager
    header = LINKS_HEADER.format(
        source=report.source, date=report.date.isoformat(), threshold=report.threshold, margin=report.margin
    )
    parts = [header, *(f"@prefix {p}: <{n}> .\n" for p, n in _LINK_PREFIXES)]
    for result in report.with_status(MATCHED):
        candidate = result.match
        entity, item = result.profile.entity.n3(names), candidate.item.n3(names)
        fields = (
            ("a", "owl:Axiom"),
            ("owl:annotatedSource", entity),
            ("owl:annotatedProperty", "rg:wikidata"),
            ("owl:annotatedTarget", item),
            ("sssom:confidence", Literal(f"{candidate.score / 100:.2f}", datatype=XSD.double).n3(names)),
            ("sssom:mapping_justification", "semapv:LexicalMatching"),
            ("sssom:mapping_tool", Literal(report.method).n3(names)),
            ("sssom:mapping_date", Literal(report.date.isoformat(), datatype=XSD.date).n3(names)),
            ("rdfs:comment", Literal(_comment(report, candidate)).n3(names)),
        )
        body = " ;\n".join(f"    {p} {o}" for p, o in fields)
        parts.append(f"\n{entity} rg:wikidata {item} .\n[] {body.lstrip()} .\n")
    return "".join(parts).encode("utf-8")


_LINK_PREFIXES = (
    ("owl", OWL),
    ("rdfs", RDFS),
    ("rg", RG),
    ("rgd", RGD),
    ("semapv", SEMAPV),
    ("sssom", SSSOM),
    ("wd", WD),
    ("xsd", XSD),
)


def _comment(report: LinkReport, candidate: Candidate) -> str:
    return f"score {candidate.score}: {candidate.evidence}; source {report.source}"


def render_summary(report: LinkReport) -> str:
    """One line per entity that is not left for review without candidates, then the counts."""
    lines = []
    for result in report.results:
        best = result.candidates[0] if result.candidates else None
        if result.status == REVIEW and best is None:
            continue
        target = f"{short(best.item)} {best.label!r} ({best.score})" if best else ""
        lines.append(f"{result.status:<12} {short(result.profile.entity)} -> {target}  [{result.note}]".rstrip())
    counts = {s: len(report.with_status(s)) for s in (MATCHED, REVIEW, CONFIRMED, CONTRADICTED, UNVERIFIED)}
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines) + "\n"


__all__ = [
    "CANDIDATE_FLOOR",
    "DEFAULT_MARGIN",
    "DEFAULT_THRESHOLD",
    "Candidate",
    "EntityProfile",
    "EntityResult",
    "Feature",
    "LinkReport",
    "candidates_for",
    "entity_profiles",
    "link",
    "links_graph",
    "render_links_turtle",
    "render_review_csv",
    "render_summary",
    "score_candidate",
]
