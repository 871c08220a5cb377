"""Dates as articles write them, at the text's precision; never a day or month the text lacks.

Absolute forms: "12 June 1955", "June 12, 1955", "3–5 October 2011" and "October 3–5, 2011"
(ranges), "April 1998" (year and month), "1962" (year). Relative forms, resolved against the
date before them in the text: "the following year", "a year later", "two months later",
"the same year". A relative date that the previous one cannot pin down (a month counted
from a bare year) yields no value but a note.

>>> [(m.value.value, m.value.datatype) for m in find_dates("In April 1998 and on 12 June 1955.")]
[('1998-04', 'gYearMonth'), ('1955-06-12', 'date')]
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<{}>1[0-9]{{3}}|20[0-9]{{2}})(?![0-9]|s\b|\.[0-9])"
_DASH = r"\s*(?:–|—|-|to|and|until)\s*"
_NOT_AMOUNT = r"(?!\s*(?:billion|million|thousand|people|km|kilomet|tonnes|tons|%|percent|per cent))"

# Longest forms first: a range before a day, a day before a month, a month before a year.
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("day-range", r"\b(?P<d1>[0-3]?[0-9])" + _DASH + r"(?P<d2>[0-3]?[0-9])\s+" + _MONTH.format("m") + r",?\s+" + _YEAR.format("y")),
        ("day-range-us", r"\b" + _MONTH.format("m") + r"\s+(?P<d1>[0-3]?[0-9])" + _DASH + r"(?P<d2>[0-3]?[0-9]),?\s+" + _YEAR.format("y")),
        ("day", r"\b(?P<d>[0-3]?[0-9])(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.format("m") + r",?\s+" + _YEAR.format("y")),
        ("day-us", r"\b" + _MONTH.format("m") + r"\s+(?P<d>[0-3]?[0-9])(?:st|nd|rd|th)?,?\s+" + _YEAR.format("y")),
        ("month", r"\b" + _MONTH.format("m") + r",?\s+(?:of\s+)?" + _YEAR.format("y")),
        ("year", r"(?<![0-9¥$€£.,])\b" + _YEAR.format("y") + _NOT_AMOUNT),
    )
)
_RELATIVE = re.compile(
    r"\b(?:(?P<same>(?:the\s+)?same\s+year|later\s+that\s+year|that\s+same\s+year)"
    r"|(?P<next>the\s+(?:following|next)\s+year)"
    r"|(?P<prev>the\s+(?:previous|preceding)\s+year|a\s+year\s+(?:earlier|before))"
    r"|(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[0-9]+)\s+(?P<unit>years?|months?)\s+(?P<dir>later|after(?:wards)?|earlier|before)(?!\s+(?:on|in)\s))",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:(?:in\s+)?the\s+(?:early\s+|mid-?|late\s+)?(?:1[0-9]|20)[0-9]0s|(?:early|mid|late)\s+(?:1[0-9]|20)[0-9]{2}"
    r"|(?:several|some|many|a\s+few)\s+(?:years|months)\s+later|in\s+recent\s+years|recently|at\s+that\s+time)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateValue:
    """A date as the text gives it: ``value`` in the lexical form of ``datatype``."""

    value: str
    datatype: str  # "date", "gYearMonth" or "gYear"

    @property
    def year(self) -> int:
        return int(self.value[:4])

    @property
    def month(self) -> int | None:
        return int(self.value[5:7]) if len(self.value) >= 7 else None


@dataclass(frozen=True)
class DateMention:
    """A date expression of a sentence: one value, or a range (``end`` set), or only a ``note``."""

    start: int
    end_char: int
    text: str
    value: DateValue | None
    end: DateValue | None = None
    relative: bool = False
    note: str | None = None


def _day(year: int, month: int, day: int) -> DateValue | None:
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return DateValue(f"{year:04d}-{month:02d}-{day:02d}", "date")


def _absolute(kind: str, match: re.Match[str]) -> tuple[DateValue | None, DateValue | None]:
    year = int(match["y"])
    if kind == "year":
        return DateValue(f"{year:04d}", "gYear"), None
    month = MONTHS[match["m"].lower().rstrip(".")]
    if kind == "month":
        return DateValue(f"{year:04d}-{month:02d}", "gYearMonth"), None
    if kind in ("day", "day-us"):
        return _day(year, month, int(match["d"])), None
    first, last = _day(year, month, int(match["d1"])), _day(year, month, int(match["d2"]))
    if first is None or last is None or last.value < first.value:
        return None, None
    return first, last


def _shift(base: DateValue, *, years: int = 0, months: int = 0) -> DateValue | None:
    if months:
        if base.month is None:
            return None
        total = base.year * 12 + (base.month - 1) + months
        return DateValue(f"{total // 12:04d}-{total % 12 + 1:02d}", "gYearMonth")
    return DateValue(f"{base.year + years:04d}", "gYear")


def _relative(match: re.Match[str], previous: DateValue | None) -> tuple[DateValue | None, str | None]:
    text = match.group(0)
    if previous is None:
        return None, f"date left out: {text!r} has no earlier date in the text to count from"
    if match["same"]:
        return DateValue(f"{previous.year:04d}", "gYear"), None
    if match["next"]:
        return _shift(previous, years=1), None
    if match["prev"]:
        return _shift(previous, years=-1), None
    count = NUMBERS.get(match["n"].lower()) or int(match["n"])
    sign = -1 if match["dir"].lower() in ("earlier", "before") else 1
    if match["unit"].lower().startswith("year"):
        return _shift(previous, years=sign * count), None
    shifted = _shift(previous, months=sign * count)
    if shifted is None:
        return None, f"date left out: {text!r} counts months from {previous.value}, which gives no month"
    return shifted, None


def find_dates(text: str, *, previous: DateValue | None = None) -> list[DateMention]:
    """The date expressions of ``text`` in order; relative ones count from ``previous`` (then from each other)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for kind, pattern in _FORMS:
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            value, end = _absolute(kind, match)
            note = None if value else f"date left out: {match.group(0)!r} is not a valid date"
            found.append(DateMention(match.start(), match.end(), match.group(0), value, end, note=note))
            taken.append((match.start(), match.end()))
    relatives = [m for m in _RELATIVE.finditer(text) if free(m.start(), m.end())]
    for match in _VAGUE.finditer(text):
        if free(match.start(), match.end()):
            found.append(DateMention(match.start(), match.end(), match.group(0), None,
                                     note=f"date left out: {match.group(0)!r} does not pin down a year"))
            taken.append((match.start(), match.end()))
    found.sort(key=lambda mention: mention.start)
    # Relative dates count from the absolute date before them (in this text, else ``previous``).
    for match in relatives:
        before = [m for m in found if m.end_char <= match.start() and m.value is not None]
        base = (before[-1].end or before[-1].value) if before else previous
        value, note = _relative(match, base)
        found.append(DateMention(match.start(), match.end(), match.group(0), value, relative=True, note=note))
    found.sort(key=lambda mention: mention.start)
    return found


def last_value(mentions: list[DateMention]) -> DateValue | None:
    """The latest-placed date of ``mentions`` that has a value (the end of a range), if any."""
    for mention in reversed(mentions):
        if mention.value is not None:
            return mention.end or mention.value
    return None
