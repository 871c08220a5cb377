"""QuickStatements (V1) commands proposing the graph's sourced facts to Wikidata, for a person to review.

Only the graph's facts (claims from ``rg:Fact`` nodes, not the descriptions of entities) that
Wikidata could take as they are: the subject has a checked QID, the value is an item with a QID
or a date, every qualifier is too, and there is at least one reference (a claim without a
source is not proposed). One line per reference: QuickStatements adds the
statement once and each further line's source as another reference. Dates carry their
precision (``+1974-00-00T00:00:00Z/9``); a reference is the source's address (``S854``) and
the quoted sentence with its language (``S1683 en:"…"``). QuickStatements V1 has no escape for
``"`` inside a string: a quotation that contains one is left out of its reference, and the
header says how many were. relgraph writes the file and never sends it anywhere.

Claims that rest on context rather than on their sentence's words (``Claim.implied``: the fact's
``rg:basis`` is a section heading, the rest of the text or general knowledge) are left out: a
proposal to Wikidata cites the sentence, and the sentence does not say them. The header says how
many were left out; ``with_implied=True`` (``relgraph export --profile quickstatements
--with-implied``) proposes them too, each after a ``# implied (<basis>): <reason>`` line, so a
reviewer sees why before pasting (the # lines are not pasted).

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
# {claims} statements, {lines} lines (one per reference){left_out}{implied}.
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
        header = HEADER.format(
            version=version, claims=len(self.claims), lines=len(self.lines), left_out=left_out, implied=implied
        )
        body = []
        for claim in self.claims:
            if claim.implied:
                body.append(f"# implied ({_short(claim.basis)}): {_quote(claim.basis_note or 'no reason given')}")
            body.extend(command_lines(claim))
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


def command_lines(claim: Claim) -> tuple[str, ...]:
    """The tab-separated commands of one proposable claim, one per reference."""
    head = [qid(claim.subject), claim.pid, _value(claim.value)]
    for code, value in claim.qualifiers:
        head += [code, _value(value)]
    lines = []
    for reference in claim.references:
        sources = []
        if reference.url:
            sources += ["S854", f'"{reference.url}"']
        if reference.quotation and '"' not in reference.quotation:
            sources += ["S1683", f'{reference.language}:"{_quote(reference.quotation)}"']
        lines.append("\t".join(head + sources))
    return tuple(lines)


def quickstatements(view: WikidataView, *, with_implied: bool = False) -> Proposal:
    """The proposal for ``view``: its proposable claims, in subject, property and value order;
    those that rest on context only ``with_implied``."""
    candidates = [c for c in view.claims if proposable(c)]
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
