"""Inbound WhatsApp messages: recorded once per WhatsApp message id, before any model work."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import InboundMessage


async def record(
    session: AsyncSession,
    *,
    business_id: int,
    wa_message_id: str,
    customer_wa_id: str,
    type: str,
    payload: dict[str, Any],
) -> tuple[int, bool, str]:
    """(id, newly recorded, status). A redelivered message id changes nothing."""
    stmt = (
        insert(InboundMessage)
        .values(
            business_id=business_id,
            wa_message_id=wa_message_id,
            customer_wa_id=customer_wa_id,
            type=type,
            payload=payload,
        )
        .on_conflict_do_nothing(index_elements=["wa_message_id"])
        .returning(col(InboundMessage.id))
    )
    new_id = (await session.execute(stmt)).scalar_one_or_none()
    if new_id is not None:
        return new_id, True, "received"
    existing = await session.execute(
        select(col(InboundMessage.id), col(InboundMessage.status)).where(
            InboundMessage.wa_message_id == wa_message_id,
            InboundMessage.business_id == business_id,
        )
    )
    row = existing.one_or_none()
    if row is None:  # the id belongs to another business: never touch it
        return 0, False, "foreign"
    return int(row[0] or 0), False, row[1]


async def by_id(
    session: AsyncSession, *, business_id: int, inbound_id: int
) -> InboundMessage | None:
    stmt = select(InboundMessage).where(
        InboundMessage.business_id == business_id, InboundMessage.id == inbound_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def mark(
    session: AsyncSession,
    *,
    business_id: int,
    inbound_id: int,
    status: str,
    error: str | None = None,
) -> None:
    await session.execute(
        update(InboundMessage)
        .where(col(InboundMessage.business_id) == business_id, col(InboundMessage.id) == inbound_id)
        .values(status=status, error=error, processed_at=func.now())
    )


async def last_from(session: AsyncSession, *, business_id: int, wa_id: str) -> datetime | None:
    """When this person last wrote to the business (opens the 24-hour service window)."""
    stmt = select(func.max(InboundMessage.received_at)).where(
        InboundMessage.business_id == business_id, InboundMessage.customer_wa_id == wa_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()
