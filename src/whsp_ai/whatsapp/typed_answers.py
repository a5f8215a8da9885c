"""The owner answers an approval by typing: "1200 3" (price, stock) or "no".

The answer goes to the notice it replies to (the inbound `context.id` is our notice's
wa_message_id), else to the latest notice whose approval is still pending. Question
approvals are not answered here: their answer is the owner's text (whatsapp/inbound.py
gives those to their own handler), so a reply to a question's notice is left alone.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from whsp_ai.db.models import ApprovalKind, Business, InboundMessage, OutboundMessage
from whsp_ai.db.repositories import approvals
from whsp_ai.nlu.offline.owner_answer import TypedAnswer, parse
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer
from whsp_ai.whatsapp.deps import JobDeps

NOTICE_KEY = re.compile(r"^approval:(\d+):notify(?::\d+)?$")  # graph/approvals.notify_owner

# The newest notice to the owner whose approval waits for a product answer.
LATEST_PENDING_SQL = sql(
    """
SELECT a.id FROM outbound_messages o
JOIN approvals a ON a.business_id = o.business_id
 AND a.id = substring(o.dedupe_key FROM :key_re)::bigint
WHERE o.business_id = :business_id AND o.to_wa_id = :owner
  AND o.dedupe_key LIKE 'approval:%' AND o.dedupe_key ~ :key_re
  AND a.status = 'pending' AND a.kind <> 'question'
ORDER BY o.id DESC LIMIT 1
"""
)


def reply_to(message: InboundMessage) -> str | None:
    """The wa_message_id of the message this one quotes (WhatsApp's `context.id`)."""
    context: Any = message.payload.get("context")
    found = context.get("id") if isinstance(context, dict) else None
    return found if isinstance(found, str) and found else None


async def target(session: AsyncSession, business: Business, message: InboundMessage) -> int | None:
    """The approval a typed answer is for; None when there is none to answer this way."""
    quoted = reply_to(message)
    if quoted is not None:
        key = (
            await session.execute(
                select(OutboundMessage.dedupe_key).where(
                    OutboundMessage.business_id == business.id,
                    OutboundMessage.wa_message_id == quoted,
                )
            )
        ).scalar_one_or_none()
        m = NOTICE_KEY.match(key or "")
        if m is None:
            return None  # a reply to something else (a question's notice, an order notice)
        approval = await approvals.by_id(
            session, business_id=business.id or 0, approval_id=int(m.group(1))
        )
        if approval is None or approval.kind == ApprovalKind.question:
            return None
        return approval.id
    params = {
        "business_id": business.id,
        "owner": business.owner_phone,
        "key_re": "^approval:([0-9]+):notify",
    }
    return (await session.execute(LATEST_PENDING_SQL, params)).scalar_one_or_none()


async def answer(deps: JobDeps, business: Business, message: InboundMessage) -> str | None:
    """The owner's typed answer applied, and what to tell them; None when the message is no
    typed answer to any approval (another handler, or the help text, takes it)."""
    typed: TypedAnswer | None = None
    if message.type == "text":
        typed = parse(str((message.payload.get("text") or {}).get("body") or ""))
    if typed is None:
        return None
    async with deps.db.session() as session:
        approval_id = await target(session, business, message)
        if approval_id is None:
            return None
        # the owner knows it by the shop's own number, never the id shared by all shops
        number = await approvals.number_of(
            session, business_id=business.id or 0, approval_id=approval_id
        )
    shown = number or approval_id
    lang: Lang = "en" if business.language == "en" else "es"
    try:
        outcome = await deps.engine.answer_approval(
            business_id=business.id or 0, approval_id=approval_id, answer=typed.as_answer()
        )
    except (AlreadyAnswered, ApprovalNotFound):
        return t("owner_already", lang, id=shown)
    except InvalidAnswer:  # a new product confirmed without its price
        return t("owner_typed_help", lang, id=shown)
    status = t(f"status_{outcome.get('status', 'confirmed')}", lang)
    return t("owner_answered", lang, id=shown, status=status)
