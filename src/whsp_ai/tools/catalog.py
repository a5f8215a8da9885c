"""Catalog search: what the search node, product mentions and the tools all stand on.

Retrieval is SQL (see search_products); the words are normalized by whsp_ai.text.search on
both sides; a small Python scorer over the fused few sets the confidence.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.nlu.models import SearchFilters
from whsp_ai.search import words as vocabulary
from whsp_ai.search.embeddings import QueryEmbedder
from whsp_ai.text.fold import fold
from whsp_ai.text.search import (
    grams_vector,
    has_digit,
    tokens,
    ts_query,
    vector_literal,
)

log = logging.getLogger(__name__)

Confidence = Literal["exact", "likely", "weak", "none"]

_LIKELY, _WEAK = 0.8, 0.62
_NAMED = 0.7  # the query contains one of the product's names among other words
PACKAGING = frozenset(
    ["rollo", "paquete", "bolsa", "caja", "pack", "bag", "box", "boxe"]  # singular, as tokens
)
HEAD_MISS = 0.15  # the words name a part of it, not what it is: a holder when asked a whisk


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


def _swapped(a: str, b: str) -> bool:
    """Two adjacent letters swapped, nothing else."""
    return sorted(a) == sorted(b) and OSA.distance(a, b) == 1


def _token_similarity(query_token: str, field_tokens: list[str]) -> float:
    best = 0.0
    for token in field_tokens:
        if token == query_token:
            return 1.0
        if has_digit(query_token) or has_digit(token):
            continue  # numbers and sizes must match exactly: 4 L is not 19 L
        if len(query_token) >= 5 and len(token) >= 4:
            best = max(best, fuzz.ratio(query_token, token) / 100)
        elif len(query_token) == 4 == len(token) and _swapped(query_token, token):
            best = max(best, 0.85)  # "gery" for "grey": short words forgive a swap only
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


def score_product(
    query_tokens: list[str],
    query_folded: str,
    name: str,
    aliases: list[str],
    category: str | None,
    description: str,
) -> float:
    """How well the customer's words name this product, 0..1 (1: its exact name or alias)."""
    names = [name, *aliases]
    best = max(score_text(query_tokens, query_folded, n) for n in names)
    if best < _LIKELY and aliases:
        # "hourglass for steeping": words from two of its names still name it.
        best = max(best, 0.92 * score_text(query_tokens, query_folded, " ".join(names)))
    if best < _LIKELY and _says_a_name(query_tokens, names):
        # "breaker para centro de carga": it says one of the product's names, with words the
        # catalog doesn't know around it; offer it ("did you mean…"), don't assume it.
        best = max(best, _NAMED)
    if best < _LIKELY:
        extra = f"{category or ''} {description}"
        best = max(best, 0.7 * score_text(query_tokens, query_folded, extra))
    return best


# Each retriever keeps its best CANDIDATES rows (filters applied in SQL); reciprocal rank
# fusion (k = RRF_K) merges them and the best FUSED rows come back in the same round trip.
CANDIDATES, FUSED, RRF_K = 40, 24, 60
# Full text asks for all the words; only if no product has them all, for all but one (when
# there are three or more: one typo or stray word); only if still nothing, for any word. Each
# ranks at most RANK_POOL matching rows: on a 100k catalog "any word" can match tens of
# thousands, and ranking them all is what costs (550 ms for 31k rows, measured).
RANK_POOL = 400
BROWSE_POOL = 200
MAX_WORDS = 8  # a longer message is not a product name; its first words are enough
# A product found only by meaning (no shared words) is at most a "did you mean…" (weak).
SEMANTIC_MIN, SEMANTIC_MAX = 0.6, _LIKELY - 0.01
QUERY_EMBED_TIMEOUT_S = 1.5

# Filters every retriever applies, with the business: NULL parameters switch a filter off,
# and Postgres folds them away when it plans with the actual values.
_FILTERS = """
      p.business_id = CAST(:business_id AS bigint)
  AND p.status <> 'rejected'
  AND (CAST(:max_price AS numeric) IS NULL OR p.price <= :max_price)
  AND (CAST(:min_price AS numeric) IS NULL OR p.price >= :min_price)
  AND (NOT :in_stock OR p.stock IS NULL OR p.stock > 0)
  AND (q.category IS NULL OR p.search_vector @@ q.category)"""

