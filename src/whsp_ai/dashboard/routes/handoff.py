"""Hand-off controls on a conversation: the owner's reply, hand back, take over.

While a conversation is handed off (customers.handed_off_at, tools/handoff.py) the agent
stays silent there and the owner's words typed here go to the customer through the
business's number (the outbox). Handing back tells the customer the agent is back.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from whsp_ai.dashboard.deps import ChannelDep, DbDep, WriterDep
from whsp_ai.dashboard.forms import form_text
from whsp_ai.dashboard.routes.conversations import customer_of, thread_page
from whsp_ai.db.models import Customer
from whsp_ai.messages.limits import TEXT_MAX
from whsp_ai.tools import handoff

router = APIRouter()


def _back_to(customer: Customer) -> Response:
    where = f"/dashboard/conversations/{quote(customer.wa_id, safe='')}#handoff"
    return RedirectResponse(where, status_code=303)


@router.post("/conversations/{wa_id}/reply")
async def reply(
    request: Request, wa_id: str, owner: WriterDep, db: DbDep, channel: ChannelDep
) -> Response:
    """The owner's words to a handed-off customer; refused while the agent is answering."""
    customer = await customer_of(db, owner, wa_id)
    text = form_text(await request.form(), "text", max_length=TEXT_MAX).strip()
    if customer.handed_off_at is None:
        error, status = "The agent is answering this customer: take over first.", 409
    elif not text:
        error, status = "Write something to send.", 422
    else:
        await handoff.owner_reply(db, business_id=owner.id, wa_id=customer.wa_id, text=text)
        await db.commit()  # before the sender looks, so the reply goes out now
        channel.sender.wake.set()
        return _back_to(customer)
    return await thread_page(
        request, owner, db, customer, status_code=status, error=error, draft=text
    )


@router.post("/conversations/{wa_id}/handback")
async def hand_back(wa_id: str, owner: WriterDep, db: DbDep, channel: ChannelDep) -> Response:
    """The agent answers again, and the customer is told so (nothing when not handed off)."""
    customer = await customer_of(db, owner, wa_id)
    await handoff.hand_back(db, business_id=owner.id, wa_id=customer.wa_id)
    await db.commit()
    channel.sender.wake.set()
    return _back_to(customer)


@router.post("/conversations/{wa_id}/takeover")
async def take_over(wa_id: str, owner: WriterDep, db: DbDep) -> Response:
    """The owner steps in unasked: the agent goes silent here until it is handed back."""
    customer = await customer_of(db, owner, wa_id)
    await handoff.take_over(db, business_id=owner.id, wa_id=customer.wa_id)
    return _back_to(customer)
