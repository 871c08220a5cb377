"""Comparing names as reconciliation does: case- and diacritic-insensitive, fuzzy.

Folding drops diacritics (NFKD, combining marks dropped) and spells the Latin letters NFKD
leaves alone in ASCII with unidecode (``ł`` → ``l``, ``ø`` → ``o``, ``ß`` → ``ss``, ``Đ`` → ``d``);
other scripts are kept as they are (a Japanese name is not romanized into a false match).
Similarity is rapidfuzz's normalized Indel ratio (difflib's ``SequenceMatcher.ratio`` on the
names it was written for, computed in C: ``bench/name_matching.py`` compares the two).

>>> fold("Łódź Østfold Straße")
'lodz ostfold strasse'
>>> fold("神戸市")
'神戸市'

>>> fold("Rūjiena")
'rujiena'
>>> tokens("Kansai Japan-Latvia Association")
('kansai', 'japan', 'latvia', 'association')
>>> search_keys(["Rujena"])
('ruj',)
>>> matches_keys("Rūjiena", ("ruj",))
True
>>> round(similarity("Rujena", "Rūjiena"), 3)
0.923
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz.distance import Indel
from unidecode import unidecode

KEY_LENGTH = 3
"""A search key is the first three letters of a word of the name (the whole word if shorter)."""

STOPWORDS = frozenset({"a", "an", "and", "de", "for", "in", "of", "the", "to"})
"""Words too common to find candidates by (they still count in the similarity)."""

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, without diacritics (NFKD, combining marks dropped), whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(_latin(ch) for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@lru_cache(maxsize=4096)
def _latin(ch: str) -> str:
    """A Latin letter NFKD does not decompose, in ASCII (unidecode); any other character as it is."""
    if ch.isascii() or not unicodedata.name(ch, "").startswith("LATIN "):
        return ch
    return unidecode(ch) or ch


def tokens(text: str) -> tuple[str, ...]:
    """The words of the folded text."""
    return tuple(_WORD.findall(fold(text)))


def search_keys(names: Iterable[str]) -> tuple[str, ...]:
    """The search keys of some names: a prefix of each word that is not a stopword, sorted."""
    keys = {
        word[:KEY_LENGTH]
        for name in names
        for word in tokens(name)
        if word not in STOPWORDS and (len(word) > 1 or not word.isascii())
    }
    return tuple(sorted(keys))


def matches_keys(name: str, keys: Iterable[str]) -> bool:
    """True if a word of ``name`` starts with one of ``keys``: the name is a candidate."""
    words = tokens(name)
    return any(word.startswith(key) for key in keys for word in words)


def similarity(a: str, b: str) -> float:
    """0..1: how alike two names are once folded (rapidfuzz's normalized Indel similarity,
    2·LCS / total length; 1.0 for equal names)."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return 1.0
    return Indel.normalized_similarity(fa, fb)


def best_similarity(names: Iterable[str], others: Iterable[str]) -> tuple[float, str, str]:
    """The most alike pair of a name and another name: (similarity, name, other); (0, "", "") if none."""
    best = (0.0, "", "")
    others = tuple(others)
    for name in sorted(set(names)):
        for other in sorted(set(others)):
            score = similarity(name, other)
            if score > best[0]:
                best = (score, name, other)
    return best


__all__ = ["KEY_LENGTH", "STOPWORDS", "best_similarity", "fold", "matches_keys", "search_keys", "similarity", "tokens"]
