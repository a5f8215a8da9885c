"""The outbox: every message we send is a row first, written with the work that caused it."""

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import OutboundMessage
from whsp_ai.messages.cloud_api import from_reply
from whsp_ai.messages.replies import Reply


async def enqueue(
    session: AsyncSession,
    *,
    business_id: int,
    to_wa_id: str,
    payload: dict[str, Any],
    dedupe_key: str,
    inbound_message_id: int | None = None,
) -> bool:
    """Queue a message once: a second call with the same dedupe_key does nothing (False)."""
    stmt = (
        insert(OutboundMessage)
        .values(
            business_id=business_id,
            to_wa_id=to_wa_id,
            payload=payload,
            dedupe_key=dedupe_key,
            inbound_message_id=inbound_message_id,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(col(OutboundMessage.id))
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def enqueue_reply(
    session: AsyncSession,
    *,
    business_id: int,
    to_wa_id: str,
    reply: Reply,
    dedupe_key: str,
    inbound_message_id: int | None = None,
) -> int:
    """Queue an engine reply as the Cloud API messages it becomes, one row each."""
    queued = 0
    for part, body in enumerate(from_reply(to_wa_id, reply)):
        queued += await enqueue(
            session,
            business_id=business_id,
            to_wa_id=to_wa_id,
            payload=body,
            dedupe_key=f"{dedupe_key}:{part}",
            inbound_message_id=inbound_message_id,
        )
    return queued


async def for_recipient(
    session: AsyncSession, *, business_id: int, to_wa_id: str, after_id: int = 0
) -> list[OutboundMessage]:
    stmt = (
        select(OutboundMessage)
        .where(
            OutboundMessage.business_id == business_id,
            OutboundMessage.to_wa_id == to_wa_id,
            col(OutboundMessage.id) > after_id,
        )
        .order_by(col(OutboundMessage.id))
    )
    return list((await session.execute(stmt)).scalars())


async def dedupe_key_of(
    session: AsyncSession, *, business_id: int, wa_message_id: str
) -> str | None:
    """The dedupe key of the message we sent that WhatsApp knows as `wa_message_id`: a
    quote-reply's `context.id` names it."""
    stmt = select(OutboundMessage.dedupe_key).where(
        OutboundMessage.business_id == business_id,
        OutboundMessage.wa_message_id == wa_message_id,
    )
    return (await session.execute(stmt)).scalar_one_or_none()
