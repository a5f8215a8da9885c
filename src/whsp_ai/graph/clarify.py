"""Asking instead of acting: when a reading is too unclear for an effect (issue 13).

An effect (a cart change, a request to the owner, an address, an order) happens only on a
clear reading. These pure helpers say whether a reading is clear enough to ask the owner
for a missing product, and what the customer hears instead when it is not.
"""

from __future__ import annotations

import math
import re

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.graph.state import State
from whsp_ai.messages import replies
from whsp_ai.messages.limits import BUTTON_ID_MAX
from whsp_ai.messages.replies import Reply
from whsp_ai.nlu.models import Understanding
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.search.embeddings import QueryEmbedder
from whsp_ai.text.fold import fold
from whsp_ai.tools.catalog import ProductHit, search_products

CLEAR = 0.7  # the understanding's confidence at or above which an effect may happen
ASK_OWNER = "ask_owner:"  # the button that turns an unclear request into a clear one


def clear(u: Understanding) -> bool:
    return u.confidence >= CLEAR


def may_ask_owner(state: State, u: Understanding) -> bool:
    """A `new_product` request: only for a product asked for clearly, never while checkout
    waits for an answer, never for words that read as an address."""
    return state.get("checkout") is None and clear(u) and not u.is_address


def not_found(state: State, query: str, lang: Lang, business: str) -> Reply:
    """Nothing like `query` in the catalog, and no request raised: outside checkout, offer
    to ask the owner (one tap); at checkout, say so and let the step ask again."""
    if state.get("checkout") is not None:
        return replies.text(t("search_none_quiet", lang, query=query))
    body = t("search_none_offer", lang, query=query, business=business)
    button = (ASK_OWNER + query)[:BUTTON_ID_MAX]
    return replies.buttons(body, [(button, t("btn_ask_owner", lang))])


_PACK = re.compile(
    r"\((?P<unit>bolsa|caja|paquete|pack|sobre|rollo)\s+(?:de\s+)?(?P<n>\d+)\)"
    r"|\((?P<n2>\d+)\s*(?P<unit2>pack|pcs|pieces|piezas|pzas)\)",
    re.IGNORECASE,
)
_PACK_WORDS = re.compile(
    r"\b(?:bolsas?|cajas?|paquetes?|packs?|sobres?|rollos?|packets?|boxes|box|bags? of)\b"
)


def pack_size(name: str) -> int | None:
    """Pieces per sale unit, from the product's own name: 'Pija … (bolsa 50)' → 50."""
    m = _PACK.search(name)
    if m is None:
        return None
    n = int(m["n"] or m["n2"])
    return n if n > 1 else None


def counts_pieces(text: str, quantity: int | None, name: str) -> int | None:
    """The pack size when the customer counted pieces of a product sold in packs ('ocupo 10
    tornillos' for a bag of 50): then the agent asks rather than adding 10 bags."""
    size = pack_size(name)
    if size is None or quantity is None or quantity < 2 or _PACK_WORDS.search(fold(text)):
        return None
    return size


def ask_packs(sku: str, name: str, quantity: int, size: int, lang: Lang) -> Reply:
    """'Pija … se vende en bolsa de 50: ¿1 bolsa o 10 bolsas?' with a button for each."""
    packs = max(1, math.ceil(quantity / size))
    body = t("ask_packs", lang, name=name, size=size, quantity=quantity, packs=packs)
    choices = [(f"add:{sku}:{packs}", t("btn_packs", lang, n=packs))]
    if packs != quantity:
        choices.append((f"add:{sku}:{quantity}", t("btn_packs", lang, n=quantity)))
    return replies.buttons(body, choices)


_FILLER = frozenset(
    [
        "para",
        "with",
        "from",
        "that",
        "this",
        "those",
        "these",
        "there",
        "them",
        "ones",
        "like",
        "lista",
        "list",
        "tiene",
        "tienen",
        "have",
        "some",
        "unos",
        "unas",
        "algo",
        "algun",
        "alguna",
        "please",
        "porfa",
        "favor",
    ]
)


async def something_like(
    session: AsyncSession, business_id: int, query: str, embedder: QueryEmbedder | None
) -> list[ProductHit]:
    """Products that one word of `query` names ('brochas' of 'brochas tiene'): when there
    are any, the catalog has something like it, so the customer picks instead of the owner
    being asked (CONTRACT §6: a request only when the catalog has nothing like it)."""
    found: dict[str, ProductHit] = {}
    words = [w for w in fold(query).split() if len(w) >= 4 and w.isalpha() and w not in _FILLER]
    for word in words:  # every word that names something must name something we carry
        result = await search_products(
            session, business_id=business_id, query=word, limit=5, embedder=embedder
        )
        if result.confidence not in ("exact", "likely"):
            return []
        for hit in result.hits:
            found.setdefault(hit.sku, hit)
    return list(found.values())[:8]
