"""Numbers, times and amounts in a text, as the values they stand for ("$1,234.50" is 1234.5).

The guard compares values, not spellings: "$60" in a reply matches "$60.00 MXN" in the
facts, "7 pm" matches "19:00", "diez por ciento" matches "10%".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from whsp_ai.nlu.numbers import NUMBER_WORDS, leading_number

# A digit run with separators, then an optional percent, am/pm or hour mark. Not after a
# separator, so "1.5" is one figure and not "1" then "5".
_FIGURE = re.compile(
    r"(?<![\d.,:])(\$\s*)?(\d{1,9}(?:[.,:]\d{1,3})*)(\s*(?:%|a\.?\s?m\b\.?|p\.?\s?m\b\.?|hrs?\b|h\b))?"
)
# Spanish "once" is eleven, English "once" is not a number; a reply says 11 in digits.
_NOT_NUMBERS = frozenset({"once"})


@dataclass
class Figures:
    numbers: set[Decimal] = field(default_factory=set)
    times: set[int] = field(default_factory=set)  # minutes after midnight
    hours: set[Decimal] = field(default_factory=set)  # the hours of those times: never money


@dataclass(frozen=True)
class Figure:
    """One figure said in a text: the values it may stand for."""

    said: str
    numbers: frozenset[Decimal]
    times: frozenset[int]  # set only when the text says it is a time
    hourly: bool = False  # a bare whole number: "abrimos a las 9" may mean 9:00
    money: bool = False  # "$10": never matched by an hour ("10:00")


def figures_in(text: str, literal: bool = False) -> list[Figure]:
    """Every figure in folded `text`: digits first, then numbers spelled in words (≥ 2).

    `literal`: clock times mean what they say ("7:00" is 7 am, as in an hours table);
    otherwise a clock time without am/pm may be either half of the day.
    """
    found: list[Figure] = []
    for m in _FIGURE.finditer(text):
        money, token = bool(m[1]), m[2]
        mark = (m[3] or "").strip().replace(".", "").replace(" ", "")
        if ":" in token:
            found.append(_clock(token, mark or ("24h" if literal else "")))
        elif mark in ("am", "pm"):
            hour = int(token) if token.isdigit() else -1
            times = _hour_times(hour, 0, mark) if 0 <= hour <= 24 else frozenset()
            found.append(Figure(m[0], frozenset(), times))
        else:
            hourly = not money and mark != "%" and token.isdigit()
            found.append(Figure(m[0], _values(token), frozenset(), hourly, money))
    words = text.split()
    i = 0
    while i < len(words):
        word = words[i].strip("¿¡?!.,;:()\"'")
        spelled = word.split("-")[0] in NUMBER_WORDS and word not in _NOT_NUMBERS
        parsed = leading_number(" ".join(words[i : i + 6])) if spelled else None
        if parsed is None:
            i += 1
            continue
        value, rest = parsed
        used = max(1, len(" ".join(words[i : i + 6]).split()) - len(rest.split()))
        if value >= 2:
            found.append(
                Figure(" ".join(words[i : i + used]), frozenset({Decimal(value)}), frozenset())
            )
        i += used
    return found


def index(text: str) -> Figures:
    """The values every figure of the facts may be matched by."""
    out = Figures()
    for figure in figures_in(text, literal=True):
        out.numbers |= figure.numbers
        out.times |= figure.times
        for minutes in figure.times:
            out.hours.add(Decimal(minutes // 60))
    return out


def backed(figure: Figure, facts: Figures) -> bool:
    if figure.times:
        return bool(figure.times & facts.times)
    if figure.numbers & facts.numbers:
        return True
    if not figure.money and figure.numbers & facts.hours:
        return True  # "abrimos a las 10" with 10:00 in the facts
    # A bare hour ("abrimos a las 9") matches 9:00 or 21:00 in the facts.
    return figure.hourly and any(
        n == n.to_integral_value()
        and 0 <= n <= 12
        and {int(n) * 60, int(n) * 60 + 720} & facts.times
        for n in figure.numbers
    )


def _clock(token: str, mark: str) -> Figure:
    parts = token.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return Figure(token, _values(token.replace(":", ".")), frozenset())
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 24 or minute > 59:
        return Figure(token, _values(token.replace(":", ".")), frozenset())
    return Figure(token, frozenset(), _hour_times(hour, minute, mark))


def _hour_times(hour: int, minute: int, mark: str) -> frozenset[int]:
    if mark == "pm" and hour < 12:
        return frozenset({(hour + 12) * 60 + minute})
    if mark == "am":
        return frozenset({(hour % 12) * 60 + minute})
    if mark in ("", "h", "hr", "hrs") and 1 <= hour < 12:
        return frozenset({hour * 60 + minute, (hour + 12) * 60 + minute})  # "a las 7:00"
    return frozenset({hour * 60 + minute})


def _values(token: str) -> frozenset[Decimal]:
    """What '1,500', '12,50', '1.500' or '1.234,50' may mean: every reading, as Decimals."""
    commas, dots = token.count(","), token.count(".")
    tail = re.split(r"[.,]", token)[-1]
    if commas and dots:  # the last separator is the decimal one
        last = max(token.rfind(","), token.rfind("."))
        readings = {re.sub(r"[.,]", "", token[:last]) + "." + token[last + 1 :]}
    elif commas or dots:
        sep = "," if commas else "."
        readings = set()
        if all(len(g) == 3 for g in token.split(sep)[1:]):
            readings.add(token.replace(sep, ""))  # thousands: "1,500", "1.500"
        if commas + dots == 1 and len(tail) <= 2:
            readings.add(token.replace(sep, "."))  # a decimal: "12,50", "1.5"
    else:
        readings = {token}
    out: set[Decimal] = set()
    for reading in readings:
        try:
            out.add(Decimal(reading).normalize())
        except InvalidOperation:
            continue
    return frozenset(out)
