"""Sending: a reply becomes outbox rows in the caller's transaction, sent after it commits.

The graph's one way to write a message; the sender (whatsapp/sender.py) delivers the rows.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.repositories import inbound, outbox
from whsp_ai.messages.replies import Reply


async def send(
    session: AsyncSession,
    *,
    business_id: int,
    to_wa_id: str,
    reply: Reply,
    dedupe_key: str,
    inbound_message_id: int | None = None,
) -> int:
    """Queue `reply` once per `dedupe_key` (a retried turn or resumed approval can't repeat
    it); the number of Cloud API messages it became."""
    return await outbox.enqueue_reply(
        session,
        business_id=business_id,
        to_wa_id=to_wa_id,
        reply=reply,
        dedupe_key=dedupe_key,
        inbound_message_id=inbound_message_id,
    )


async def answer(
    session: AsyncSession,
    *,
    business_id: int,
    to_wa_id: str,
    inbound_id: int,
    replies: list[Reply],
) -> None:
    """A customer message's replies, queued with the message marked processed: in one
    transaction, so a retried turn neither repeats the replies nor loses them."""
    for i, reply in enumerate(replies):
        await send(
            session,
            business_id=business_id,
            to_wa_id=to_wa_id,
            reply=reply,
            dedupe_key=f"in:{inbound_id}:{i}",
            inbound_message_id=inbound_id,
        )
    await inbound.mark(session, business_id=business_id, inbound_id=inbound_id, status="processed")
