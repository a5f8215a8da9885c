"""Hand-off to a person: the owner takes a conversation over, the agent stays silent.

A conversation is handed off while customers.handed_off_at is set. It ends when the owner
hands it back (dashboard, API) or HANDOFF_TTL after it began: checked when the customer's
next message arrives, and by the queue's periodic job. The customer is told both ways.
Every message here is an outbox row written in the caller's transaction.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Business, Customer, InboundMessage
from whsp_ai.db.repositories import customers
from whsp_ai.messages import replies
from whsp_ai.messages.limits import TEXT_MAX
from whsp_ai.prompts.texts import language_of, t
from whsp_ai.tools import messages

HANDOFF_TTL = timedelta(hours=24)
LAST_MESSAGES = 5  # how much of the conversation the owner's notice quotes


class CustomerNotFound(LookupError):
    """No customer with this WhatsApp id in this business (the API answers 404)."""


async def _customer(session: AsyncSession, business_id: int, wa_id: str) -> Customer:
    found = await customers.by_wa_id(session, business_id=business_id, wa_id=wa_id)
    if found is None or found.id is None:
        raise CustomerNotFound(wa_id)
    return found


async def hand_off(session: AsyncSession, *, business_id: int, wa_id: str) -> bool:
    """Mark the conversation handed off and notify the owner with its last messages.
    False when it already was (the owner is not told twice)."""
    customer = await customers.get_or_create(session, business_id=business_id, wa_id=wa_id)
    if customer.handed_off_at is not None:
        return False
    started = datetime.now(UTC)
    await session.execute(
        update(Customer).where(col(Customer.id) == customer.id).values(handed_off_at=started)
    )
    business = await session.get(Business, business_id)
    assert business is not None  # the customer row points at it
    lang = language_of(None, business.language)
    quoted = "\n".join(f"› {line}" for line in await _last_messages(session, customer))
    who = f"+{wa_id}" if not customer.profile_name else f"{customer.profile_name} (+{wa_id})"
    body = t("handoff_owner", lang, customer=who, messages=quoted or "›")
    await messages.send(
        session,
        business_id=business_id,
        to_wa_id=business.owner_phone,
        reply=replies.text(body[:TEXT_MAX]),
        dedupe_key=f"handoff:{customer.id}:{started.timestamp():.0f}:owner",
    )
    return True


async def _last_messages(session: AsyncSession, customer: Customer) -> list[str]:
    rows = (
        await session.execute(
            select(InboundMessage.type, InboundMessage.payload)
            .where(
                InboundMessage.business_id == customer.business_id,
                InboundMessage.customer_wa_id == customer.wa_id,
            )
            .order_by(col(InboundMessage.received_at).desc(), col(InboundMessage.id).desc())
            .limit(LAST_MESSAGES)
        )
    ).all()
    lines = []
    for kind, payload in reversed(rows):
        text = ((payload.get("text") or {}).get("body") or "").strip()
        lines.append(" ".join(text.split())[:300] if text else f"[{kind}]")
    return lines


async def is_handed_off(session: AsyncSession, *, business_id: int, wa_id: str) -> bool:
    """Whether the agent must stay silent now. A hand-off past HANDOFF_TTL ends here (the
    customer is told the agent is back) and the message is the agent's again."""
    customer = await customers.by_wa_id(session, business_id=business_id, wa_id=wa_id)
    if customer is None or customer.handed_off_at is None:
        return False
    if datetime.now(UTC) - customer.handed_off_at < HANDOFF_TTL:
        return True
    await hand_back(session, business_id=business_id, wa_id=wa_id)
    return False


async def hand_back(session: AsyncSession, *, business_id: int, wa_id: str) -> bool:
    """End the hand-off and tell the customer the agent is back. False when the
    conversation wasn't handed off; CustomerNotFound for an unknown customer."""
    customer = await _customer(session, business_id, wa_id)
    started = customer.handed_off_at  # read first: the update below refreshes the object
    ended = (
        await session.execute(
            update(Customer)
            .where(col(Customer.id) == customer.id, col(Customer.handed_off_at).is_not(None))
            .values(handed_off_at=None)
            .returning(col(Customer.id))
        )
    ).scalar_one_or_none()
    if ended is None or started is None:
        return False  # not handed off, or handed back a moment ago by another request
    business = await session.get(Business, business_id)
    assert business is not None
    lang = language_of(customer.locale, business.language)
    agent = (business.persona or {}).get("agent_name") or business.name
    await messages.send(
        session,
        business_id=business_id,
        to_wa_id=wa_id,
        reply=replies.text(t("handoff_back", lang, agent=agent, business=business.name)),
        dedupe_key=f"handoff:{customer.id}:{started.timestamp():.0f}:back",
    )
    return True


async def owner_reply(session: AsyncSession, *, business_id: int, wa_id: str, text: str) -> int:
    """The owner's words to a customer (typed in the dashboard), through the outbox.
    Returns how many WhatsApp messages they became; ValueError for empty text."""
    text = text.strip()
    if not text:
        raise ValueError("the reply is empty")
    customer = await _customer(session, business_id, wa_id)
    return await messages.send(
        session,
        business_id=business_id,
        to_wa_id=customer.wa_id,
        reply=replies.text(text),
        dedupe_key=f"owner-reply:{customer.id}:{uuid.uuid4().hex}",
    )


async def expire_all(session: AsyncSession, *, page: int = 200) -> int:
    """Hand back every conversation handed off longer than HANDOFF_TTL, across tenants
    (the queue's periodic job: a customer who never writes again is still told)."""
    cutoff = datetime.now(UTC) - HANDOFF_TTL
    rows = (
        await session.execute(
            select(Customer.business_id, Customer.wa_id)
            .where(col(Customer.handed_off_at) < cutoff)
            .limit(page)
        )
    ).all()
    for business_id, wa_id in rows:
        await hand_back(session, business_id=business_id, wa_id=wa_id)
    return len(rows)


async def take_over(session: AsyncSession, *, business_id: int, wa_id: str) -> bool:
    """The owner steps in from the dashboard unasked: handed off now, with no notice (the
    owner is the one who chose it; the customer hears from them next). False when it
    already was; CustomerNotFound for an unknown customer."""
    customer = await _customer(session, business_id, wa_id)
    taken = (
        await session.execute(
            update(Customer)
            .where(col(Customer.id) == customer.id, col(Customer.handed_off_at).is_(None))
            .values(handed_off_at=datetime.now(UTC))
            .returning(col(Customer.id))
        )
    ).scalar_one_or_none()
    return taken is not None