_NONE_FROM_ALL = "NOT EXISTS (SELECT FROM all_words)"


def _words_tier(name: str, runs_when: str) -> str:
    """One full-text tier: the best of at most RANK_POOL products matching tsquery q.<name>."""
    return f"""{name} AS (
  SELECT m.id, row_number() OVER (ORDER BY ts_rank_cd(m.search_vector, q.{name}) DESC, m.id) AS r
  FROM q, LATERAL (
    SELECT p.id, p.search_vector FROM products p
    WHERE p.search_vector @@ q.{name} AND {_FILTERS} LIMIT {RANK_POOL}
  ) m
  WHERE {runs_when}
  ORDER BY r LIMIT {CANDIDATES}
)"""  # noqa: S608  (only constants are interpolated; values are bound)


_QUERY = f"""
WITH q AS MATERIALIZED (  -- the tsqueries are parsed once, not per row
  SELECT to_tsquery(whsp_ts_config(b.language), :all_words) AS all_words,
         to_tsquery(whsp_ts_config(b.language), :most_words) AS most_words,
         to_tsquery(whsp_ts_config(b.language), :any_word) AS any_word,
         CASE WHEN :category = '' THEN NULL
              ELSE to_tsquery(whsp_ts_config(b.language), :category) END AS category
  FROM businesses b WHERE b.id = :business_id
),
{_words_tier("all_words", "TRUE")},
{_words_tier("most_words", _NONE_FROM_ALL + " AND :most_words <> ''")},
{_words_tier("any_word", _NONE_FROM_ALL + " AND NOT EXISTS (SELECT FROM most_words)")},
fuzzy AS (
  SELECT s.id, row_number() OVER (ORDER BY s.d, s.id) AS r FROM (
    SELECT p.id, p.name_grams <=> CAST(:grams AS vector) AS d
    FROM products p, q
    WHERE CAST(:grams AS vector) IS NOT NULL AND p.name_grams IS NOT NULL AND {_FILTERS}
      AND {_NONE_FROM_ALL}  -- when every word is in the catalog there is no typo to fix
    ORDER BY p.name_grams <=> CAST(:grams AS vector) LIMIT {CANDIDATES}
  ) s
),
semantic AS (
  SELECT s.id, s.d, row_number() OVER (ORDER BY s.d, s.id) AS r FROM (
    SELECT p.id, p.embedding <=> CAST(:embedding AS vector) AS d
    FROM products p, q
    WHERE CAST(:embedding AS vector) IS NOT NULL AND p.embedding IS NOT NULL AND {_FILTERS}
    ORDER BY p.embedding <=> CAST(:embedding AS vector) LIMIT {CANDIDATES}
  ) s
),
fused AS (
  SELECT u.id, sum(1.0 / ({RRF_K} + u.r)) AS rrf, min(u.d) AS semantic_distance
  FROM (
    SELECT id, r, NULL::float8 AS d FROM all_words
    UNION ALL SELECT id, r, NULL FROM most_words
    UNION ALL SELECT id, r, NULL FROM any_word
    UNION ALL SELECT id, r, NULL FROM fuzzy
    UNION ALL SELECT id, r, d FROM semantic
  ) u
  GROUP BY u.id ORDER BY rrf DESC, u.id LIMIT {FUSED}
)
SELECT p.id, p.sku, p.name, p.aliases, p.description, p.price, p.stock, p.category, p.status,
       f.rrf, f.semantic_distance, b.language
FROM fused f JOIN products p ON p.id = f.id JOIN businesses b ON b.id = p.business_id
ORDER BY f.rrf DESC, p.id
"""  # noqa: S608  (only constants are interpolated; values are bound)

