"""QuickStatements (V1) commands proposing the graph's sourced facts to Wikidata, for a person to review.

Only the graph's facts (claims from ``rg:Fact`` nodes, not the descriptions of entities) that
Wikidata could take as they are: the subject has a checked QID, the value is an item with a QID
or a date, every qualifier is too, and there is at least one reference (a claim without a
source is not proposed). One command per statement: its sentences are merged into one reference
on the line, the source's address once per address (``S854``) and each quoted sentence with its
language (``S1683 en:"…"``), so a statement that three sentences state is still one line. Dates
carry their precision (``+1974-00-00T00:00:00Z/9``). QuickStatements V1 has no escape for ``"``
inside a string: a quotation that contains one is left out, and the header says how many were.
A diplomatic relation (P530) is one command on each of the two states, as Wikidata keeps it.
relgraph writes the file and never sends it anywhere.

Point in time (P585) on a position held (P39, and a state's P6/P35): only where the source shows
the holder in office at that time (``rg:attestedAt``: Abe met Kučinskis *as prime minister* on 13
January 2018), never the date of an event the holder took part in as such; and only where the
statement has no start or end time (P580/P582), which say more. A statement the source shows at
several times keeps the earliest on its command; the others follow it on a ``# also attested:``
line for the reviewer, so that no command carries two P585.

Claims that rest on context rather than on their sentence's words (``Claim.implied``: the fact's
``rg:basis`` is a section heading, the rest of the text or general knowledge) are left out: a
proposal to Wikidata cites the sentence, and the sentence does not say them. The header says how
many were left out; ``with_implied=True`` (``relgraph export --profile quickstatements
--with-implied``) proposes them too, each after a ``# implied (<basis>): <reason>`` line, so a
reviewer sees why before pasting (the # lines are not pasted). ``only`` limits the proposal to
the claims a filter keeps (``relgraph link --claims --against DUMP --quickstatements FILE``
keeps those the dataset lacks).

>>> from relgraph.vocab import WD
>>> from relgraph.link.claims import Claim, Reference, TimeValue
>>> claim = Claim(WD.Q1773, "P190", WD.Q48320, (("P580", TimeValue("1974", 9)),),
...               (Reference("https://example.org/a", "Riga and Kobe.", "en", WD.Q1),), WD.Q1, True)
>>> print(command_lines(claim)[0].replace(chr(9), " | "))
Q1773 | P190 | Q48320 | P580 | +1974-00-00T00:00:00Z/9 | S854 | "https://example.org/a" | S1683 | en:"Riga and Kobe."
"""

from __future__ import annotations

from dataclasses import dataclass

from .claims import Claim, TimeValue, WikidataView
from .mapping import qid

HEADER = """\
# QuickStatements (V1) commands written by relgraph {version}.
# A PROPOSAL FOR A PERSON TO REVIEW. relgraph never sends it anywhere.
# Check each line against its source (S854) and quotation (S1683) and against the item's
# current statements on Wikidata; then paste the lines you accept, without these # lines,
# into https://quickstatements.toolforge.org/ yourself.
# {claims} statements, one command each (its references merged){left_out}{implied}.
"""


@dataclass(frozen=True)
class Proposal:
    """The commands, and what was left out."""

    claims: tuple[Claim, ...]
    lines: tuple[str, ...]
    quotations_left_out: int
    implied_left_out: int = 0
    """Proposable claims left out because they rest on context (see ``with_implied``)."""

    def render(self, *, version: str) -> str:
        """The header and the commands, one per line; an implied claim's after a # line saying why."""
        left_out = (
            f"; {self.quotations_left_out} quotations left out (they contain a double quote)"
            if self.quotations_left_out
            else ""
        )
        included = sum(1 for c in self.claims if c.implied)
        implied = ""
        if self.implied_left_out:
            implied = f"; {self.implied_left_out} statements that rest on context left out (--with-implied proposes them)"
        elif included:
            implied = f"; {included} of them rest on context, each after a # implied line"
        header = HEADER.format(version=version, claims=len(self.claims), left_out=left_out, implied=implied)
        body = []
        for claim in self.claims:
            if claim.implied:
                body.append(f"# implied ({_short(claim.basis)}): {_quote(claim.basis_note or 'no reason given')}")
            body.extend(command_lines(claim))
            others = _attestations(claim)[1:]
            if others:
                body.append("# also attested: " + ", ".join(v.quickstatements for v in others))
        return header + "".join(line + "\n" for line in body)


