"""Catalog search: accent-insensitive, plural- and typo-tolerant, over names and aliases.

Filters (price, category, stock) run in SQL; ranking runs in Python with rapidfuzz over
the filtered rows. That is fine for the catalogs of up to a few thousand products this
version targets; the search issue replaces the ranking with indexed full-text and fuzzy
search that keeps the same function signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rapidfuzz import fuzz
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Product, ProductStatus
from whsp_ai.db.text import fold
from whsp_ai.nlu.models import SearchFilters

Confidence = Literal["exact", "likely", "weak", "none"]

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
    ]
)
_LIKELY, _WEAK = 0.8, 0.62


@dataclass(frozen=True, slots=True)
class ProductHit:
    id: int
    sku: str
    name: str
    description: str
    price: Decimal
    stock: int | None
    category: str | None
    status: str
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[ProductHit]
    confidence: Confidence

    @property
    def best(self) -> ProductHit | None:
        return self.hits[0] if self.hits else None


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


def tokens(text: str) -> list[str]:
    folded = _PRICE.sub(" ", fold(text))
    folded = _WORD_SIZE.sub(lambda m: f"{_NUMBER_WORDS[m.group(1)]:g} ", folded)
    cleaned = _SIZE.sub(_size, folded)
    return [stem(w) for w in _TOKEN.findall(cleaned) if w not in STOPWORDS]


def _has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


def is_plural(query: str) -> bool:
    """'focos', 'teapots': the customer is browsing a kind of product, not naming one."""
    words = [w for w in _TOKEN.findall(fold(query)) if w not in STOPWORDS]
    return any(stem(w) != w for w in words)


def _token_similarity(query_token: str, field_tokens: list[str]) -> float:
    best = 0.0
    for token in field_tokens:
        if token == query_token:
            return 1.0
        if _has_digit(query_token) or _has_digit(token):
            continue  # numbers and sizes must match exactly: 4 L is not 19 L
        if len(query_token) >= 5 and len(token) >= 4:
            best = max(best, fuzz.ratio(query_token, token) / 100)
        elif len(query_token) >= 3 and token.startswith(query_token):
            best = max(best, 0.85)
    return best if best >= 0.75 else 0.0


def score_text(query_tokens: list[str], query_folded: str, field: str) -> float:
    folded = fold(field)
    if folded == query_folded:
        return 1.0
    field_tokens = tokens(field)
    if not query_tokens or not field_tokens:
        return 0.0
    matched = [_token_similarity(q, field_tokens) for q in query_tokens]
    recall = sum(matched) / len(query_tokens)
    # Words of the product the query didn't mention lower the score a little, so
    # "pintura blanca" prefers "Pintura blanca 4 L" over "Pintura blanca para exteriores 19 L".
    coverage = sum(1 for m in matched if m > 0) / len(field_tokens)
    return 0.9 * recall + 0.1 * min(1.0, coverage)


def score_product(query: str, product: Product) -> float:
    query_folded = fold(query)
    query_tokens = tokens(query)
    names = [product.name, *product.aliases]
    best = max(score_text(query_tokens, query_folded, n) for n in names)
    if best < _LIKELY:
        extra = f"{product.category or ''} {product.description}"
        best = max(best, 0.7 * score_text(query_tokens, query_folded, extra))
    return best


async def search_products(
    session: AsyncSession,
    *,
    business_id: int,
    query: str | None,
    filters: SearchFilters | None = None,
    limit: int = 5,
) -> SearchResult:
    """Products of one business matching `query` and `filters`, best first, never rejected ones."""
    filters = filters or SearchFilters()
    stmt = select(Product).where(
        Product.business_id == business_id, Product.status != ProductStatus.rejected.value
    )
    if filters.max_price is not None:
        stmt = stmt.where(col(Product.price) <= filters.max_price)
    if filters.min_price is not None:
        stmt = stmt.where(col(Product.price) >= filters.min_price)
    if filters.in_stock:
        stmt = stmt.where((col(Product.stock).is_(None)) | (col(Product.stock) > 0))
    rows = list((await session.execute(stmt)).scalars())
    if filters.category:
        wanted = stem(fold(filters.category))
        rows = [p for p in rows if p.category and stem(fold(p.category)) == wanted]

    if query and tokens(query):
        scored = [(score_product(query, p), p) for p in rows]
        scored = [(s, p) for s, p in scored if s >= _WEAK]
    elif filters.category or filters.max_price is not None or filters.min_price is not None:
        scored = [(1.0, p) for p in rows]  # a pure filter search: everything that passes
    else:
        scored = []
    if filters.sort == "cheapest":
        scored.sort(key=lambda sp: (-round(sp[0], 1), sp[1].price, sp[1].name))
    elif filters.sort == "priciest":
        scored.sort(key=lambda sp: (-round(sp[0], 1), -sp[1].price, sp[1].name))
    else:
        scored.sort(key=lambda sp: (-sp[0], sp[1].name))
    hits = [_hit(p, s) for s, p in scored[:limit]]
    return SearchResult(hits, _confidence(hits))


def _confidence(hits: list[ProductHit]) -> Confidence:
    if not hits:
        return "none"
    top = hits[0].score
    if top >= 0.999:
        return "exact"
    return "likely" if top >= _LIKELY else "weak"


def _hit(p: Product, score: float) -> ProductHit:
    assert p.id is not None
    return ProductHit(
        p.id, p.sku, p.name, p.description, p.price, p.stock, p.category, p.status, score
    )
