"""What Wikidata lacks: each Wikidata-shaped claim of the graph sorted against a dataset in
Wikidata's RDF model (a dump file, or a SPARQL endpoint) into present, missing or conflicting.

A claim is compared where its subject has a QID and its value is an item with a QID or a date
(the others cannot be looked up; the summary counts them). Against the dataset's statements of
the same subject and property (``p:``/``ps:``, with ``pq:``/``pqv:`` qualifiers and
``psv:`` precisions; truthy ``wdt:`` where it has no statement nodes; deprecated statements
ignored):

* **present**: a statement has the claim's value (a date agreeing at the coarser precision; for
  P31, the dataset's ``wdt:P31/wdt:P279*`` reaching the class), and none of the claim's date
  qualifiers (P580, P582, P585) disagrees with that statement's own (a qualifier the dataset
  lacks is not a disagreement; the detail column says it lacks it);
* **conflicting**: a statement has the value but another date in a qualifier (``other date``),
  or the claim's value is a date and the dataset has only other dates for the property, or the
  property takes one value (every relgraph property mapped to it is an ``owl:FunctionalProperty``,
  read from the ontology) and the dataset has only other items (``other value``);
* **missing**: otherwise: the dataset has nothing for it, or only other values of a property
  that takes many (Latvia's diplomatic relation with Sweden does not make the one with Japan
  present, nor conflict with it).

``relgraph link --claims --against DUMP`` writes the CSV (:func:`render_claims_csv`) and the
summary, and ``--quickstatements FILE --only-missing`` proposes only the missing claims.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from .claims import Claim, TimeValue, WikidataView
from .mapping import WikidataMapping, qid
from .sources import ItemSource

PRESENT, MISSING, CONFLICTING = "present", "missing", "conflicting"
STATUSES = (PRESENT, MISSING, CONFLICTING)
DATE_QUALIFIERS = ("P580", "P582", "P585")
WIKIBASE = "http://wikiba.se/ontology#"
_PROP = "http://www.wikidata.org/prop/"
CSV_COLUMNS = ("status", "subject", "property", "value", "qualifiers", "detail", "implied", "origin")

_STATEMENTS = """\
PREFIX wikibase: <http://wikiba.se/ontology#>
SELECT ?statement ?predicate ?object ?time ?precision WHERE {{
  {{ <{subject}> <http://www.wikidata.org/prop/direct/{code}> ?object .
     BIND (<http://www.wikidata.org/prop/direct/{code}> AS ?predicate) }}
  UNION
  {{ <{subject}> <http://www.wikidata.org/prop/{code}> ?statement .
     ?statement ?predicate ?object .
     OPTIONAL {{ ?object wikibase:timeValue ?time ; wikibase:timePrecision ?precision }} }}
}}"""


@dataclass(frozen=True)
class DatasetStatement:
    """One statement of the dataset: its main value and its qualifiers (PID -> values)."""

    value: URIRef | TimeValue
    qualifiers: tuple[tuple[str, URIRef | TimeValue], ...]

    def qualifier(self, code: str) -> tuple[URIRef | TimeValue, ...]:
        return tuple(v for c, v in self.qualifiers if c == code)


@dataclass(frozen=True)
class ClaimCheck:
    """A claim of the graph and what the dataset says of it."""

    claim: Claim
    status: str
    detail: str


@dataclass(frozen=True)
class ClaimsReport:
    """Every comparable claim, checked; how many could not be compared; the dataset's name."""

    checks: tuple[ClaimCheck, ...]
    not_compared: int
    source: str

    def status_of(self, claim: Claim) -> str | None:
        """The status of ``claim``, None if it was not compared."""
        return next((c.status for c in self.checks if c.claim == claim), None)

    @property
    def ok(self) -> bool:
        """True when no claim conflicts with the dataset."""
        return all(c.status != CONFLICTING for c in self.checks)


def comparable(claim: Claim) -> bool:
    """True for a claim on an item with a QID whose value is an item with a QID or a date."""
    return qid(claim.subject) is not None and (isinstance(claim.value, TimeValue) or qid(claim.value) is not None)


def single_valued(ontology: Graph) -> frozenset[str]:
    """The PIDs every relgraph property mapped to is functional (``owl:FunctionalProperty``)."""
    mapping = WikidataMapping.from_ontology(ontology)
    by_pid: dict[str, list[URIRef]] = {}
    for prop, code in mapping.properties.items():
        by_pid.setdefault(code, []).append(prop)
    return frozenset(
        code for code, props in by_pid.items()
        if all((p, RDF.type, OWL.FunctionalProperty) in ontology for p in props)
    )


def check_claims(view: WikidataView, source: ItemSource, *, single: Iterable[str] = ()) -> ClaimsReport:
    """Sort the comparable claims of ``view`` against ``source`` (see the module docstring);
    ``single`` names the PIDs that take one value (:func:`single_valued`)."""
    single = frozenset(single)
    cache: dict[tuple[URIRef, str], tuple[DatasetStatement, ...]] = {}
    checks = []
    candidates = [c for c in view.claims if comparable(c)]
    for claim in candidates:
        key = (claim.subject, claim.pid)
        if key not in cache:
            cache[key] = dataset_statements(source, claim.subject, claim.pid)
        checks.append(_check(claim, cache[key], source, single))
    return ClaimsReport(
        checks=tuple(sorted(checks, key=lambda c: _order(c.claim))),
        not_compared=len(view.claims) - len(candidates),
        source=getattr(source, "description", ""),
    )


def dataset_statements(source: ItemSource, subject: URIRef, code: str) -> tuple[DatasetStatement, ...]:
    """The dataset's statements of ``subject`` for property ``code`` (truthy values where it has
    no statement node for them), deprecated ones left out."""
    rows = source.select(_STATEMENTS.format(subject=subject, code=code))
    truthy: set = set()
    nodes: dict[Node, list[dict]] = {}
    for row in rows:
        if row.get("statement") is None:
            value = _value(row.get("object"), None)
            if value is not None:
                truthy.add(value)
        else:
            nodes.setdefault(row["statement"], []).append(row)
    statements = []
    for node in sorted(nodes, key=str):
        main, main_time, qualifiers, qualifier_times, deprecated = None, None, [], {}, False
        for row in nodes[node]:
            predicate, obj = str(row["predicate"]), row["object"]
            if predicate == WIKIBASE + "rank" and str(obj) == WIKIBASE + "DeprecatedRank":
                deprecated = True
            elif predicate == f"{_PROP}statement/{code}":
                main = _value(obj, None)
            elif predicate == f"{_PROP}statement/value/{code}":
                main_time = _value(row.get("time"), row.get("precision"))
            elif predicate.startswith(f"{_PROP}qualifier/value/"):
                qualifier_times.setdefault(predicate.rsplit("/", 1)[-1], []).append(_value(row.get("time"), row.get("precision")))
            elif predicate.startswith(f"{_PROP}qualifier/"):
                qualifiers.append((predicate.rsplit("/", 1)[-1], _value(obj, None)))
        if deprecated:
            continue
        value = main_time if main_time is not None else main
        if value is None:
            continue
        kept = []
        for qcode, qvalue in qualifiers:
            precise = [t for t in qualifier_times.get(qcode, []) if isinstance(t, TimeValue) and isinstance(qvalue, TimeValue) and t.agrees_with(qvalue)]
            if qvalue is not None:
                kept.append((qcode, precise[0] if precise else qvalue))
        for qcode, times in qualifier_times.items():  # a pqv: without its pq: (as some dumps write)
            if not any(c == qcode for c, _v in kept):
                kept += [(qcode, t) for t in times if t is not None]
        statements.append(DatasetStatement(value, tuple(sorted(set(kept), key=lambda p: (p[0], _text(p[1]))))))
    values = [s.value for s in statements]  # a truthy value is its best statement's, with less said
    statements += [DatasetStatement(v, ()) for v in sorted(truthy, key=_text) if not any(_same(v, w) for w in values)]
    return tuple(statements)


def _value(term, precision) -> URIRef | TimeValue | None:
    """An item IRI with a QID, or a time value (day precision where none is given), else None."""
    if isinstance(term, URIRef):
        return term if qid(term) else None
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype).endswith(("#dateTime", "#date")):
        level = int(precision) if isinstance(precision, Literal) and str(precision).isdigit() else 11
        return TimeValue.parse(str(term), level if level in (9, 10, 11) else 11)
    return None


def _text(value) -> str:
    return f"{value.lexical}/{value.precision}" if isinstance(value, TimeValue) else str(value)


def _same(ours, theirs) -> bool:
    if isinstance(ours, TimeValue) and isinstance(theirs, TimeValue):
        return ours.agrees_with(theirs)
    return ours == theirs


def _check(claim: Claim, statements: tuple[DatasetStatement, ...], source: ItemSource, single: frozenset[str]) -> ClaimCheck:
    matching = [s for s in statements if _same(claim.value, s.value)]
    if not matching and claim.pid == "P31" and not isinstance(claim.value, TimeValue):
        if _ask(source, claim):
            return ClaimCheck(claim, PRESENT, "through P279")
    if matching:
        ours = [(code, v) for code, v in claim.qualifiers if code in DATE_QUALIFIERS and isinstance(v, TimeValue)]
        disagreements, lacking = [], set()
        for statement in matching:
            bad = []
            for code, value in ours:
                theirs = statement.qualifier(code)
                if not theirs:
                    lacking.add(code)
                elif not any(_same(value, t) for t in theirs):
                    bad.append(f"{code}: dataset {', '.join(_show(t) for t in theirs)}, graph {_show(value)}")
            if not bad:
                detail = f"dataset lacks {', '.join(sorted(lacking, key=lambda c: int(c[1:])))}" if lacking else ""
                return ClaimCheck(claim, PRESENT, detail)
            disagreements += bad
        return ClaimCheck(claim, CONFLICTING, "other date: " + "; ".join(disagreements))
    if statements and isinstance(claim.value, TimeValue):
        return ClaimCheck(claim, CONFLICTING, "other date: dataset " + ", ".join(_show(s.value) for s in statements))
    if statements and claim.pid in single and not claim.fact:
        return ClaimCheck(claim, CONFLICTING, "other value: dataset " + ", ".join(_show(s.value) for s in statements))
    return ClaimCheck(claim, MISSING, "")


def _ask(source: ItemSource, claim: Claim) -> bool:
    graph = getattr(source, "graph", None)
    query = "ASK { <%s> <http://www.wikidata.org/prop/direct/P31>/<http://www.wikidata.org/prop/direct/P279>* <%s> }" % (claim.subject, claim.value)
    if graph is not None:
        return bool(graph.query(query).askAnswer)
    rows = source.select(
        "SELECT ?c WHERE { <%s> <http://www.wikidata.org/prop/direct/P31>/<http://www.wikidata.org/prop/direct/P279>* ?c "
        "FILTER (?c = <%s>) } LIMIT 1" % (claim.subject, claim.value)
    )
    return bool(rows)


def _show(value) -> str:
    if isinstance(value, TimeValue):
        return value.lexical
    return qid(value) or str(value)


def _qs(value) -> str:
    return value.quickstatements if isinstance(value, TimeValue) else (qid(value) or str(value))


def _order(claim: Claim):
    return (int(qid(claim.subject)[1:]), int(claim.pid[1:]), _qs(claim.value), claim.key)


def render_claims_csv(report: ClaimsReport) -> bytes:
    """One row per compared claim: status, subject, property, value (QuickStatements forms),
    qualifiers (``P580=+2004-…/9``, space-separated), detail, implied (its basis), origin node."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for check in report.checks:
        claim = check.claim
        qualifiers = " ".join(f"{code}={_qs(v)}" for code, v in claim.qualifiers)
        basis = str(claim.basis).rsplit("#", 1)[-1] if claim.implied else ""
        writer.writerow((check.status, qid(claim.subject), claim.pid, _qs(claim.value), qualifiers, check.detail, basis, str(claim.origin)))
    return out.getvalue().encode("utf-8")


def render_claims_summary(report: ClaimsReport) -> str:
    """The counts per status, and how many claims could not be compared."""
    counts = {s: sum(1 for c in report.checks if c.status == s) for s in STATUSES}
    return (
        f"{counts[PRESENT]} present, {counts[MISSING]} missing, {counts[CONFLICTING]} conflicting "
        f"({len(report.checks)} claims compared with {report.source}; {report.not_compared} without QIDs not compared)\n"
    )


__all__ = [
    "CONFLICTING", "CSV_COLUMNS", "MISSING", "PRESENT", "STATUSES", "ClaimCheck", "ClaimsReport", "DatasetStatement",
    "check_claims", "comparable", "dataset_statements", "render_claims_csv", "render_claims_summary", "single_valued",
]
