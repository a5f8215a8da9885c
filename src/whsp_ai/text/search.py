"""How product text and customer words are normalized for search, on both sides.

Accents and case are folded (the embedded Postgres has no `unaccent`), prices a customer
states are dropped, sizes are written one way ("4 litros" = "4L" = "4000ml"), and words are
reduced to a crude singular before Postgres's own Spanish/English stemmer sees them. The
same functions build the stored search columns and the query, so the two always agree.
"""

from __future__ import annotations

import re
import zlib
from array import array
from functools import lru_cache
from math import sqrt
from typing import TypedDict

from whsp_ai.text.fold import fold

_TOKEN = re.compile(r"[a-z0-9]+(?:[./][0-9]+)?")
# "agrega 1 martillo a $1": a price the customer states never names (or prices) a product.
_PRICE = re.compile(
    r"(?:\b(?:a|por|at|for)\s+)?(?:\$\s*\d[\d.,]*|\b\d[\d.,]*\s*(?:pesos|dolares|dollars|usd|mxn)\b)"
)
STOPWORDS = frozenset(
    [
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "un",
        "una",
        "unos",
        "unas",
        "al",
        "para",
        "con",
        "sin",
        "y",
        "o",
        "en",
        "por",
        "que",
        "the",
        "a",
        "an",
        "of",
        "for",
        "with",
        "and",
        "or",
        "in",
        "some",
        "any",
        "to",
        "my",
        "me",
        # words around what people want, never what they want
        "your",
        "our",
        "something",
        "anything",
        "algo",
        "cosa",
        "cosas",
        "tienen",
        "tienes",
        "venden",
        "vendes",
        "have",
        "sell",
    ]
)


# One spelling for words people write two ways (US/UK English, Spanish loanwords).
_SPELLING = {
    "gray": "grey",
    "colour": "color",
    "colours": "colors",
    "flavour": "flavor",
    "flavours": "flavors",
    "aluminium": "aluminum",
    "camomile": "chamomile",
    "kettel": "kettle",
}


def stem(token: str) -> str:
    """Crude Spanish/English singular: focos→foco, desarmadores→desarmador, teapots→teapot."""
    if len(token) > 4 and token.endswith("es") and token[-3] in "rlndzj":
        return token[:-2]
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


# Sizes people write many ways: "4 L", "4L", "4 litros", "4000 ml" are one token, "4000ml";
# "100 gr", "100 grams" are "100g". Volumes become ml and weights g, so units compare exactly.
_UNITS = {
    "ml": ("ml", 1),
    "mililitro": ("ml", 1),
    "mililitros": ("ml", 1),
    "l": ("ml", 1000),
    "lt": ("ml", 1000),
    "lts": ("ml", 1000),
    "litro": ("ml", 1000),
    "litros": ("ml", 1000),
    "liter": ("ml", 1000),
    "liters": ("ml", 1000),
    "litre": ("ml", 1000),
    "litres": ("ml", 1000),
    "g": ("g", 1),
    "gr": ("g", 1),
    "grs": ("g", 1),
    "gramo": ("g", 1),
    "gramos": ("g", 1),
    "gram": ("g", 1),
    "grams": ("g", 1),
    "kg": ("g", 1000),
    "kilo": ("g", 1000),
    "kilos": ("g", 1000),
    "oz": ("oz", 1),
    "onza": ("oz", 1),
    "onzas": ("oz", 1),
    "ounce": ("oz", 1),
    "ounces": ("oz", 1),
    "w": ("w", 1),
    "watt": ("w", 1),
    "watts": ("w", 1),
    "in": ("in", 1),
    "pulgada": ("in", 1),
    "pulgadas": ("in", 1),
    "inch": ("in", 1),
    "inches": ("in", 1),
    '"': ("in", 1),
    "pulg": ("in", 1),
}
# "brocha de dos pulgadas": a number word right before a unit is that number.
_NUMBER_WORDS = {
    "un": 1,
    "una": 1,
    "uno": 1,
    "one": 1,
    "a": 1,
    "dos": 2,
    "two": 2,
    "tres": 3,
    "three": 3,
    "cuatro": 4,
    "four": 4,
    "cinco": 5,
    "five": 5,
    "seis": 6,
    "six": 6,
    "ocho": 8,
    "eight": 8,
    "diez": 10,
    "ten": 10,
    "doce": 12,
    "twelve": 12,
    "medio": 0.5,
    "half": 0.5,
}
_WORD_SIZE = re.compile(
    r"\b("
    + "|".join(_NUMBER_WORDS)
    + r")\s+(?=("
    + "|".join(sorted((re.escape(u) for u in _UNITS if u.isalpha()), key=len, reverse=True))
    + r")\b)"
)
_SIZE = re.compile(
    r"(?<![\w./])(\d+(?:[.,/]\d+)?)\s*("
    + "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
    + r")(?![a-z])"
)