def _value(value) -> str | None:
    if isinstance(value, TimeValue):
        return value.quickstatements
    return qid(value)


def proposable(claim: Claim) -> bool:
    """True for a fact whose subject, value and qualifiers all have Wikidata forms, with a source."""
    return (
        claim.fact
        and qid(claim.subject) is not None
        and _value(claim.value) is not None
        and all(_value(v) is not None for _p, v in claim.qualifiers)
        and bool(claim.references)
    )


def _quote(text: str) -> str:
    return " ".join(text.split())


POSITIONS = frozenset({"P39", "P6", "P35"})
"""Position held, head of government, head of state: statements on an office holding, whose P585
is an attestation of the holder in office (module docstring)."""


def _attestations(claim: Claim) -> tuple[TimeValue, ...]:
    """The P585 values of a position statement, earliest first (none where it has P580/P582)."""
    if claim.pid not in POSITIONS or any(code in ("P580", "P582") for code, _v in claim.qualifiers):
        return ()
    return tuple(sorted((v for code, v in claim.qualifiers if code == "P585"), key=lambda v: (v.lexical, v.precision)))


def _qualifiers(claim: Claim) -> tuple[tuple[str, object], ...]:
    """The qualifiers a command carries: a position's P585 only as its earliest attestation."""
    if claim.pid not in POSITIONS:
        return claim.qualifiers
    kept = tuple((code, v) for code, v in claim.qualifiers if code != "P585")
    first = _attestations(claim)[:1]
    return tuple(sorted(kept + tuple(("P585", v) for v in first), key=lambda pair: int(pair[0][1:])))


def command_lines(claim: Claim) -> tuple[str, ...]:
    """The tab-separated command of one proposable claim, its references merged (one line)."""
    fields = [qid(claim.subject), claim.pid, _value(claim.value)]
    for code, value in _qualifiers(claim):
        fields += [code, _value(value)]
    urls = list(dict.fromkeys(r.url for r in claim.references if r.url))
    quotes = list(dict.fromkeys(
        (r.language, _quote(r.quotation)) for r in claim.references if r.quotation and '"' not in r.quotation
    ))
    for url in urls:
        fields += ["S854", f'"{url}"']
    for language, quotation in quotes:
        fields += ["S1683", f'{language}:"{quotation}"']
    return ("\t".join(fields),)


def quickstatements(view: WikidataView, *, with_implied: bool = False, only=None) -> Proposal:
    """The proposal for ``view``: its proposable claims, in subject, property and value order;
    those that rest on context only ``with_implied``; only those ``only`` (a predicate on a
    claim) keeps, where it is given."""
    candidates = [c for c in view.claims if proposable(c) and (only is None or only(c))]
    claims = tuple(sorted((c for c in candidates if with_implied or not c.implied), key=_order))
    lines = tuple(line for claim in claims for line in command_lines(claim))
    left_out = sum(1 for c in claims for r in c.references if r.quotation and '"' in r.quotation)
    return Proposal(
        claims=claims, lines=lines, quotations_left_out=left_out, implied_left_out=len(candidates) - len(claims)
    )


def _short(term) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _order(claim: Claim):
    return (int(qid(claim.subject)[1:]), int(claim.pid[1:]), str(_value(claim.value)), claim.key)


__all__ = ["Proposal", "command_lines", "proposable", "quickstatements"]
