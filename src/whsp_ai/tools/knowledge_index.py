"""The business's knowledge entries: derived from its row, rebuilt when they are stale.

Entries are a cache of businesses.info / faq / persona.rules / checkout in a searchable
shape. They carry the businesses.updated_at they were built from; whoever changes the
business (import, PATCH, an owner's answer saved to the faq) bumps updated_at, and the next
question rebuilds them. Nobody has to remember to call this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import Business
from whsp_ai.nlu.topics import topics_in
from whsp_ai.text.search import grams_vector, tokens, vector_literal

# Facts the system words itself from figures, and facts that are the owner's own text.
WORDED = ("hours", "fee", "payment")
QUOTED = ("address", "delivery", "returns")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    kind: str  # faq | rule | fact
    topic: str | None
    topics: list[str]
    position: int
    question: str
    answer: str


def entries_of(business: Business) -> list[Entry]:
    """Pure: every entry the business's data gives, in a stable order."""
    found: list[Entry] = []
    for i, item in enumerate(business.faq or []):
        q, a = str(item.get("q", "")), str(item.get("a", ""))
        if q and a:
            found.append(Entry("faq", None, sorted(topics_in(q)), i, q, a))
    for i, rule in enumerate((business.persona or {}).get("rules") or []):
        found.append(Entry("rule", None, sorted(topics_in(rule)), i, rule, rule))
    info = business.info or {}
    if info.get("hours"):
        found.append(Entry("fact", "hours", ["hours"], 0, "hours", ""))
    for topic in QUOTED:
        if info.get(topic):
            found.append(Entry("fact", topic, [topic], 0, topic, str(info[topic])))
    if business.delivery_fee is not None or business.free_delivery_over is not None:
        found.append(Entry("fact", "fee", ["fee"], 0, "fee", ""))
    if business.payment_methods:
        methods = " ".join(business.payment_methods)
        found.append(Entry("fact", "payment", ["payment"], 0, "payment", methods))
    return found


async def ensure_fresh(session: AsyncSession, *, business: Business) -> None:
    """Rebuild the entries when the business changed after they were built.

    The business's updated_at is read from its row, not from the (cached) `business`: an
    owner's answer saved to the faq a moment ago, by this process or another, must be
    found by the very next question.
    """
    assert business.id is not None
    row = (
        await session.execute(
            text(
                "SELECT b.updated_at, (SELECT min(source_updated_at) FROM knowledge_entries k "
                "WHERE k.business_id = b.id) AS built FROM businesses b WHERE b.id = :business_id"
            ),
            {"business_id": business.id},
        )
    ).one_or_none()
    if row is None:
        return
    current, built = row.updated_at or EPOCH, row.built
    if built is None or built < current:
        fresh = await session.get(Business, business.id, populate_existing=True)
        await rebuild(session, business=fresh or business)


async def rebuild(session: AsyncSession, *, business: Business) -> int:
    """Replace the business's entries with ones built from its row now; the count."""
    assert business.id is not None
    # Two turns may find the entries stale at once: the lock makes the second one wait and
    # then write the same rows, never a mix of both.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('knowledge'), CAST(:id AS int))"),
        {"id": business.id % 2_000_000_000},
    )
    await session.execute(
        text("DELETE FROM knowledge_entries WHERE business_id = :business_id"),
        {"business_id": business.id},
    )
    rows = [
        {
            "business_id": business.id,
            "kind": e.kind,
            "topic": e.topic,
            "topics": e.topics,
            "position": e.position,
            "question": e.question,
            "answer": e.answer,
            # a fact is found by its topic; its words are the owner's text (delivery areas)
            "names": " ".join(tokens(e.question if e.kind != "fact" else e.topic or "")),
            "body": " ".join(tokens(e.answer)),
            "grams": vector_literal(grams_vector(e.question if e.kind != "fact" else "")),
            "source": business.updated_at or EPOCH,
        }
        for e in entries_of(business)
    ]
    if rows:
        await session.execute(
            text(
                """
                INSERT INTO knowledge_entries (business_id, kind, topic, topics, position,
                    question, answer, search_text, search_vector, grams, source_updated_at)
                SELECT :business_id, :kind, :topic, :topics, :position, :question, :answer,
                       :names,
                       setweight(to_tsvector(whsp_ts_config(b.language), :names), 'A')
                         || setweight(to_tsvector(whsp_ts_config(b.language), :body), 'D'),
                       CAST(:grams AS vector), :source
                FROM businesses b WHERE b.id = :business_id
                """
            ),
            rows,
        )
    return len(rows)
