"""Quantities written as digits or number words ("2", "dos", "veintitrés", "a dozen")."""

from __future__ import annotations

import re
from decimal import Decimal

from whsp_ai.text.fold import fold

# Bounded: longer digit runs are phone numbers or noise, and int() refuses huge strings.
_DIGITS = re.compile(r"\d{1,7}|\d{1,3}(?:,\d{3}){1,2}")
_AMOUNT = re.compile(r"\$?\s*(\d{1,7}(?:,\d{3})*(?:\.\d{1,2})?)")

_UNITS: dict[str, int] = {
    "cero": 0,
    "un": 1,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}

# Single words from 10 to 29: they take no units after them.
_TEENS: dict[str, int] = {
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veintiun": 21,
    "veintiuno": 21,
    "veintiuna": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}

_TENS: dict[str, int] = {
    "veinte": 20,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

_HUNDREDS: dict[str, int] = {
    "cien": 100,
    "ciento": 100,
    "doscientos": 200,
    "doscientas": 200,
    "trescientos": 300,
    "trescientas": 300,
    "cuatrocientos": 400,
    "cuatrocientas": 400,
    "quinientos": 500,
    "quinientas": 500,
    "seiscientos": 600,
    "seiscientas": 600,
    "setecientos": 700,
    "setecientas": 700,
    "ochocientos": 800,
    "ochocientas": 800,
    "novecientos": 900,
    "novecientas": 900,
}

# Words that multiply what came before ("dos docenas" = 24, "un par" = 2).
_GROUPS: dict[str, int] = {
    "docena": 12,
    "docenas": 12,
    "dozen": 12,
    "dozens": 12,
    "par": 2,
    "pares": 2,
    "pair": 2,
    "pairs": 2,
    "couple": 2,
}

NUMBER_WORDS: frozenset[str] = frozenset(
    [*_UNITS, *_TEENS, *_TENS, *_HUNDREDS, *_GROUPS, "hundred", "thousand", "mil", "media"]
)


def _tokens(text: str) -> list[str]:
    """Folded words; 'twenty-five' splits, '1/2' and '2.5' stay whole."""
    out: list[str] = []
    for raw in fold(text).split():
        parts = raw.split("-")
        if len(parts) > 1 and all(p in NUMBER_WORDS for p in parts):
            out.extend(parts)
        else:
            out.append(raw)
    return out


def _digits(token: str) -> int | None:
    if not _DIGITS.fullmatch(token):
        return None
    return int(token.replace(",", ""))


def _words(tokens: list[str], start: int) -> tuple[int, int] | None:
    """A number spelled in words from tokens[start:]: (value, index after it)."""
    total, current, last = 0, 0, ""
    i = start
    end = start
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in _UNITS and last in ("", "tens", "hundred", "thousand", "and"):
            current, last = current + _UNITS[tok], "unit"
        elif (tok in _TEENS or tok in _TENS) and last in ("", "hundred", "thousand", "and"):
            current += _TEENS.get(tok) or _TENS[tok]
            last = "teen" if tok in _TEENS else "tens"
        elif tok in _HUNDREDS and last in ("", "thousand"):
            current, last = current + _HUNDREDS[tok], "hundred"
        elif tok == "hundred" and last in ("", "unit"):
            current, last = (current or 1) * 100, "hundred"
        elif tok in ("mil", "thousand") and last != "thousand":
            total, current, last = total + (current or 1) * 1000, 0, "thousand"
        elif tok in ("y", "and") and (
            (last == "tens" and nxt in _UNITS)
            or (
                last in ("hundred", "thousand") and (nxt in _UNITS or nxt in _TEENS or nxt in _TENS)
            )
        ):
            last = "and"
            i += 1
            continue
        else:
            break
        i += 1
        end = i
    if end == start:
        return None
    return total + current, end


def _leading(tokens: list[str]) -> tuple[int, int] | None:
    """A quantity at the start of tokens: (value, how many tokens it used)."""
    if not tokens:
        return None
    first = tokens[0]
    second = tokens[1] if len(tokens) > 1 else ""
    third = tokens[2] if len(tokens) > 2 else ""
    if first in ("media", "medio") and second in ("docena", "dozen"):
        return 6, 2
    if first == "half":
        if second == "dozen":
            return 6, 2
        if second in ("a", "an") and third == "dozen":
            return 6, 3
        return None
    if first in ("a", "an") and second in ("dozen", "couple", "pair", "hundred", "thousand"):
        if second in ("hundred", "thousand"):
            parsed = _words(["one", *tokens[1:]], 0)
            return (parsed[0], parsed[1]) if parsed else None
        return _GROUPS[second], 2
    if first in ("couple", "pair", "docena", "dozen", "par"):
        return _GROUPS[first], 1
    digits = _digits(first)
    if digits is not None:
        value, used = digits, 1
    else:
        parsed = _words(tokens, 0)
        if parsed is None:
            return None
        value, used = parsed
    if used < len(tokens) and tokens[used] in _GROUPS:
        value, used = value * _GROUPS[tokens[used]], used + 1
    return value, used


def leading_number(text: str) -> tuple[int, str] | None:
    """The quantity that opens `text` and the words after it, or None.

    >>> leading_number("una docena de focos")
    (12, 'de focos')
    """
    tokens = _tokens(text)
    found = _leading(tokens)
    if found is None:
        return None
    value, used = found
    return value, " ".join(tokens[used:])


def parse_number(text: str) -> int | None:
    """`text` is a quantity and nothing else: '3', 'tres', 'twenty-one', 'media docena'."""
    found = leading_number(text)
    if found is None or found[1]:
        return None
    return found[0]


def is_number_word(word: str) -> bool:
    return fold(word) in NUMBER_WORDS or bool(_DIGITS.fullmatch(word))


def leading_amount(text: str) -> tuple[Decimal, int] | None:
    """A money amount opening folded `text` ('$50', '12.50', 'cien') and the characters it used."""
    m = _AMOUNT.match(text)
    if m:
        return Decimal(m[1].replace(",", "")), m.end()
    found = leading_number(text)
    if found is None:
        return None
    return Decimal(found[0]), len(text) - len(found[1])