# No words, only filters ("qué pinturas tienen", "under $20"): everything that passes.
_BROWSE = f"""
WITH q AS MATERIALIZED (  -- the tsqueries are parsed once, not per row
  SELECT CASE WHEN :category = '' THEN NULL
              ELSE to_tsquery(whsp_ts_config(b.language), :category) END AS category
  FROM businesses b WHERE b.id = :business_id
)
SELECT * FROM (
  SELECT p.id, p.sku, p.name, p.aliases, p.description, p.price, p.stock, p.category, p.status,
         0.0 AS rrf, NULL AS semantic_distance
  FROM products p, q
  WHERE {_FILTERS}
  ORDER BY CASE WHEN :sort = 'cheapest' THEN p.price END ASC,
           CASE WHEN :sort = 'priciest' THEN p.price END DESC
  -- by price: walks the (business_id, price) index and stops; otherwise a few hundred of
  -- the matches, shown by name (a big category is browsed by narrowing it, not paging it)
  LIMIT CASE WHEN :sort IN ('cheapest', 'priciest') THEN :limit ELSE {BROWSE_POOL} END
) m
ORDER BY CASE WHEN :sort = 'cheapest' THEN m.price END ASC,
         CASE WHEN :sort = 'priciest' THEN m.price END DESC,
         m.name, m.id
LIMIT :limit
"""  # noqa: S608  (only constants are interpolated; values are bound)


def _all_but_one(words: list[str]) -> str:
    """Any all-but-one of three or more words ('' otherwise): one typo or stray word."""
    if len(words) < 3:
        return ""
    groups = [ts_query(words[:i] + words[i + 1 :], join=" & ") for i in range(len(words))]
    return " | ".join(f"({g})" for g in groups)


def _says_what_it_is(query_tokens: list[str], names: list[str], language: str) -> bool:
    """Whether the words name what the product is, by any of its names: "Bamboo Whisk" is a
    whisk, "Whisk Holder" a holder (English puts it last); "Brocha para pintura" is a brocha
    (Spanish puts it first). "a whisk" is then the whisk, and the holder only a runner-up."""
    for name in names:
        words = [w for w in tokens(name) if not has_digit(w)]
        head = words[-1] if language == "en" else words[0] if words else ""
        if head and any(_token_similarity(q, [head]) for q in query_tokens):  # "martiyos"
            return True
    return False


def _says_a_name(query_tokens: list[str], names: list[str]) -> bool:
    said = set(query_tokens)
    for n in names:
        words = tokens(n)
        if words and not any(has_digit(w) for w in words) and set(words) <= said:
            return True
    return False


async def search_products(
    session: AsyncSession,
    *,
    business_id: int,
    query: str | None,
    filters: SearchFilters | None = None,
    limit: int = 5,
    embedder: QueryEmbedder | None = None,
    fuzzy: bool = True,
) -> SearchResult:
    """Products of one business matching `query` and `filters` (see _search). When the
    words find nothing sure, they are tried once more in the catalog's language, where the
    offline vocabulary knows them ("paintbrushes" at a Spanish shop is "brocha")."""
    result = await _search(
        session,
        business_id=business_id,
        query=query,
        filters=filters,
        limit=limit,
        embedder=embedder,
        fuzzy=fuzzy,
    )
    if not query or result.confidence in ("exact", "likely"):
        return result
    if all(vocabulary.in_catalog_language(query, lang) is None for lang in ("es", "en")):
        return result  # no word the vocabulary knows: no second look (no extra query)
    language = (
        await session.execute(
            text("SELECT language FROM businesses WHERE id = :id"), {"id": business_id}
        )
    ).scalar_one_or_none()
    translated = vocabulary.in_catalog_language(query, language or "")
    if translated is None:
        return result
    again = await _search(
        session,
        business_id=business_id,
        query=translated,
        filters=filters,
        limit=limit,
        embedder=embedder,
        fuzzy=fuzzy,
    )
    better = _RANK[again.confidence] > _RANK[result.confidence]
    return again if better else result


_RANK: dict[Confidence, int] = {"none": 0, "weak": 1, "likely": 2, "exact": 3}


