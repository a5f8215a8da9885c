"""Message text as the rules see it: folded, cut, punctuation reduced; and its language."""

from __future__ import annotations

import re
from typing import Literal

from whsp_ai.nlu import lexicon as lx
from whsp_ai.text.fold import fold

# Rules only need the start of a message; cutting keeps every regex fast on pasted essays.
MAX_CHARS = 600

NEWLINES = re.compile(r"[\r\n]+")
QUOTES = re.compile(r"['’‘`´]")
NUMERO = re.compile(r"\b(?:no\.|n°)\s*(?=\d)")
SENTENCE = re.compile(r"[!?]+|\.(?=\s|$)|\.{2,}")
COMMA = re.compile(r"(?<!\d),|,(?!\d)")
DASH = re.compile(r"\s[-–—]+\s")
JUNK = re.compile(r"[^a-z0-9\s$#/.,;%&+<>°-]")
SPACES = re.compile(r"\s+")
SPANISH_MARKS = re.compile(r"[ñ¿¡áéíóú]")


def normalize(raw: str) -> str:
    """Folded text with sentence ends as ' ; ', commas as ' , ' and other symbols dropped."""
    text = fold(NEWLINES.sub(" ; ", raw[:MAX_CHARS]))
    text = NUMERO.sub("numero ", QUOTES.sub("", text))
    text = SENTENCE.sub(" ; ", text.replace("¿", " ").replace("¡", " "))
    text = DASH.sub(" , ", COMMA.sub(" , ", text))
    return SPACES.sub(" ", JUNK.sub(" ", text)).strip(" ,;")


def plain(text: str) -> str:
    return lx.SEPARATORS_RE.sub(" ", text).strip()


def language(plain: str, raw: str) -> Literal["es", "en"] | None:
    words = plain.split()
    es = sum(w in lx.SPANISH_WORDS for w in words) + bool(SPANISH_MARKS.search(raw.lower()))
    en = sum(w in lx.ENGLISH_WORDS for w in words)
    if es > en:
        return "es"
    return "en" if en > es else None
