"""Duplicate entities: two IRIs for one thing, found before reasoning merges them.

Two nodes of the data are one entity written twice when they share an asserted class and a label
in one language (``rdfs:label`` literals are equal with their language tag), or when they link
the same Wikidata item (``rg:wikidata``). Left alone, a second IRI for an existing state is merged
by nothing and doubles every answer about it (or, through ``skos:exactMatch`` chains, is merged by
the reasoner and doubles them anyway). Each pair becomes a violation of the validation report
(:func:`relgraph.validation.reference.add_duplicates`), naming both nodes and the data files each is stated
in, so that ``relgraph validate`` exits 1 and ``relgraph build`` writes no release.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal
from rdflib.term import Node

from .terms import short

QUERY = """\
SELECT DISTINCT ?this ?value ?kind ?class ?key WHERE {
  {
    ?this rdfs:label ?key .
    ?value rdfs:label ?key .
    FILTER (isIRI(?this) && isIRI(?value) && STR(?this) < STR(?value))
    ?this a ?class .
    ?value a ?class .
    BIND ("label" AS ?kind)
  } UNION {
    ?this rg:wikidata ?key .
    ?value rg:wikidata ?key .
    FILTER (isIRI(?this) && isIRI(?value) && STR(?this) < STR(?value))
    BIND ("wikidata" AS ?kind)
  }
}
ORDER BY ?this ?value ?kind ?class ?key
"""
"""The pairs: ``?this`` and ``?value`` (in IRI order), ``?kind`` label|wikidata, ``?class``, ``?key``."""

Select = Callable[[str], tuple[Sequence[str], Sequence[Sequence[Node | None]]]]
"""Runs a SELECT over the asserted graph: (variables, rows)."""

MESSAGE_START = "duplicate entity: "


@dataclass(frozen=True)
class Duplicate:
    """Two IRIs for one entity: ``first`` < ``second``, the files of both, and why."""

    first: Node
    second: Node
    message: str
    files: tuple[Path, ...]


FACT_CLASSES = "SELECT ?class WHERE { ?class rdfs:subClassOf* rg:Fact }"
"""The classes of facts (run over the ontology): two facts of one class may share a label (two
visits both called "State visit to Chile"), two entities may not."""


def find_duplicates(select: Select, stated_in_file: Mapping[Node, tuple[Path, ...]], *,
                    fact_classes: Collection[Node] = ()) -> tuple[Duplicate, ...]:
    """One Duplicate per pair of nodes (the files of both, in order, in ``files``); a label
    shared by two members of one of ``fact_classes`` is no duplicate."""
    variables, rows = select(QUERY)
    seen: set[tuple[Node, Node]] = set()
    violations = []
    for row in rows:
        found = dict(zip(variables, row))
        this, value, kind, key = found["this"], found["value"], str(found["kind"]), found["key"]
        if kind == "label" and found["class"] in fact_classes:
            continue
        if (this, value) in seen:
            continue  # one report per pair, even when they share several labels or classes
        seen.add((this, value))
        these, those = stated_in_file.get(this, ()), stated_in_file.get(value, ())
        if kind == "label":
            same = f"both {short(found['class'])} labelled {_literal(key)}"
        else:
            same = f"both linked to Wikidata item {short(key)}"
        message = (
            f"{MESSAGE_START}{short(this)} ({_files(these)}) and {short(value)} ({_files(those)}) are {same}; "
            "keep one IRI and reuse it in every document"
        )
        violations.append(Duplicate(this, value, message, tuple(dict.fromkeys((*these, *those)))))
    return tuple(violations)


def _files(paths: tuple[Path, ...]) -> str:
    return ", ".join(str(p) for p in paths) or "no data file"


def _literal(term: Node) -> str:
    if isinstance(term, Literal) and term.language:
        return f'"{term}"@{term.language}'
    return f'"{term}"' if isinstance(term, Literal) else short(term)
