"""What a sentence names: states, organizations, places, missions, people in office, ships, agreements.

A blank English spaCy pipeline (tokenizer only, no model) whose one component writes each
token's normalized form into ``Token.norm_``; one PhraseMatcher per concern matches on it:
the gazetteer's names, the cue words of offices, missions, places, organizations, ships and
agreements (``rules/cues.json`` and the ontology's class labels). A cue types the proper
name next to it ("Prime Minister X", "the city of X", "Embassy of X in Y", "X Association").
Nothing is proposed here: a mention of a new entity carries what to propose, and a fact rule
proposes it only if it uses it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

import spacy
from rdflib import URIRef
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..vocab import RG
from .gazetteer import Gazetteer, normalize


@Language.component("relgraph_normalize")
def _normalize_component(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = normalize(token.text)
    return doc


def load_rules(name: str) -> dict:
    return json.loads(resources.files(__package__).joinpath("rules", name).read_text(encoding="utf-8"))


CUES = load_rules("cues.json")

def rg_class(curie: str) -> URIRef:
    """rg:Embassy -> the IRI."""
    return RG[curie.split(":", 1)[1]]


@dataclass
class Mention:
    """A name in a sentence: what it is (``kind``) and the entity, known (``iri``) or to propose."""

    kind: str
    start: int
    end: int
    text: str
    iri: URIRef | None = None
    label: str | None = None
    cls: URIRef | None = None
    links: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    confidence: float = 0.8
    rule: str = "gazetteer"


class MentionFinder:
    """Finds the mentions of one sentence at a time (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("relgraph_normalize")
        self.names = self._matcher(gazetteer.names)
        self.adjectives = self._matcher(gazetteer.adjectives)
        self.offices = self._matcher(CUES["offices"])
        mission_labels = gazetteer.class_labels(RG.DiplomaticMission)
        self.mission_classes = dict(mission_labels)
        for label, cls in mission_labels.items():
            plural = label[:-1] + "ies" if label.endswith("y") else label + "s"
            self.mission_classes[plural] = cls
            self.mission_classes[label.replace(" ", "-")] = cls
        self.missions = self._matcher(self.mission_classes)
        self.places = self._matcher(CUES["places"])
        self.organizations = self._matcher(CUES["organizations"])
        self.ships = self._matcher(CUES["ships"])
        self.agreements = self._matcher(CUES["agreements"])
        self.not_names = set(CUES["not_names"])
        self.particles = set(CUES["name_particles"])

    def _matcher(self, phrases) -> PhraseMatcher:
        matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        keys = sorted(set(phrases))
        for key, doc in zip(keys, self.nlp.pipe(keys)):
            matcher.add(key, [doc])
        return matcher

    def doc(self, text: str) -> Doc:
        return self.nlp(text)

    @staticmethod
    def _matches(matcher: PhraseMatcher, doc: Doc) -> list[tuple[str, Span]]:
        found = [(doc.vocab.strings[key], doc[start:end]) for key, start, end in matcher(doc)]
        # longest first, then leftmost; overlapping shorter matches dropped
        found.sort(key=lambda item: (-(item[1].end - item[1].start), item[1].start))
        kept: list[tuple[str, Span]] = []
        for key, span in found:
            if all(span.end <= other.start or span.start >= other.end for _, other in kept):
                kept.append((key, span))
        return sorted(kept, key=lambda item: item[1].start)

    # Proper names ------------------------------------------------------------

    def _is_name_token(self, token) -> bool:
        text = token.text
        return (text[:1].isupper() and text not in self.not_names and any(c.isalpha() for c in text)) or (
            len(text) > 1 and text.isupper() and text.isalpha()
        )

    def name_after(self, doc: Doc, index: int, *, allow_known: bool = False) -> Span | None:
        """The proper name that starts at token ``index`` (capitalized words, particles, inner hyphens)."""
        i = index
        while i < len(doc) and doc[i].text in ('"', "“", "'"):
            i += 1
        start = i
        while i < len(doc):
            token = doc[i]
            if self._is_name_token(token):
                i += 1
            elif i > start and i + 1 < len(doc) and self._is_name_token(doc[i + 1]) and token.norm_ in self.particles:
                i += 1
            elif i > start and token.text == "-" and i + 1 < len(doc) and doc[i + 1].is_alpha and token.idx == doc[i - 1].idx + len(doc[i - 1].text):
                i += 2  # "Myung-bak", "Chile-Estonia"
            else:
                break
        if i == start:
            return None
        span = doc[start:i]
        if not allow_known and self._known_state(span) is not None:
            return None
        return span

    def _known_state(self, span: Span) -> URIRef | None:
        for iri in self.gazetteer.names.get(normalize(span.text), []):
            if self.gazetteer.kind_of(self.gazetteer.entities[iri], "state"):
                return iri
        return None

    # Mentions ----------------------------------------------------------------

    def find(self, doc: Doc) -> list[Mention]:
        """Every mention of ``doc``, left to right, the longer one kept where two overlap."""
        found: list[Mention] = []
        found += self._known(doc)
        found += self._adjective_mentions(doc)
        found += self._office_mentions(doc, found)
        found += self._mission_mentions(doc, found)
        found += self._place_mentions(doc, found)
        found += self._organization_mentions(doc, found)
        found += self._ship_mentions(doc, found)
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept: list[Mention] = []
        for mention in found:
            if all(mention.end <= other.start or mention.start >= other.end for other in kept):
                kept.append(mention)
        kept += self._loose_names(doc, kept)
        return sorted(kept, key=lambda m: m.start)

    def _kind(self, iri: URIRef) -> str | None:
        entity = self.gazetteer.entities[iri]
        for kind in ("state", "organization", "mission", "settlement", "region", "person", "office", "body", "ship", "agreement", "product"):
            if self.gazetteer.kind_of(entity, kind):
                return kind
        return None

    def _known(self, doc: Doc) -> list[Mention]:
        mentions = []
        for key, span in self._matches(self.names, doc):
            acronym = len(key) <= 5 and any(n.isupper() for n in [span.text])
            if span.text[:1].islower() and not acronym:
                lower_ok = all(self._kind(iri) == "product" for iri in self.gazetteer.names[key])
                if not lower_ok:
                    continue  # "us", "won": a name is written with a capital
            for iri in self.gazetteer.names[key]:
                kind = self._kind(iri)
                if kind:
                    mentions.append(Mention(kind, span.start_char, span.end_char, span.text, iri=iri,
                                            extra={"token_start": span.start, "token_end": span.end}))
                    break
        return mentions

    def _adjective_mentions(self, doc: Doc) -> list[Mention]:
        return [
            Mention("adjective", span.start_char, span.end_char, span.text, iri=self.gazetteer.adjectives[key],
                    extra={"token_start": span.start, "token_end": span.end})
            for key, span in self._matches(self.adjectives, doc)
            if span.text[:1].isupper()
        ]

    def _state_near(self, doc: Doc, start: int, end: int, mentions: list[Mention]) -> URIRef | None:
        """A state named by an adjective or a possessive right before tokens [start, end)."""
        while start > 0 and doc[start - 1].norm_ in ("first", "new", "resident", "permanent", "non-resident", "then", "former", "current"):
            start -= 1
        for mention in mentions:
            t_end = mention.extra.get("token_end")
            if mention.kind in ("adjective", "state") and t_end is not None:
                if t_end == start or (t_end == start - 1 and doc[start - 1].text in ("'s", "’s")):
                    return mention.iri
        return None

    def _state_at(self, doc: Doc, index: int, mentions: list[Mention]) -> tuple[URIRef, int] | None:
        """A state named from token ``index`` on: its IRI and the token after it."""
        for mention in mentions:
            if mention.kind == "state" and mention.extra.get("token_start") == index:
                return mention.iri, mention.extra["token_end"]
        return None

    def _office_mentions(self, doc: Doc, known: list[Mention]) -> list[Mention]:
        mentions = []
        for key, span in self._matches(self.offices, doc):
            cue = CUES["offices"][key]
            if not doc[span.start].text[:1].isupper() and not cue.get("envoy") and not cue.get("consular"):
                continue  # "the president" in lower case is not a title
            state = self._state_near(doc, span.start, span.end, known)
            start, end = span.start, span.end
            accredited = None
            if end < len(doc) and doc[end].norm_ == "of":
                hit = self._state_at(doc, end + 1, known)
                if hit:
                    state, end = hit[0], hit[1]
            if end < len(doc) and doc[end].norm_ in ("to", "in") and cue.get("envoy"):
                hit = self._state_at(doc, end + 1, known)
                if hit:
                    accredited, end = hit[0], hit[1]
            if state is not None:
                # the adjective or possessive belongs to the mention
                for mention in known:
                    if mention.kind in ("adjective", "state") and mention.extra.get("token_end") in (span.start, span.start - 1) and mention.iri == state:
                        start = mention.extra["token_start"]
            end_tok = end
            if end < len(doc) and doc[end].text == ",":
                end += 1
            name = self.name_after(doc, end)
            extra = {"cue": cue, "state": state, "accredited": accredited, "title": span.text,
                     "token_start": start, "token_end": end_tok}
            if name is not None:
                extra["person"] = name.text
                end_tok = name.end
                extra["token_end"] = end_tok
            mentions.append(Mention("office", doc[start].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text),
                                    doc[start:end_tok].text, extra=extra, rule="office-cue", confidence=0.75))
        mentions += self._known_offices(doc, known)
        mentions.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept: list[Mention] = []
        for mention in mentions:
            if all(mention.end <= other.start or mention.start >= other.end for other in kept):
                kept.append(mention)
        return self._paired_titles(doc, sorted(kept, key=lambda m: m.start))

    def _known_offices(self, doc: Doc, known: list[Mention]) -> list[Mention]:
        """An office the graph holds, named by its label ("King of Norway"), and the name after it."""
        found = []
        for mention in known:
            if mention.kind != "office":
                continue
            entity = self.gazetteer.entities[mention.iri]
            title = re.split(r"\s+(?:of|to|in)\s+", entity.label)[0]
            cue = {"class": "rg:" + sorted(entity.classes)[0].rsplit("#", 1)[-1], "label": title,
                   "envoy": entity.is_a(RG.Ambassadorship, RG.ChargeDAffairesOffice)}
            end = mention.extra["token_end"]
            extra = {"cue": cue, "state": entity.links.get(RG.officeOf), "accredited": entity.links.get(RG.accreditedTo),
                     "title": mention.text, "token_start": mention.extra["token_start"], "token_end": end}
            after = end + 1 if end < len(doc) and doc[end].text == "," else end
            name = self.name_after(doc, after)
            if name is not None:
                extra.update(person=name.text, token_end=name.end)
            last = doc[extra["token_end"] - 1]
            found.append(Mention("office", mention.start, last.idx + len(last.text), doc[extra["token_start"]:extra["token_end"]].text,
                                 iri=mention.iri, extra=extra, rule="office-cue", confidence=0.75))
        return found

    def _paired_titles(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """"the King and Queen of X, A and B": both titles of X, A the first's holder, B the second's."""
        for first, second in zip(mentions, mentions[1:]):
            between = doc[first.extra["token_start"]:second.extra["token_start"]]
            if first.extra.get("person") or first.extra["state"] is not None or second.extra["state"] is None:
                continue
            if not (len(between) >= 2 and between[-1].norm_ == "and" and "person" in second.extra):
                continue
            name_start = second.extra["token_end"] - len(self.nlp.make_doc(second.extra["person"]))
            holder = self.name_after(doc, name_start)
            after = holder.end if holder is not None else None
            if after is None or after >= len(doc) or doc[after].norm_ != "and":
                continue
            other = self.name_after(doc, after + 1)
            if other is None:
                continue
            first.extra.update(state=second.extra["state"], person=holder.text)
            second.extra.update(person=other.text, token_end=other.end)
            second.end = other.end_char
            second.text = doc[second.extra["token_start"]:other.end].text
        return mentions

    def _mission_mentions(self, doc: Doc, known: list[Mention]) -> list[Mention]:
        mentions = []
        for key, span in self._matches(self.missions, doc):
            start, end = span.start, span.end
            sending = self._state_near(doc, start, end, known)
            if sending is not None:
                for mention in known:
                    if mention.iri == sending and mention.extra.get("token_end") in (start, start - 1):
                        start = mention.extra["token_start"]
            host = seat = seat_name = None
            if end < len(doc) and doc[end].norm_ == "of":
                hit = self._state_at(doc, end + 1, known)
                if hit:
                    sending, end = hit
            if end < len(doc) and doc[end].norm_ in ("in", "at"):
                hit = self._state_at(doc, end + 1, known)
                place = next((m for m in known if m.kind == "settlement" and m.extra.get("token_start") == end + 1), None)
                if hit:
                    host, end = hit
                elif place is not None:
                    seat, end = place.iri, place.extra["token_end"]
                else:
                    name = self.name_after(doc, end + 1)
                    if name is not None:
                        seat_name, end = name.text, name.end
            mentions.append(Mention("mission", doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text),
                                    doc[start:end].text, cls=self.mission_classes[key], rule="mission-cue",
                                    extra={"sending": sending, "host": host, "seat": seat, "seat_name": seat_name,
                                           "cue_start": span.start, "token_start": start, "token_end": end}))
        return mentions

    def _place_mentions(self, doc: Doc, known: list[Mention]) -> list[Mention]:
        mentions = []
        for key, span in self._matches(self.places, doc):
            cue = CUES["places"][key]
            cls = rg_class(cue["class"])
            if cue["before"]:
                name = self.name_after(doc, span.end, allow_known=False)
                if name is None:
                    continue
                tokens, label = doc[span.start:name.end], name.text
            else:
                if span.start == 0 or not doc[span.start].text[:1].isupper():
                    continue  # "Kobe City", "Hokkaido Prefecture": the cue is part of the name
                first = span.start
                while first > 0 and self._is_name_token(doc[first - 1]) and doc[first - 1].text not in self.not_names:
                    first -= 1
                if first == span.start:
                    continue
                tokens = doc[first:span.end]
                label = tokens.text if cue.get("keep") else doc[first:span.start].text
            known_iri = next((iri for iri in self.gazetteer.names.get(normalize(label), [])
                              if self._kind(iri) in ("settlement", "region")), None)
            mentions.append(Mention("region" if cls == RG.Region else "settlement", tokens.start_char, tokens.end_char,
                                    tokens.text, iri=known_iri, label=label, cls=cls, rule="place-cue",
                                    extra={"token_start": tokens.start, "token_end": tokens.end}))
        return mentions

    def _organization_mentions(self, doc: Doc, known: list[Mention]) -> list[Mention]:
        mentions = []
        for key, span in self._matches(self.organizations, doc):
            if not doc[span.start].text[:1].isupper():
                continue
            first = span.start
            while first > 0 and (self._is_name_token(doc[first - 1]) or doc[first - 1].text == "-"):
                first -= 1
            end = span.end
            if end + 1 < len(doc) and doc[end].norm_ in ("of", "for") and self._is_name_token(doc[end + 1]):
                name = self.name_after(doc, end + 1, allow_known=True)
                end = name.end if name is not None else end
            if first == span.start and end == span.end:
                continue
            tokens = doc[first:end]
            label = tokens.text
            states = sum(1 for m in known if m.kind in ("state", "adjective") and tokens.start_char <= m.start < tokens.end_char)
            cls = rg_class(CUES["organizations"][key])
            if cls == RG.FriendshipAssociation and states < 2 and "friendship" not in normalize(label):
                cls = RG.Organization
            known_iri = next((iri for iri in self.gazetteer.names.get(normalize(label), [])), None)
            mentions.append(Mention("body", tokens.start_char, tokens.end_char, label, iri=known_iri, label=label,
                                    cls=cls, rule="organization-cue", confidence=0.7,
                                    extra={"token_start": tokens.start, "token_end": tokens.end}))
        return mentions

    def _ship_mentions(self, doc: Doc, known: list[Mention]) -> list[Mention]:
        mentions = []
        for key, span in self._matches(self.ships, doc):
            name = self.name_after(doc, span.end, allow_known=True)
            if name is None:
                continue
            flag = None
            for mention in known:
                t_end = mention.extra.get("token_end")
                if mention.kind in ("adjective", "state") and t_end is not None and span.start - 3 <= t_end <= span.start:
                    flag = mention.iri
            label = f"{span.text} {name.text}" if span.text.islower() else name.text
            end = name.end + (1 if name.end < len(doc) and doc[name.end].text in ('"', "”") else 0)
            tokens = doc[span.start:end]
            mentions.append(Mention("ship", tokens.start_char, tokens.end_char, tokens.text, label=label,
                                    cls=rg_class(CUES["ships"][key]), rule="ship-cue", confidence=0.7,
                                    extra={"flag": flag, "token_start": span.start, "token_end": end}))
        return mentions

    def _loose_names(self, doc: Doc, kept: list[Mention]) -> list[Mention]:
        """Capitalized names not otherwise known, after a preposition or a conjunction: maybe places."""
        taken = set()
        for mention in kept:
            taken.update(range(mention.extra.get("token_start", -1), mention.extra.get("token_end", -1)))
        mentions = []
        i = 1
        while i < len(doc):
            if i not in taken and doc[i - 1].norm_ in ("in", "to", "at", "visited", "from", "and", "of", "toured", "between", "with") and self._is_name_token(doc[i]):
                name = self.name_after(doc, i)
                if name is not None and not any(t in taken for t in range(name.start, name.end)):
                    mentions.append(Mention("name", name.start_char, name.end_char, name.text, label=name.text,
                                            rule="proper-name", confidence=0.45,
                                            extra={"token_start": name.start, "token_end": name.end}))
                    i = name.end
                    continue
            i += 1
        return mentions

    @cached_property
    def agreement_words(self) -> dict[str, URIRef]:
        return {key: rg_class(value) for key, value in CUES["agreements"].items()}