async def _search(
    session: AsyncSession,
    *,
    business_id: int,
    query: str | None,
    filters: SearchFilters | None = None,
    limit: int = 5,
    embedder: QueryEmbedder | None = None,
    fuzzy: bool = True,
) -> SearchResult:
    """Products of one business matching `query` and `filters`, best first, never rejected ones.

    One SQL round trip: full-text (weighted tsvector, the business language's stemmer),
    trigram-hash vectors (typos) and, when `embedder` is given, embeddings (meaning), each
    filtered in SQL and fused by reciprocal rank. The fused few are then scored against the
    customer's words to set the confidence: exact name or alias, likely, weak ("did you
    mean…"), or none (which feeds the new-product approval). `fuzzy=False` leaves the
    trigram retriever out (the benchmark compares with and without it).
    """
    filters = filters or SearchFilters()
    words = tokens(query or "")
    params: dict[str, Any] = {
        "business_id": business_id,
        "max_price": filters.max_price,
        "min_price": filters.min_price,
        "in_stock": bool(filters.in_stock),
        "category": ts_query(tokens(filters.category or ""), weight="B", join=" & "),
    }
    has_filters = bool(
        filters.category or filters.max_price is not None or filters.min_price is not None
    )
    if not words:
        if not has_filters and filters.sort not in ("cheapest", "priciest"):
            return SearchResult([], "none")
        stmt = text(_BROWSE).bindparams(sort=filters.sort or "", limit=limit)
        rows = (await session.execute(stmt, params)).all()
        hits = [hit_from_row(row, 1.0) for row in rows]
        return SearchResult(hits, _confidence(hits))

    unique = list(dict.fromkeys(words))[:MAX_WORDS]
    embedding = await _embed_query(embedder, query or "")
    params |= {
        "all_words": ts_query(unique, join=" & "),
        "most_words": _all_but_one(unique),
        # any one word: not a number or size alone, which thousands of products share
        "any_word": ts_query([w for w in unique if not has_digit(w)] or unique),
        "grams": vector_literal(grams_vector(query or "")) if fuzzy else None,
        "embedding": vector_literal(embedding),
    }
    rows = (await session.execute(text(_QUERY), params)).all()
    # "2 cajas de tornillos": how it comes packed is not what it is
    said, folded = [w for w in words if w not in PACKAGING] or words, fold(query or "")
    kinds = [w for w in said if not has_digit(w)]  # "el de 4 litros" names no kind of thing
    scored = []
    for row in rows:
        score = score_product(said, folded, row.name, row.aliases, row.category, row.description)
        names = [row.name, *row.aliases]
        if _LIKELY <= score < 1.0 and kinds and not _says_what_it_is(kinds, names, row.language):
            score -= HEAD_MISS
        if row.semantic_distance is not None:
            similarity = 1.0 - float(row.semantic_distance)
            if similarity >= SEMANTIC_MIN:
                score = max(score, min(SEMANTIC_MAX, similarity))
        if score >= _WEAK:
            scored.append((round(score, 3), float(row.rrf), row))
    # "the cheapest teapot": every product that is a teapot (likely or better), by price
    if filters.sort == "cheapest":
        scored.sort(key=lambda s: (s[0] < _LIKELY, s[2].price, -s[0], -s[1], s[2].name))
    elif filters.sort == "priciest":
        scored.sort(key=lambda s: (s[0] < _LIKELY, -s[2].price, -s[0], -s[1], s[2].name))
    else:
        scored.sort(key=lambda s: (-s[0], -s[1], s[2].name))
    hits = [hit_from_row(row, score) for score, _, row in scored[:limit]]
    return SearchResult(hits, _confidence(hits))


async def _embed_query(embedder: QueryEmbedder | None, query: str) -> list[float] | None:
    """The query's embedding, or None: search works (without meaning) when this fails."""
    if embedder is None:
        return None
    try:
        return await asyncio.wait_for(embedder.embed_query(query), QUERY_EMBED_TIMEOUT_S)
    except Exception as exc:  # timeouts, quota, auth: lexical and fuzzy search still answer
        log.warning("query embedding failed; searching without it: %s", type(exc).__name__)
        return None


def _confidence(hits: list[ProductHit]) -> Confidence:
    if not hits:
        return "none"
    top = hits[0].score
    if top >= 0.999:
        return "exact"
    return "likely" if top >= _LIKELY else "weak"


def hit_from_row(row: Any, score: float) -> ProductHit:
    """A search row (any query selecting the product's columns) as a ProductHit."""
    return ProductHit(
        row.id,
        row.sku,
        row.name,
        row.description,
        row.price,
        row.stock,
        row.category,
        row.status,
        score,
    )
