"""The owner answers a `question` in a scenario: by the management API, or on WhatsApp by
quote-replying to the question's notice (inbound `context.id`), as an owner does."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from sqlmodel import select

from whsp_ai.db.models import OutboundMessage
from whsp_ai.evals.scenario import OwnerStep
from whsp_ai.whatsapp import payloads

if TYPE_CHECKING:
    from whsp_ai.evals.conversations import Tenant
    from whsp_ai.evals.harness import Service

_IDS = itertools.count(1)


class AnswerFailed(Exception):
    """The service refused or lost the owner's answer; the step fails with this reason."""


async def answer_question(
    service: Service, owner: OwnerStep, approval: dict[str, Any], tenant: Tenant
) -> str:
    """Send the owner's answer; returns how the transcript shows it."""
    answer = owner.answer or ""
    if owner.via == "api":
        response = await service.http.post(
            f"/management/questions/{approval['id']}/answer",
            json={"answer": answer, "save_to_faq": owner.save_to_faq},
            headers={"Authorization": f"Bearer {tenant.api_key}"},
        )
        expected = owner.status or 200
        if response.status_code != expected:
            raise AnswerFailed(
                f"questions/{approval['id']}/answer answered {response.status_code} "
                f"({response.text[:200]}), expected {expected}"
            )
        return f"[owner via API answers #{approval['id']}: {answer!r}]"
    notice = await _notice_id(service, tenant, approval["id"])
    if not notice:
        # Outside the owner's 24-hour window (an owner who hasn't written) the notice is
        # held, not sent: the owner writing to the shop's number releases it, as in life.
        greeting = payloads.text_message(
            tenant.business.owner_phone, "hola", f"wamid.eval.owner.{next(_IDS):08d}"
        )
        await service.post(tenant.business.phone_number_id, greeting, "Dueño")
        await service.settle()
        notice = await _notice_id(service, tenant, approval["id"])
    if not notice:
        raise AnswerFailed(f"no notice of question #{approval['id']} was sent to the owner")
    message = {
        **payloads.text_message(
            tenant.business.owner_phone, answer, f"wamid.eval.answer.{next(_IDS):08d}"
        ),
        "context": {"from": tenant.business.phone_number_id, "id": notice},
    }
    status = await service.post(tenant.business.phone_number_id, message, "Dueño")
    if status != 200:
        raise AnswerFailed(f"the webhook answered {status} to the owner's reply")
    return f"[owner replies to the notice of #{approval['id']}: {answer!r}]"


async def _notice_id(service: Service, tenant: Tenant, approval_id: int) -> str | None:
    """The WhatsApp id of the question's notice, once it has been sent."""
    async with service.channel.db.session() as session:
        return (
            await session.execute(
                select(OutboundMessage.wa_message_id).where(
                    OutboundMessage.business_id == tenant.business.id,
                    OutboundMessage.dedupe_key == f"approval:{approval_id}:notify:0",
                )
            )
        ).scalar_one_or_none()
