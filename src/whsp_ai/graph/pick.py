"""Picking from the list just shown: 'el más barato', 'the biggest', 'la de 4 litros', 'the
glass one', 'el que tiene supresor'. Prices come from the database; sizes from the names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import Product
from whsp_ai.db.repositories import products
from whsp_ai.graph.state import ShownItem
from whsp_ai.nlu import lexicon
from whsp_ai.nlu.models import SearchFilters
from whsp_ai.text.fold import fold
from whsp_ai.text.search import tokens
from whsp_ai.tools.catalog import search_products

# Words that only point: 'the glass one', 'el de 4 litros', 'la más barata'.
POINTING = lexicon.words("one ones uno una el la los las lo the de del of that a an")
_ONE = lexicon.words("one ones uno una")
PREFIX = 4  # 'ahumado' meets 'ahumados', 'smoky' meets 'smoked'

# A size in a product's name, in one unit per kind: volumes in ml, weights in g, lengths in mm.
_SIZE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(ml|l|g|kg|oz|w|mm|cm|m|\"|in)(?![a-z])")
_UNIT: dict[str, tuple[str, Decimal]] = {
    "ml": ("ml", Decimal(1)),
    "l": ("ml", Decimal(1000)),
    "g": ("g", Decimal(1)),
    "kg": ("g", Decimal(1000)),
    "oz": ("oz", Decimal(1)),
    "w": ("w", Decimal(1)),
    "mm": ("mm", Decimal(1)),
    "cm": ("mm", Decimal(10)),
    "m": ("mm", Decimal(1000)),
    '"': ("in", Decimal(1)),
    "in": ("in", Decimal(1)),
}


@dataclass(frozen=True)
class Picked:
    """What the words picked: one product, several (ask which), or none of the list."""

    products: list[Product]
    sizes_unknown: bool = False
    # pointing words that name nothing of the list ('el que tiene supresor'): search these
    query: str | None = None


def size_of(name: str) -> tuple[str, Decimal] | None:
    """The last size written in a name ('Pintura vinílica blanca 19 L' → ml, 19000)."""
    found = _SIZE.findall(fold(name))
    if not found:
        return None
    number, unit = found[-1]
    kind, factor = _UNIT[unit]
    return kind, Decimal(number.replace(",", ".")) * factor


def _meets(word: str, words: set[str]) -> bool:
    return any(w == word or (len(w) >= PREFIX and w[:PREFIX] == word[:PREFIX]) for w in words)


def _describes(product: Product, said: list[str]) -> bool:
    """Every word said is in the product's name, another name, category or description."""
    own = set(tokens(" ".join([product.name, *product.aliases, product.category or ""])))
    own |= set(tokens(product.description or ""))
    return all(_meets(w, own) for w in said)


def _extreme(found: list[Product], key: dict[int, Decimal], biggest: bool) -> list[Product]:
    best = (max if biggest else min)(key[p.id or 0] for p in found if (p.id or 0) in key)
    return [p for p in found if key.get(p.id or 0) == best]


def _by_size(found: list[Product], biggest: bool) -> Picked:
    sized = {p.id or 0: s for p in found if (s := size_of(p.name))}
    kinds = [kind for kind, _ in sized.values()]
    if len(sized) < 2:
        return Picked(found, sizes_unknown=True)
    kind = max(set(kinds), key=kinds.count)  # brushes in inches beside a thinner in ml
    values = {pid: v for pid, (k, v) in sized.items() if k == kind}
    return Picked(_extreme([p for p in found if (p.id or 0) in values], values, biggest))


async def pick(
    session: AsyncSession, *, business_id: int, text: str, shown: list[ShownItem]
) -> Picked | None:
    """The product(s) of the list `shown` that the words pick; None when they don't point
    at the list (a search); products=[] with `query` when they point but name something else."""
    if not shown:
        return None
    plain = re.sub(r"['’`´]", "", fold(text))  # "what's" is one word
    cheaper = lexicon.CHEAPER_RE.search(plain)
    cheap = lexicon.CHEAP_RE.search(plain)
    pricey = lexicon.PRICEY_RE.search(plain)
    big = lexicon.BIGGEST_RE.search(plain)
    small = lexicon.SMALLEST_RE.search(plain)
    for m in (cheaper, cheap, pricey, big, small):
        if m is not None:
            plain = plain.replace(m.group(), " ")
    words = re.findall(r"[a-z0-9.]+", plain)
    rest = [w for w in words if w not in POINTING and w not in lexicon.PICK_FILLER]
    ranked = any((cheap, pricey, big, small))
    # 'the glass one', 'el que tiene supresor', 'la más grande' point; 'sencha' and 'any
    # news on the oriental beauty' are searches
    pointing = bool(words) and (words[0] in POINTING or bool(_ONE & set(words)))
    if not (pointing or ranked or cheaper):
        return None
    said = tokens(" ".join(rest))
    found = [
        p
        for item in shown
        if (p := await products.by_sku(session, business_id=business_id, sku=item["sku"]))
    ]
    if cheaper and len(found) == 1 and not said:
        return Picked(await _cheaper_than(session, found[0]))
    if said:
        found = [p for p in found if _describes(p, said)]
        if not found:
            return Picked([], query=" ".join(rest))
    if not found or (len(shown) < 2 and not ranked):
        return None
    if cheap or pricey:
        prices = {p.id or 0: p.price for p in found}
        return Picked(_extreme(found, prices, biggest=pricey is not None and cheap is None))
    if big or small:
        return _by_size(found, biggest=big is not None)
    if not said:
        return None
    return Picked(found)


async def _cheaper_than(session: AsyncSession, product: Product) -> list[Product]:
    """Products of the same category that cost less, cheapest first."""
    filters = SearchFilters(
        category=product.category, max_price=product.price - Decimal("0.01"), sort="cheapest"
    )
    result = await search_products(
        session, business_id=product.business_id, query=None, filters=filters, limit=8
    )
    found = [
        p
        for hit in result.hits
        if (p := await products.by_sku(session, business_id=product.business_id, sku=hit.sku))
    ]
    return found
