"""One recorded inbound message, processed by a worker under its conversation's lock.

Customers' text and taps go to the engine; other message types get a polite reply; the
owner's taps answer approvals. Every path marks the message processed in the same
transaction that queues its replies, and a processed message is never handled again.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.channel import current
from whsp_ai.db.models import ApprovalStatus, Business, InboundMessage
from whsp_ai.db.repositories import approvals, customers, inbound, outbox
from whsp_ai.graph import replies
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer

log = logging.getLogger(__name__)

ENGINE_TYPES = {"text", "interactive", "button"}


def text_and_action(message: dict[str, Any]) -> tuple[str | None, str | None]:
    """The words typed, or the id of the button / list row tapped."""
    kind = message.get("type")
    if kind == "text":
        return (message.get("text") or {}).get("body"), None
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        chosen = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return None, chosen.get("id")
    if kind == "button":  # a template's quick-reply button
        button = message.get("button") or {}
        return button.get("text"), button.get("payload")
    return None, None


async def process(business_id: int, inbound_id: int) -> None:
    channel = current()
    # One transaction before the turn: load the message, note the sender's WhatsApp name,
    # and queue the read receipt.
    async with channel.db.session() as session:
        message = await inbound.by_id(session, business_id=business_id, inbound_id=inbound_id)
        if message is None or message.status == "processed":
            return  # already handled (a redelivery, or a retried job whose turn had committed)
        if message.payload.get("profile_name"):
            await customers.get_or_create(
                session,
                business_id=business_id,
                wa_id=message.customer_wa_id,
                profile_name=message.payload["profile_name"],
            )
        await _queue_read_receipt(session, business_id, message)
    business = await channel.engine.services.business(business_id)
    text, action_id = text_and_action(message.payload)
    if message.customer_wa_id == business.owner_phone:
        await _owner(business, message, action_id)
    elif message.type in ENGINE_TYPES and (text or action_id):
        await channel.engine.handle(
            business_id=business_id,
            customer_wa_id=message.customer_wa_id,
            text=text,
            action_id=action_id,
            inbound_id=message.id,
        )
    else:
        lang: Lang = "en" if business.language == "en" else "es"
        await _reply_and_close(business, message, replies.text(t("unsupported_type", lang)))


async def _owner(business: Business, message: InboundMessage, action_id: str | None) -> None:
    channel = current()
    lang: Lang = "en" if business.language == "en" else "es"
    parts = (action_id or "").split(":")  # approval:<id>:confirm|reject, from our own buttons
    answers = (
        len(parts) == 3
        and parts[0] == "approval"
        and parts[1].isdigit()
        and parts[2] in ("confirm", "reject")
    )
    if not answers:
        async with channel.db.session() as session:
            pending = await approvals.list_approvals(
                session, business_id=business.id or 0, status=ApprovalStatus.pending
            )
        agent = (business.persona or {}).get("agent_name") or business.name
        body = t("owner_help", lang, agent=agent, n=len(pending))
        await _reply_and_close(business, message, replies.text(body))
        return
    approval_id, decision = int(parts[1]), parts[2]
    try:
        outcome = await channel.engine.answer_approval(
            business_id=business.id or 0, approval_id=approval_id, answer={"decision": decision}
        )
        status = t(f"status_{outcome.get('status', 'confirmed')}", lang)
        body = t("owner_answered", lang, id=approval_id, status=status)
    except (AlreadyAnswered, ApprovalNotFound):
        body = t("owner_already", lang, id=approval_id)
    except InvalidAnswer:
        async with channel.db.session() as session:
            approval = await approvals.by_id(
                session, business_id=business.id or 0, approval_id=approval_id
            )
        body = t("owner_needs_price", lang, query=approval.query if approval else "")
    await _reply_and_close(business, message, replies.text(body))


async def _reply_and_close(
    business: Business, message: InboundMessage, reply: replies.Reply
) -> None:
    channel = current()
    async with channel.db.session() as session:
        await outbox.enqueue_reply(
            session,
            business_id=business.id or 0,
            to_wa_id=message.customer_wa_id,
            reply=reply,
            dedupe_key=f"in:{message.id}:0",
            inbound_message_id=message.id,
        )
        await inbound.mark(
            session, business_id=business.id or 0, inbound_id=message.id or 0, status="processed"
        )


async def _queue_read_receipt(
    session: AsyncSession, business_id: int, message: InboundMessage
) -> None:
    """Blue ticks: queued like any message, so it is retried and never sent twice."""
    await outbox.enqueue(
        session,
        business_id=business_id,
        to_wa_id=message.customer_wa_id,
        payload={
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": message.wa_message_id,
        },
        dedupe_key=f"read:{message.id}",
    )
