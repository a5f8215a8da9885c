"""Conversations for the owner's dashboard: customers by last message, and one thread in order.

Both read a page at a time with keyset cursors, so page 200 costs what page 1 does:
customers walk customers_business_seen_idx backwards, a thread walks
inbound_business_customer_idx and outbound_business_to_created_idx (migration 0008).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class CustomerRow:
    id: int
    wa_id: str
    profile_name: str | None
    last_seen_at: datetime
    handed_off_at: datetime | None  # the owner has the conversation (tools/handoff.py)
    last_type: str | None
    last_payload: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class CustomerPage:
    customers: list[CustomerRow]
    next: tuple[datetime, int] | None  # the `before` of the next page; None on the last


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    direction: Literal["in", "out"]
    at: datetime
    type: str
    payload: dict[str, Any]
    status: str


@dataclass(frozen=True, slots=True)
class Thread:
    messages: list[Message]  # oldest first
    older: datetime | None  # the `before` of the previous page; None at the first message


# A customer's last_seen_at is set by each message they send, so it orders the list by
# last message. The lateral join fetches only the shown customers' last messages.
CUSTOMERS_SQL = text("""
SELECT c.id, c.wa_id, c.profile_name, c.last_seen_at, c.handed_off_at, m.type AS last_type,
       m.payload AS last_payload
FROM customers c
LEFT JOIN LATERAL (
    SELECT i.type, i.payload FROM inbound_messages i
    WHERE i.business_id = c.business_id AND i.customer_wa_id = c.wa_id
    ORDER BY i.received_at DESC LIMIT 1
) m ON true
WHERE c.business_id = :business_id AND c.wa_id <> :owner_phone
  AND (CAST(:before_at AS timestamptz) IS NULL
       OR (c.last_seen_at, c.id) < (CAST(:before_at AS timestamptz), :before_id))
ORDER BY c.last_seen_at DESC, c.id DESC
LIMIT :limit
""")


async def customers(
    session: AsyncSession,
    *,
    business_id: int,
    owner_phone: str,
    limit: int = 25,
    before: tuple[datetime, int] | None = None,
) -> CustomerPage:
    """Customers newest first; `before` is the (last_seen_at, id) of the previous page's last.
    The owner's own number (their answers to notices) is not a customer's conversation."""
    before_at, before_id = before if before else (None, 0)
    params = {
        "business_id": business_id,
        "owner_phone": owner_phone,
        "before_at": before_at,
        "before_id": before_id,
    }
    rows = await session.execute(CUSTOMERS_SQL, {**params, "limit": limit + 1})
    found = [
        CustomerRow(
            id=r.id,
            wa_id=r.wa_id,
            profile_name=r.profile_name,
            last_seen_at=r.last_seen_at,
            handed_off_at=r.handed_off_at,
            last_type=r.last_type,
            last_payload=r.last_payload,
        )
        for r in rows
    ]
    page = found[:limit]
    more = len(found) > limit
    return CustomerPage(page, (page[-1].last_seen_at, page[-1].id) if more else None)


# Read receipts are rows of the outbox too (payload.status = 'read'); they are not messages.
THREAD_SQL = text("""
(SELECT i.id, 'in' AS direction, i.received_at AS at, i.type, i.payload, i.status
 FROM inbound_messages i
 WHERE i.business_id = :business_id AND i.customer_wa_id = :wa_id
   AND (CAST(:before AS timestamptz) IS NULL OR i.received_at < :before)
 ORDER BY i.received_at DESC LIMIT :limit)
UNION ALL
(SELECT o.id, 'out', o.created_at, coalesce(o.payload ->> 'type', 'text'), o.payload, o.status
 FROM outbound_messages o
 WHERE o.business_id = :business_id AND o.to_wa_id = :wa_id
   AND NOT o.payload ? 'status'
   AND (CAST(:before AS timestamptz) IS NULL OR o.created_at < :before)
 ORDER BY o.created_at DESC LIMIT :limit)
ORDER BY at DESC, direction, id DESC
LIMIT :limit
""")


async def thread(
    session: AsyncSession,
    *,
    business_id: int,
    wa_id: str,
    limit: int = 50,
    before: datetime | None = None,
) -> Thread:
    """The newest `limit` messages before `before`, both ways, oldest first for reading."""
    params = {"business_id": business_id, "wa_id": wa_id, "limit": limit + 1, "before": before}
    rows = await session.execute(THREAD_SQL, params)
    out = [
        Message(
            id=r.id,
            direction=r.direction,
            at=r.at,
            type=r.type,
            payload=r.payload or {},
            status=r.status,
        )
        for r in rows
    ]
    # Replies of one turn share their transaction's timestamp: a page never ends inside
    # such a group, or the next page's `before` would skip the rest of it. The one row
    # past the page says whether the page's oldest group goes on.
    more = len(out) > limit
    if more:
        beyond = out.pop()
        if out[0].at != beyond.at:
            while out[-1].at == beyond.at:
                out.pop()
    out.reverse()
    return Thread(messages=out, older=out[0].at if more else None)
