"""Sending: a reply becomes outbox rows in the caller's transaction, sent after it commits.

The graph's one way to write a message; the sender (whatsapp/sender.py) delivers the rows.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.repositories import inbound, outbox
from whsp_ai.messages.replies import Reply

# Queue a reply once per dedupe key (a retried turn or a resumed approval can't repeat it);
# returns how many Cloud API messages it became. The repository's function is the graph's
# one way to send: this name is where the "writes go through tools/" rule points.
send = outbox.enqueue_reply


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
