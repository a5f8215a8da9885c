"""One recorded inbound message, processed by a worker under its conversation's lock.

Customers' text and taps go to the engine; other message types get a polite reply; the
owner's taps answer approvals. Reactions, deletions, edits and system notices are recorded
and closed in silence: nobody who sends one is waiting for an answer. Every path marks the
message processed in the same transaction that queues its replies, and a processed message
is never handled again.
"""

from __future__ import annotations

import logging
from typing import Any

from whsp_ai.db.models import ApprovalStatus, Business, InboundMessage
from whsp_ai.db.repositories import approvals, inbound, outbox
from whsp_ai.messages import replies
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.tools import handoff
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer
from whsp_ai.whatsapp import typed_answers
from whsp_ai.whatsapp.deps import JobDeps
from whsp_ai.whatsapp.question_reply import answer_by_reply

log = logging.getLogger(__name__)

ENGINE_TYPES = {"text", "interactive", "button"}
# A 👍 (or its removal, an empty emoji), a deleted or edited message, "changed their number":
# a person expects no answer to these, and a reply to each would read as a bot gone wrong.
SILENT_TYPES = ("reaction", "revoke", "edit", "system")


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


# One statement (its own transaction) before the turn: load the message and, unless it was
# processed already, note the sender's WhatsApp name, queue the read receipt and release
# the messages held for the sender outside the window (tools/notices.py). Blue ticks
# are queued like any message, so they are retried and never sent twice. Plain SQL on a
# pool connection: it replaced a five-round-trip ORM transaction on every message.
START_SQL = """
WITH m AS (
    SELECT * FROM inbound_messages WHERE id = %(inbound_id)s AND business_id = %(business_id)s
), customer AS (
    INSERT INTO customers (business_id, wa_id, profile_name)
    SELECT m.business_id, m.customer_wa_id, m.payload ->> 'profile_name' FROM m
    WHERE m.status <> 'processed' AND coalesce(m.payload ->> 'profile_name', '') <> ''
    ON CONFLICT ON CONSTRAINT customers_business_wa_key DO UPDATE
    SET last_seen_at = now(),
        profile_name = coalesce(excluded.profile_name, customers.profile_name)
), receipt AS (
    INSERT INTO outbound_messages (business_id, to_wa_id, payload, status, dedupe_key, attempts)
    SELECT m.business_id, m.customer_wa_id,
           jsonb_build_object(
               'messaging_product', 'whatsapp', 'status', 'read', 'message_id', m.wa_message_id
           ),
           'queued', 'read:' || m.id, 0
    FROM m WHERE m.status <> 'processed' AND NOT m.type = ANY(%(silent)s)
    ON CONFLICT (dedupe_key) DO NOTHING
), released AS (
    -- they wrote, so their 24-hour window is open again: what was held for them goes out
    UPDATE outbound_messages o SET status = 'queued', next_attempt_at = now(), updated_at = now()
    FROM m
    WHERE m.status <> 'processed' AND o.business_id = m.business_id
      AND o.to_wa_id = m.customer_wa_id AND o.status = 'held'
)
SELECT m.*, (
    SELECT c.handed_off_at FROM customers c
    WHERE c.business_id = m.business_id AND c.wa_id = m.customer_wa_id
) AS handed_off_at
FROM m
"""


async def process(deps: JobDeps, business_id: int, inbound_id: int) -> None:
    async with deps.db.pool.connection() as conn:
        cursor = await conn.execute(
            START_SQL,
            {"business_id": business_id, "inbound_id": inbound_id, "silent": list(SILENT_TYPES)},
        )
        row: dict[str, Any] | None = await cursor.fetchone()
    if row is None or row["status"] == "processed":
        return  # already handled (a redelivery, or a retried job whose turn had committed)
    handed_off = row.pop("handed_off_at") is not None  # read with the message: no round trip
    message = InboundMessage(**row)
    if message.type in SILENT_TYPES:
        await _close(deps, business_id, message)  # no blue ticks, no reply: nothing was said
        return
    deps.sender.wake.set()  # blue ticks now, while the turn runs
    business = await deps.engine.services.business(business_id)
    text, action_id = text_and_action(message.payload)
    if message.customer_wa_id == business.owner_phone:
        if not await answer_by_reply(deps, business, message, text):  # a question's answer
            await _owner(deps, business, message, action_id)
    elif handed_off and await _handed_off(deps, business_id, message.customer_wa_id):
        await _close(deps, business_id, message)  # a person answers: the agent stays silent
    elif message.type in ENGINE_TYPES and (text or action_id):
        await deps.engine.handle(
            business_id=business_id,
            customer_wa_id=message.customer_wa_id,
            text=text,
            action_id=action_id,
            inbound_id=message.id,
        )
    else:
        lang: Lang = "en" if business.language == "en" else "es"
        await _reply_and_close(deps, business, message, replies.text(t("unsupported_type", lang)))
    deps.sender.wake.set()  # the replies are committed: send them without waiting to poll


async def _owner(
    deps: JobDeps, business: Business, message: InboundMessage, action_id: str | None
) -> None:
    lang: Lang = "en" if business.language == "en" else "es"
    parts = (action_id or "").split(":")  # approval:<id>:confirm|reject, from our own buttons
    answers = (
        len(parts) == 3
        and parts[0] == "approval"
        and parts[1].isdigit()
        and parts[2] in ("confirm", "reject")
    )
    if not answers:
        typed = await typed_answers.answer(deps, business, message)  # "1200 3", "no"
        if typed is not None:
            await _reply_and_close(deps, business, message, replies.text(typed))
            return
        async with deps.db.session() as session:
            pending = await approvals.list_approvals(
                session, business_id=business.id or 0, status=ApprovalStatus.pending
            )
        agent = (business.persona or {}).get("agent_name") or business.name
        body = t("owner_help", lang, agent=agent, n=len(pending))
        await _reply_and_close(deps, business, message, replies.text(body))
        return
    approval_id, decision = int(parts[1]), parts[2]
    async with deps.db.session() as session:  # the owner knows it by the shop's own number
        number = await approvals.number_of(
            session, business_id=business.id or 0, approval_id=approval_id
        )
    try:
        outcome = await deps.engine.answer_approval(
            business_id=business.id or 0, approval_id=approval_id, answer={"decision": decision}
        )
        status = t(f"status_{outcome.get('status', 'confirmed')}", lang)
        body = t("owner_answered", lang, id=number or approval_id, status=status)
    except (AlreadyAnswered, ApprovalNotFound):
        body = t("owner_already", lang, id=number or approval_id)
    except InvalidAnswer:
        async with deps.db.session() as session:
            approval = await approvals.by_id(
                session, business_id=business.id or 0, approval_id=approval_id
            )
        body = t("owner_needs_price", lang, query=approval.query if approval else "")
    await _reply_and_close(deps, business, message, replies.text(body))


async def _handed_off(deps: JobDeps, business_id: int, wa_id: str) -> bool:
    """A hand-off older than 24 hours ends here, and the agent answers this message."""
    async with deps.db.session() as session:
        return await handoff.is_handed_off(session, business_id=business_id, wa_id=wa_id)


async def _reply_and_close(
    deps: JobDeps, business: Business, message: InboundMessage, reply: replies.Reply
) -> None:
    async with deps.db.session() as session:
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


async def _close(deps: JobDeps, business_id: int, message: InboundMessage) -> None:
    """Processed, with no reply."""
    async with deps.db.session() as session:
        await inbound.mark(
            session, business_id=business_id, inbound_id=message.id or 0, status="processed"
        )
