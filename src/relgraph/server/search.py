"""Finding resources by label in any of the graph's languages, ignoring case and diacritics.

>>> fold("Rūjiena") == fold("RUJIENA")
True
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from .linked_data import link, path_for_iri
from .served import ServedGraph

MAX_QUERY_LENGTH = 200
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


def fold(text: str) -> str:
    """``text`` without case and diacritics: NFKD, combining marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@dataclass(frozen=True)
class Hit:
    """A resource whose label matched: the label that matched, and its display label in the page language."""

    iri: str
    label: str
    lang: str | None
    matched: str
    matched_lang: str | None
    href: str


@dataclass(frozen=True)
class SearchIndex:
    """Every label of every resource the server has a page for, folded once at startup."""

    entries: tuple[tuple[str, str, str | None, str], ...]
    """(folded label, label, language, IRI), sorted."""

    @classmethod
    def build(cls, graph: ServedGraph) -> SearchIndex:
        entries = set()
        for prop in LABEL_PROPERTIES:
            for subject, value in graph.dataset.subject_objects(prop):
                if isinstance(subject, URIRef) and isinstance(value, Literal) and path_for_iri(subject):
                    entries.add((fold(str(value)), str(value), value.language, str(subject)))
        return cls(tuple(sorted(entries, key=lambda e: (e[0], e[1], e[2] or "", e[3]))))

    def search(self, graph: ServedGraph, text: str, *, lang: str = "en", limit: int = 50) -> tuple[Hit, ...]:
        """Resources with a label containing ``text`` (folded), best first: exact, prefix, then inside.

        ValueError if ``text`` is empty after folding or longer than MAX_QUERY_LENGTH.
        """
        if len(text) > MAX_QUERY_LENGTH:
            raise ValueError(f"parameter 'q': longer than {MAX_QUERY_LENGTH} characters")
        wanted = fold(text.strip())
        if not wanted:
            raise ValueError("parameter 'q': give some text to search for")
        best: dict[str, tuple[int, str, str | None]] = {}
        for folded, label, tag, iri in self.entries:
            position = folded.find(wanted)
            if position < 0:
                continue
            rank = 0 if folded == wanted else 1 if position == 0 else 2
            if iri not in best or (rank, label) < best[iri][:2]:
                best[iri] = (rank, label, tag)
        ordered = sorted(best.items(), key=lambda item: (item[1][0], fold(item[1][1]), item[0]))[:limit]
        hits = []
        for iri, (_rank, matched, matched_lang) in ordered:
            shown = link(graph.dataset, URIRef(iri), lang)
            hits.append(Hit(iri, shown.label, shown.lang, matched, matched_lang, shown.href or iri))
        return tuple(hits)
