"""The names the draft recognizes: the graph's entities first, then general reference lists.

Every rdfs:label and skos:altLabel of every entity in the project's data (any language),
the ontology's class labels (as cue words), and the reference lists in ``rules/`` (states
with their adjectives, international organizations). Names are compared normalized: lower
case, without diacritics ("Klaipeda" is "Klaipėda").

>>> normalize("Klaipėda")
'klaipeda'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from unidecode import unidecode

from ..vocab import RG, RGD

_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "’": "'", "‘": "'"})


def normalize(text: str) -> str:
    """Lower case, ASCII, one kind of dash and apostrophe: the form names are compared in."""
    return unidecode(text.translate(_DASHES)).lower()


def slug(text: str) -> str:
    """An IRI-safe local name for ``text``: ``slug("Embassy of Chile in Tallinn")`` is embassy-of-chile-in-tallinn."""
    return re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-") or "x"


@dataclass
class Entity:
    """A known or proposed entity: its IRI, classes, English label and the few links the rules read."""

    iri: URIRef
    label: str
    classes: frozenset[URIRef]
    existing: bool
    links: dict[URIRef, URIRef] = field(default_factory=dict)

    def is_a(self, *classes: URIRef) -> bool:
        return bool(self.classes & set(classes))


# Classes (and their subclasses in the ontology) the rules ask about.
KINDS = {
    "state": RG.State,
    "organization": RG.InternationalOrganization,
    "body": RG.Organization,
    "mission": RG.DiplomaticMission,
    "settlement": RG.Settlement,
    "region": RG.Region,
    "person": RG.Person,
    "office": RG.Office,
    "holding": RG.OfficeHolding,
    "relation": RG.DiplomaticRelation,
    "product": RG.ProductCategory,
    "ship": RG.Ship,
    "agreement": RG.Agreement,
}
_LINKS = (RG.country, RG.sendingState, RG.hostState, RG.seat, RG.officeOf, RG.accreditedTo, RG.holder, RG.office, RG.flagState)


def _reference_rows(name: str) -> list[list[str]]:
    text = resources.files(__package__).joinpath("rules", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


class Gazetteer:
    """Names -> entities, with the ontology's subclass closure to ask an entity's kind."""

    def __init__(self, *, ontology: Graph, data: Graph) -> None:
        self.ontology = ontology
        self._sub: dict[URIRef, set[URIRef]] = {}
        self.entities: dict[URIRef, Entity] = {}
        self.names: dict[str, list[URIRef]] = {}
        """Normalized name -> entities with that name (label, alternative label, adjective)."""
        self.adjectives: dict[str, URIRef] = {}
        """Normalized adjective ("estonian") -> state."""
        self.taken: set[URIRef] = {s for s in data.subjects() if isinstance(s, URIRef)}
        self._load_graph(data)
        self._load_references()

    # Kinds -----------------------------------------------------------------

    def subclasses(self, cls: URIRef) -> set[URIRef]:
        if cls not in self._sub:
            found, todo = {cls}, [cls]
            while todo:
                for sub in self.ontology.subjects(RDFS.subClassOf, todo.pop()):
                    if isinstance(sub, URIRef) and sub not in found:
                        found.add(sub)
                        todo.append(sub)
            self._sub[cls] = found
        return self._sub[cls]

    def kind_of(self, entity: Entity, kind: str) -> bool:
        return bool(entity.classes & self.subclasses(KINDS[kind]))

    def class_labels(self, cls: URIRef) -> dict[str, URIRef]:
        """English labels of ``cls`` and its subclasses, normalized -> class ("consulate general" -> rg:ConsulateGeneral)."""
        return {
            normalize(str(label)): sub
            for sub in self.subclasses(cls)
            for label in self.ontology.objects(sub, RDFS.label)
            if getattr(label, "language", None) == "en"
        }

    # Loading ---------------------------------------------------------------

    def _add_name(self, name: str, iri: URIRef) -> None:
        key = normalize(name).strip()
        if key and iri not in self.names.setdefault(key, []):
            self.names[key].append(iri)

    def _load_graph(self, data: Graph) -> None:
        interesting = set().union(*(self.subclasses(c) for c in KINDS.values()))
        for subject, cls in data.subject_objects(RDF.type):
            if not isinstance(subject, URIRef) or cls not in interesting:
                continue
            classes = frozenset(c for c in data.objects(subject, RDF.type) if isinstance(c, URIRef))
            labels = list(data.objects(subject, RDFS.label))
            english = [str(l) for l in labels if getattr(l, "language", None) == "en"] or [str(l) for l in labels] or [subject.split("/")[-1]]
            links = {p: o for p in _LINKS for o in data.objects(subject, p) if isinstance(o, URIRef)}
            self.entities[subject] = Entity(subject, sorted(english)[0], classes, True, links)
            if RG.OfficeHolding in classes or RG.DiplomaticRelation in classes:
                continue  # found by their parts, not by name
            for name in labels + list(data.objects(subject, SKOS.altLabel)):
                self._add_name(str(name), subject)

    def _known_by_name(self, name: str, kind: str) -> URIRef | None:
        for iri in self.names.get(normalize(name), []):
            if self.kind_of(self.entities[iri], kind):
                return iri
        return None

    def _load_references(self) -> None:
        for row in _reference_rows("states.tsv"):
            name, adjectives, others, capital = (row + ["", "", ""])[:4]
            iri = self._known_by_name(name, "state")
            for other in filter(None, others.split(";")):
                iri = iri or self._known_by_name(other, "state")
            if iri is None:
                iri = RGD[slug(name)]
                if iri in self.entities:
                    continue
                self.entities[iri] = Entity(iri, name, frozenset({RG.State}), False)
            for other in [name, *filter(None, others.split(";"))]:
                self._add_name(other, iri)
            for adjective in filter(None, adjectives.split(";")):
                self.adjectives.setdefault(normalize(adjective), iri)
            if capital and self._known_by_name(capital, "settlement") is None:
                city = RGD[slug(capital)]
                self.entities.setdefault(city, Entity(city, capital, frozenset({RG.City}), False, {RG.country: iri}))
                self._add_name(capital, city)
        for row in _reference_rows("organizations.tsv"):
            name, others = (row + [""])[:2]
            names = [name, *filter(None, others.split(";"))]
            iri = next(filter(None, (self._known_by_name(n, "organization") for n in names)), None)
            if iri is None:
                iri = RGD[slug(name)]
                self.entities.setdefault(iri, Entity(iri, name, frozenset({RG.InternationalOrganization}), False))
            for other in names:
                self._add_name(other, iri)
        # Adjectives the graph's states have no entry for: "<name>n", "<name>ese"... are left to
        # the reference list; a state's adjective is never guessed.

    def add_reference(self, name: str, cls: URIRef) -> URIRef:
        """A new entity known by ``name`` from the document itself (a state its title names)."""
        iri = RGD[slug(name)]
        while iri in self.taken or (iri in self.entities and not self.kind_of(self.entities[iri], "state")):
            iri = RGD[f"{slug(name)}-state"]
        self.entities.setdefault(iri, Entity(iri, name, frozenset({cls}), False))
        self._add_name(name, iri)
        return iri

    def kind_name(self, entity: Entity) -> str:
        """The first kind of :data:`KINDS` the entity is of."""
        return next((kind for kind in KINDS if self.kind_of(entity, kind)), "entity")

    def state_of_adjective(self, word: str) -> URIRef | None:
        return self.adjectives.get(normalize(word))

    def find_holding(self, holder: URIRef, office: URIRef) -> URIRef | None:
        for entity in self.entities.values():
            if entity.existing and entity.links.get(RG.holder) == holder and entity.links.get(RG.office) == office:
                return entity.iri
        return None

    def find_relation(self, a: URIRef, b: URIRef, data: Graph) -> URIRef | None:
        for relation in data.subjects(RDF.type, RG.DiplomaticRelation):
            if set(data.objects(relation, RG.party)) == {a, b}:
                return relation
        return None
