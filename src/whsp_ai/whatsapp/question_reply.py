"""The owner answers a customer question on WhatsApp by quote-replying to its notice.

The inbound message's `context.id` is the WhatsApp id of the message it replies to; when
that is our notice of a pending `question` approval, the reply's text is the answer. It
goes the same way as the API's (Engine.answer_question) and is saved to the faq: an owner
replying on a phone means "this is the answer", and the dashboard can remove it from the
faq later. Any other owner message is left to the owner's usual handling.
"""

from __future__ import annotations

import re

from whsp_ai.db.models import ApprovalKind, Business, InboundMessage
from whsp_ai.db.repositories import approvals, inbound, outbox
from whsp_ai.messages import replies
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer
from whsp_ai.whatsapp.deps import JobDeps

_NOTICE = re.compile(r"approval:(\d+):notify:\d+")  # graph/approvals.notice_key + its part
SAVE_TO_FAQ = True


async def answer_by_reply(
    deps: JobDeps, business: Business, message: InboundMessage, text: str | None
) -> bool:
    """True when the message answered a question (and was replied to and closed)."""
    context = message.payload.get("context")
    quoted = context.get("id") if isinstance(context, dict) else None
    if not text or not text.strip() or not isinstance(quoted, str):
        return False
    business_id = business.id or 0
    async with deps.db.session() as session:
        key = await outbox.dedupe_key_of(session, business_id=business_id, wa_message_id=quoted)
        found = _NOTICE.fullmatch(key or "")
        approval = (
            await approvals.by_id(session, business_id=business_id, approval_id=int(found[1]))
            if found
            else None
        )
    if approval is None or approval.kind != ApprovalKind.question or approval.id is None:
        return False
    lang: Lang = "en" if business.language == "en" else "es"
    try:
        outcome = await deps.engine.answer_question(
            business_id=business_id, approval_id=approval.id, answer=text, save_to_faq=SAVE_TO_FAQ
        )
        body = t(
            "owner_question_answered",
            lang,
            number=approval.number,
            n=outcome.get("customers_told", 0),
        )
        if outcome.get("saved_to_faq"):
            body += " " + t("owner_question_saved", lang)
    except (AlreadyAnswered, ApprovalNotFound):
        body = t("owner_question_already", lang, number=approval.number)
    except InvalidAnswer as exc:
        body = str(exc)
    async with deps.db.session() as session:
        await outbox.enqueue_reply(
            session,
            business_id=business_id,
            to_wa_id=message.customer_wa_id,
            reply=replies.text(body),
            dedupe_key=f"in:{message.id}:0",
            inbound_message_id=message.id,
        )
        await inbound.mark(
            session, business_id=business_id, inbound_id=message.id or 0, status="processed"
        )
    return True
