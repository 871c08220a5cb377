"""Split a source document into the text units a curator accounts for.

A source is plain text in the wiki-like shape of the seed: ``= Title =`` and
``== Section ==`` headings, paragraphs, and ``- `` list items. Each paragraph or
list item is cut into sentences; each sentence remembers the heading path it sits
under. The curated data quotes these sentences verbatim (``oa:exact``), which is
how ``relgraph coverage`` pairs every sentence with the facts derived from it.

>>> units = split_text("= T =\\n== A ==\\nOne. Two.\\n- Item")
>>> [(u.section, u.text) for u in units]
[('A', 'One.'), ('A', 'Two.'), ('A', 'Item')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADING = re.compile(r"^(=+)\s*(.*?)\s*=+\s*$")
# A sentence ends at . ! or ? followed by whitespace and an upper-case letter,
# a digit or an opening quote; "¥ 7.32 billion" and "U.S." inside words stay whole.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_LIST_ITEM = re.compile(r"^[-*]\s+")


@dataclass(frozen=True)
class TextUnit:
    """One sentence (or list item, or stray line) of a source, with its place in it."""

    position: int
    """1-based order of the unit in the document."""
    line: int
    """1-based line number of the line the unit is on."""
    section: str
    """Heading path below the title, joined with `` > `` ("" before the first heading)."""
    text: str
    """The unit's exact text, as it appears in the source."""


def split_text(text: str) -> list[TextUnit]:
    """Cut ``text`` into sentences and list items, in document order."""
    units: list[TextUnit] = []
    headings: list[str] = []
    for line_number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if level == 1:
                headings = []
            else:
                headings = headings[: level - 2] + [heading.group(2)]
            continue
        body = _LIST_ITEM.sub("", line)
        for sentence in _SENTENCE_END.split(body):
            sentence = sentence.strip()
            if sentence:
                units.append(
                    TextUnit(
                        position=len(units) + 1,
                        line=line_number,
                        section=" > ".join(headings),
                        text=sentence,
                    )
                )
    return units


def split_file(path: Path) -> list[TextUnit]:
    """Read ``path`` as UTF-8 and split it (see :func:`split_text`)."""
    return split_text(Path(path).read_text(encoding="utf-8"))