def _size(match: re.Match[str]) -> str:
    unit, factor = _UNITS[match.group(2)]
    number = match.group(1)
    if "/" in number:  # 1/2": fractions of an inch stay as written
        return f" {number}{unit} "
    return f" {float(number.replace(',', '.')) * factor:g}{unit} "


@lru_cache(maxsize=65_536)
def _tokens(text: str) -> tuple[str, ...]:
    folded = _PRICE.sub(" ", fold(text))
    folded = _WORD_SIZE.sub(lambda m: f"{_NUMBER_WORDS[m.group(1)]:g} ", folded)
    cleaned = _SIZE.sub(_size, folded)
    words = (_SPELLING.get(w, w) for w in _TOKEN.findall(cleaned) if w not in STOPWORDS)
    return tuple(stem(w) for w in words)


def tokens(text: str) -> list[str]:
    """The words search compares: folded, sizes normalized, stopwords out, singular.

    Cached: product names are scored again and again.
    """
    return list(_tokens(text))


def has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


def is_plural(query: str) -> bool:
    """'focos', 'teapots': the customer is browsing a kind of product, not naming one."""
    words = [w for w in _TOKEN.findall(fold(query)) if w not in STOPWORDS]
    return any(stem(w) != w for w in words)


# --- what is stored per product -----------------------------------------------------------

GRAM_DIM = 256  # buckets of the hashed character-trigram vector (1 KiB per product)


def grams_vector(text: str) -> list[float] | None:
    """A unit vector of hashed character trigrams of each word: typo-tolerant by cosine.

    "desarmadr" and "desarmador" share most trigrams, so they are near neighbours; sizes and
    other words with digits count as one whole feature, so "4000ml" never looks like "400ml".
    None when the text has no words (a zero vector has no cosine).
    """
    counts = array("f", bytes(4 * GRAM_DIM))
    for token in tokens(text):
        if has_digit(token):
            counts[zlib.crc32(f"#{token}".encode()) % GRAM_DIM] += 1.0
            continue
        padded = f" {token} "
        for i in range(len(padded) - 2):
            counts[zlib.crc32(padded[i : i + 3].encode()) % GRAM_DIM] += 1.0
    norm = sqrt(sum(c * c for c in counts))
    if norm == 0:
        return None
    return [round(c / norm, 5) for c in counts]


def vector_literal(vector: list[float] | None) -> str | None:
    """pgvector's text form, so a raw SQL parameter can be CAST(... AS vector)."""
    if vector is None:
        return None
    return "[" + ",".join(f"{v:g}" for v in vector) + "]"


class SearchFields(TypedDict):
    search_names: str
    search_category: str
    search_text: str
    name_grams: list[float] | None


def product_search_fields(
    name: str, aliases: list[str], category: str | None, description: str
) -> SearchFields:
    """The stored search columns of a product, written wherever its text is written.

    A trigger turns the three text columns into the weighted tsvector (names A, category B,
    description D) with the business language's configuration, and clears the embedding
    when they change so the background job computes it again.
    """
    names = " | ".join([name, *aliases])
    return {  # the keys are Product's column names
        "search_names": " ".join(tokens(names)),
        "search_category": " ".join(tokens(category or "")),
        "search_text": " ".join(tokens(description)),
        "name_grams": grams_vector(names),
    }


def embedding_text(name: str, aliases: list[str], category: str | None, description: str) -> str:
    """What the embeddings model reads for a product: its own words, unnormalized."""
    parts = [name]
    if aliases:
        parts.append(", ".join(aliases))
    if category:
        parts.append(category)
    if description:
        parts.append(description)
    return ". ".join(parts)


def ts_query(words: list[str], *, weight: str = "", join: str = " | ") -> str:
    """A to_tsquery() source from normalized tokens: each quoted, optionally weight-restricted."""
    return join.join(f"'{w}'{':' + weight if weight else ''}" for w in words if w)
