"""Knowledge retrieval: which of the business's entries answer a customer's question.

The machinery product search has (tools/catalog.py): Postgres full text in the business's
language over the entries' words, the hashed-trigram vectors of text/search.py for typos,
and the topics of vocabulary/topics.yaml, fused by reciprocal rank in one SQL statement. A
small scorer then sets the confidence; only entries at or above ANSWER_MIN are answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import Business
from whsp_ai.nlu.topics import content_words, topics_in
from whsp_ai.text.search import grams_vector, tokens, ts_query, vector_literal
from whsp_ai.tools.catalog import score_text
from whsp_ai.tools.knowledge_index import ensure_fresh

ANSWER_MIN = 0.55  # below this an entry is not an answer: the owner is asked instead
TOPIC_FACT = 0.9  # a fact of the topic asked about ("cuánto cobran de envío" → the fee)
TOPIC_MENTION = 0.7  # a rule or faq entry that mentions the topic asked about
NARROWER = frozenset({"fee", "payment"})
CLOSE = 0.12  # entries this close to the best one are given with it
MAX_ENTRIES = 3
CANDIDATES, RRF_K = 20, 60

_QUERY = f"""
WITH q AS MATERIALIZED (
  SELECT to_tsquery(whsp_ts_config(b.language), :any_word) AS any_word
  FROM businesses b WHERE b.id = :business_id
),
words AS (
  SELECT k.id, row_number() OVER (ORDER BY ts_rank_cd(k.search_vector, q.any_word) DESC, k.id) r
  FROM knowledge_entries k, q
  WHERE k.business_id = :business_id AND :any_word <> '' AND k.search_vector @@ q.any_word
  ORDER BY r LIMIT {CANDIDATES}
),
fuzzy AS (
  SELECT k.id, row_number() OVER (ORDER BY k.grams <=> CAST(:grams AS vector), k.id) AS r
  FROM knowledge_entries k
  WHERE k.business_id = :business_id AND CAST(:grams AS vector) IS NOT NULL
    AND k.grams IS NOT NULL
  ORDER BY r LIMIT {CANDIDATES}
),
topical AS (
  SELECT k.id, row_number() OVER (ORDER BY (k.topic IS NULL), k.id) AS r
  FROM knowledge_entries k
  WHERE k.business_id = :business_id AND k.topics && CAST(:topics AS text[])
  ORDER BY r LIMIT {CANDIDATES}
),
fused AS (
  SELECT u.id, sum(1.0 / ({RRF_K} + u.r)) AS rrf FROM (
    SELECT id, r FROM words UNION ALL SELECT id, r FROM fuzzy UNION ALL SELECT id, r FROM topical
  ) u GROUP BY u.id
)
SELECT k.id, k.kind, k.topic, k.topics, k.position, k.question, k.answer, f.rrf
FROM fused f JOIN knowledge_entries k ON k.id = f.id
ORDER BY f.rrf DESC, k.id
"""  # noqa: S608  (only constants are interpolated; values are bound)


@dataclass(frozen=True)
class Match:
    """One entry found for a question, with how sure we are it answers it (0..1)."""

    kind: str  # faq | rule | fact
    topic: str | None  # a fact's topic
    position: int
    question: str
    answer: str  # the owner's text as written ('' for facts we word ourselves)
    score: float


async def retrieve(session: AsyncSession, *, business: Business, question: str) -> list[Match]:
    """The entries that answer `question`, best first; [] when none is confident enough."""
    assert business.id is not None
    await ensure_fresh(session, business=business)
    words = list(dict.fromkeys(tokens(" ".join(content_words(question)))))[:8]
    asked_topics = topics_in(question)
    params = {
        "business_id": business.id,
        "any_word": ts_query(words),
        "grams": vector_literal(grams_vector(" ".join(words))),
        "topics": sorted(asked_topics),
    }
    rows = (await session.execute(text(_QUERY), params)).all()
    scored = [
        Match(row.kind, row.topic, row.position, row.question, row.answer, s)
        for row in rows
        if (
            s := _score(
                words, row.kind, row.topic, row.topics, row.question, row.answer, asked_topics
            )
        )
        >= ANSWER_MIN
    ]
    scored.sort(key=lambda m: -m.score)
    if not scored:
        return []
    best = scored[0].score
    close = [m for m in scored if m.score >= best - CLOSE]
    seen: set[str] = set()
    answers = []
    for m in close:
        key = m.topic or m.answer
        if key not in seen:
            seen.add(key)
            answers.append(m)
    return answers[:MAX_ENTRIES]


def _score(
    words: list[str],
    kind: str,
    topic: str | None,
    topics: list[str],
    question: str,
    answer: str,
    asked: frozenset[str],
) -> float:
    """How surely the entry answers the words asked."""
    if kind == "fact":
        if topic not in asked:
            return 0.0
        # "¿cuánto cobran de envío?", "can I pay cash on delivery?": the fee or the payment
        # is what is asked; delivery in general only says where the question is.
        if topic == "delivery" and asked & NARROWER:
            return TOPIC_MENTION
        return TOPIC_FACT
    lexical = 0.0
    if words:
        lexical = max(
            _words_score(words, question),
            0.85 * _words_score(words, f"{question} {answer}"),
        )
    topical = TOPIC_MENTION if asked & set(topics) else 0.0
    # Saying the topic and the entry's own words is surer than either alone.
    return min(1.0, max(lexical, topical) + (0.1 if lexical >= 0.5 and topical else 0.0))


PREFIX = 6  # "estacionarse" ~ "estacionamiento", "duplicar" ~ "duplicado": one word family


def _cut(word: str) -> str:
    return word[:PREFIX] if len(word) > PREFIX and word.isalpha() else word


def _words_score(words: list[str], field: str) -> float:
    """The product scorer's word score, and the same over word families (first letters)."""
    whole = score_text(words, " ".join(words), field)
    cut = [_cut(w) for w in words]
    family = score_text(cut, " ".join(cut), " ".join(_cut(w) for w in tokens(field)))
    return max(whole, 0.95 * family)
