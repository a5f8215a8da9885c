"""Customers asking the owner: one shared approval per requested thing, and a daily cap.

One pending approval per (business, requested thing): a `new_product` or `question` ask
joins a pending one when its words are the same or a near-duplicate (matched the way the
catalog matches names: trigram vectors, then word similarity both ways); an
`unconfirmed_product` ask joins the pending approval of that product. Every customer who
asked is a row of approval_customers with their own wish to add and quantity; the first
asker stays approvals.customer_id. A customer already waiting on more than MAX_OPEN_PER_DAY
pending requests made today is told the shop already has their requests, and nothing is
raised or joined.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from math import sqrt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from whsp_ai.db.models import ApprovalKind, Business
from whsp_ai.db.repositories import approval_customers, approvals
from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.offline.text import normalize, plain
from whsp_ai.text.quote import strip_links
from whsp_ai.text.search import grams_vector, tokens
from whsp_ai.tools.catalog import score_text

MAX_OPEN_PER_DAY = 3
# Trigram cosine that makes two asks worth comparing word by word (a loose net, as the
# catalog's trigram retriever is); then each must name the other at least this well
# (catalog scoring: 1.0 word for word, a typo ~0.9).
GRAMS_NEAR = 0.5
WORDS_NEAR = 0.85
MAX_QUERY = 1000  # a question is kept whole up to here; the owner sees it quoted and cut


@dataclass(frozen=True)
class Ask:
    """What became of one customer's ask.

    approval_id: the pending approval the customer now waits on (None when capped);
    created: True when it is new (its thread must be started: `started`);
    capped: the customer had MAX_OPEN_PER_DAY open requests today, nothing was raised.
    """

    approval_id: int | None
    created: bool = False
    capped: bool = False

    @property
    def started(self) -> int | None:
        return self.approval_id if self.created else None


def same_ask(a: str, b: str) -> bool:
    """Two customers asked for the same thing: equal normalized words, or near-duplicates.
    Links and the words that open or close any message ("oye", "hola", "por favor",
    "thanks") don't count."""
    a, b = core(a), core(b)
    if a == b:
        return True
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return False
    if sorted(set(ta)) == sorted(set(tb)) or "".join(ta) == "".join(tb):  # "wi fi", "wifi"
        return True
    ga, gb = grams_vector(a), grams_vector(b)
    if ga is None or gb is None or _cosine(ga, gb) < GRAMS_NEAR:
        return False
    both_ways = min(score_text(ta, a, b), score_text(tb, b, a))
    return both_ways >= WORDS_NEAR


def core(said: str) -> str:
    """The ask without links and message edges (the offline understanding's vocabulary:
    greetings, lead fillers, please and thanks), folded, punctuation out."""
    text = normalize(strip_links(said))
    while True:
        trimmed = lx.GREET_RE.sub("", text)
        trimmed = lx.LEAD_FILLER_RE.sub("", trimmed)
        trimmed = lx.TRAIL_FILLER_RE.sub("", trimmed).strip(" ,;")
        if trimmed == text:
            break
        text = trimmed
    return plain(text) or plain(normalize(said))


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = sqrt(sum(x * x for x in a)) * sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


async def ask(
    session: AsyncSession,
    *,
    business_id: int,
    customer_id: int,
    kind: ApprovalKind,
    query: str,
    product_id: int | None = None,
    wants_add: bool = False,
    quantity: int | None = None,
) -> Ask:
    """Join the pending approval for the same thing, or raise one; the daily cap first."""
    query = " ".join(query.split())[:MAX_QUERY]
    # Two customers asking at once must not raise two approvals: asks of one business take
    # turns (a transaction lock, released when the turn commits; asks are rare).
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"asks:{business_id}"},
    )
    pending = await approvals.pending_of_kind(
        session, business_id=business_id, kind=kind, product_id=product_id
    )
    if kind == ApprovalKind.unconfirmed_product:
        match = pending[0] if pending else None
    else:
        match = next((a for a in pending if same_ask(a.query, query)), None)
    quantity = (quantity or 1) if wants_add else None

    if match is not None and match.id is not None:
        row = await approval_customers.get(
            session, business_id=business_id, approval_id=match.id, customer_id=customer_id
        )
        if row is not None:  # asked again: only a (new) wish to add changes
            if wants_add and (not row.wants_add or quantity):
                row.wants_add, row.requested_quantity = True, quantity
                await session.flush()
            return Ask(match.id)
    if await capped(session, business_id, customer_id):
        return Ask(None, capped=True)
    if match is None:
        match = await approvals.create(
            session,
            business_id=business_id,
            kind=kind,
            query=query,
            product_id=product_id,
            customer_id=customer_id,
            wants_add=wants_add,
            requested_quantity=quantity,
        )
        created = True
    else:
        created = False
    assert match.id is not None
    await approval_customers.add(
        session,
        business_id=business_id,
        approval_id=match.id,
        customer_id=customer_id,
        wants_add=wants_add,
        requested_quantity=quantity,
    )
    return Ask(match.id, created=created)


async def capped(session: AsyncSession, business_id: int, customer_id: int) -> bool:
    since = await _start_of_today(session, business_id)
    open_today = await approval_customers.open_since(
        session, business_id=business_id, customer_id=customer_id, since=since
    )
    return open_today >= MAX_OPEN_PER_DAY


async def _start_of_today(session: AsyncSession, business_id: int) -> datetime:
    """Midnight in the business's timezone (info.timezone), UTC when it has none."""
    info = (
        await session.execute(select(Business.info).where(Business.id == business_id))
    ).scalar_one_or_none() or {}
    try:
        zone = ZoneInfo(str(info.get("timezone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.combine(datetime.now(zone).date(), time(), tzinfo=zone)


async def request_question(
    session: AsyncSession, *, business_id: int, customer_id: int, question: str
) -> int | None:
    """A question the business's data doesn't answer, for the owner. The new approval's id
    (start its thread), or None when the customer joined a pending one or was capped;
    `ask(..., kind=ApprovalKind.question)` says which."""
    asked = await ask(
        session,
        business_id=business_id,
        customer_id=customer_id,
        kind=ApprovalKind.question,
        query=question,
    )
    return asked.started
