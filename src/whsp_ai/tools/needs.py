"""Needs: 'algo para colgar cuadros', 'something for a cold' are searched in what products
are for (descriptions and categories as well as names), never as a product name.

Each word of the need is a concept, widened by search/words.yaml ("colgar" → clavo,
taquete) and the other language's word. Postgres finds the products with any of them (its
stemmer, the GIN index); Python then counts the concepts each product meets, word by word,
and the products that meet most (in their names first, and by the rarer words) answer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.nlu import lexicon
from whsp_ai.search import words as vocabulary
from whsp_ai.text.search import has_digit, tokens, ts_query
from whsp_ai.tools.catalog import ProductHit, hit_from_row

MAX_CONCEPTS = 8  # a long message: its first words are enough
CANDIDATES = 60  # ranked by Postgres, scored here
RANK_POOL = 400  # as catalog.py: ranking every "any word" match of a huge catalog costs
PREFIX = 4  # "pintar" meets "pintura", "podar" meets "poda"; "matar" never meets "mate"

# The candidates (any word of any concept), and how many products each concept's words
# match: a word most products have ("agua") says less than a rare one ("excusado").
_NEED = f"""
WITH q AS MATERIALIZED (
  SELECT whsp_ts_config(b.language) AS cfg,
         to_tsquery(whsp_ts_config(b.language), :any_word) AS any_word
  FROM businesses b WHERE b.id = :business_id
)
SELECT p.id, p.sku, p.name, p.aliases, p.description, p.price, p.stock, p.category,
       p.status, ts_rank(p.search_vector, q.any_word) AS rank,
       (SELECT array_agg(( SELECT count(*) FROM products c
                           WHERE c.business_id = :business_id AND c.status <> 'rejected'
                             AND c.search_vector @@ to_tsquery(q.cfg, x.concept)
                         ) ORDER BY x.n)
        FROM unnest(CAST(:concepts AS text[])) WITH ORDINALITY AS x(concept, n)) AS df
FROM q, LATERAL (
  SELECT * FROM products p
  WHERE p.business_id = :business_id AND p.status <> 'rejected'
    AND p.search_vector @@ q.any_word
  LIMIT {RANK_POOL}
) p
ORDER BY rank DESC, p.id
LIMIT {CANDIDATES}
"""  # noqa: S608  (only constants are interpolated; values are bound)


@dataclass(frozen=True, slots=True)
class NeedHit:
    hit: ProductHit
    reason: str  # the description's words that say what it is for ('' when none)


def need_concepts(query: str, language: str) -> list[list[str]]:
    """Each word of a need that can name a product, with the words it points to (other
    language, search/words.yaml): "colgar cuadros" → [colgar, clavo, taquete…], [cuadro…]."""
    framing = {t for w in lexicon.NEED_FILLER for t in tokens(w)}
    said = [w for w in tokens(query) if w not in framing and not has_digit(w)]
    concepts = []
    for w in list(dict.fromkeys(said))[:MAX_CONCEPTS]:
        alike = [w, *vocabulary.expand_need([w])[1:], *vocabulary.translate([w], language)]
        concepts.append(list(dict.fromkeys(alike)))
    return concepts


def _meets(concept: list[str], words: set[str]) -> bool:
    """Whether any word of the concept is (or shares its first letters with) one of `words`."""
    return any(
        w == c or (len(c) >= PREFIX and len(w) >= PREFIX and w[:PREFIX] == c[:PREFIX])
        for c in concept
        for w in words
    )


async def find_for_need(
    session: AsyncSession, *, business_id: int, query: str, language: str, limit: int = 5
) -> list[NeedHit]:
    """Products that serve a need, best first; [] when nothing does."""
    concepts = need_concepts(query, language)
    if not concepts:
        return []
    all_words = list(dict.fromkeys(w for c in concepts for w in c))
    params: dict[str, Any] = {
        "business_id": business_id,
        "any_word": ts_query(all_words),
        "concepts": [ts_query(c) for c in concepts],
    }
    rows = (await session.execute(text(_NEED), params)).all()
    if not rows:
        return []
    total = max(max(r.df or [1]) for r in rows) * 2  # a floor for the rarity of a word
    scored = []
    for row in rows:
        named = set(tokens(" ".join([row.name, *row.aliases, row.category or ""])))
        described = set(tokens(row.description or ""))
        met = [i for i, c in enumerate(concepts) if _meets(c, named | described)]
        if not met:
            continue
        strong = sum(1 for i in met if _meets(concepts[i], named))
        rarity = sum(math.log(total / max(1, (row.df or [])[i] if row.df else 1)) for i in met)
        scored.append(((len(met), strong, rarity, float(row.rank)), row))
    if not scored:
        return []
    scored.sort(key=lambda s: s[0], reverse=True)
    top = scored[0][0]
    # A need met by at most half its words, and only in passing in a description, is a
    # coincidence of words, not an answer.
    if top[0] * 2 <= len(concepts) and not top[1]:
        return []
    # Only the products that meet the need best: "limpiar brochas" finds the thinner (both
    # words), not every brush (one of them).
    chosen = [row for key, row in scored if key[:2] == top[:2]][:limit]
    return [NeedHit(hit_from_row(r, top[0]), reason(r.description, all_words)) for r in chosen]


def reason(description: str, words: list[str]) -> str:
    """The part of the description that says why (a short quote), or '' when none does."""
    if not description:
        return ""
    clauses = [c.strip() for c in re.split(r"[,;.]", description) if c.strip()]
    for clause in clauses:
        if any(_meets([w], set(tokens(clause))) for w in words):
            return _short(clause)
    return ""


def _short(clause: str, limit: int = 70) -> str:
    return clause if len(clause) <= limit else clause[: limit - 1].rstrip() + "…"
