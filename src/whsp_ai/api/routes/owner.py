"""The owner's side of CONTRACT §7 in the management API: an order and its status, and
conversations handed to a person (hand back, reply).

Same rules as management.py: a Bearer key sees its business alone; another business's
order or customer is a 404, exactly as if it did not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from whsp_ai.api.deps import (
    AUTH_RESPONSES,
    BODY_RESPONSES,
    BusinessDep,
    ChannelDep,
    SessionDep,
    single_valued_query,
)
from whsp_ai.api.routes.management import OrderPublic, public_orders
from whsp_ai.api.routes.management_inputs import OrderStatusName
from whsp_ai.db.fields import JSON_ID_MAX, Line
from whsp_ai.db.fields import Text as FreeText
from whsp_ai.db.repositories import orders
from whsp_ai.tools import handoff
from whsp_ai.tools import orders as order_tools

# A path segment is text: parsed as a number here, refused (422) past what a row id can be.
OrderId = Annotated[int, Path(ge=1, le=JSON_ID_MAX)]

router = APIRouter(
    prefix="/management",
    tags=["management"],
    responses=AUTH_RESPONSES,
    dependencies=[Depends(single_valued_query)],
)


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "paid"}]})

    status: OrderStatusName


class HandBack(BaseModel):
    wa_id: str
    handed_back: bool  # false: the conversation was not handed off


class OwnerReply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: FreeText = Field(min_length=1, max_length=4096)


class OwnerReplySent(BaseModel):
    wa_id: str
    messages: int


async def _order(session: SessionDep, business_id: int, order_id: int) -> dict[str, Any]:
    placed = await orders.list_orders(session, business_id=business_id, order_id=order_id)
    if not placed:
        raise HTTPException(404, f"no order {order_id}")
    return (await public_orders(session, placed))[0]


@router.get(
    "/orders/{order_id}",
    response_model=OrderPublic,
    responses={**BODY_RESPONSES, 404: {"description": "no such order"}},
)
async def get_order(order_id: OrderId, business: BusinessDep, session: SessionDep) -> Any:
    return await _order(session, business.id or 0, order_id)


@router.patch(
    "/orders/{order_id}",
    response_model=OrderPublic,
    responses={
        **BODY_RESPONSES,
        404: {"description": "no such order"},
        409: {"description": "the order can't move from its status to this one"},
    },
)
async def change_order_status(
    order_id: OrderId,
    body: StatusChange,
    business: BusinessDep,
    session: SessionDep,
    channel: ChannelDep,
) -> Any:
    """pending → paid → shipped → delivered, or cancelled before delivery; the customer is
    told on WhatsApp in their language. The same status again changes nothing."""
    try:
        await order_tools.change_status(
            session, business_id=business.id or 0, order_id=order_id, status=body.status
        )
    except order_tools.OrderNotFound:
        raise HTTPException(404, f"no order {order_id}") from None
    except order_tools.ImpossibleChange as exc:
        raise HTTPException(409, str(exc)) from None
    found = await _order(session, business.id or 0, order_id)
    await session.commit()  # before the sender looks: the customer's update goes out now
    channel.sender.wake.set()
    return found


@router.post(
    "/conversations/{wa_id}/handback",
    response_model=HandBack,
    responses={404: {"description": "no customer with this WhatsApp id"}},
)
async def hand_back(
    wa_id: Line, business: BusinessDep, session: SessionDep, channel: ChannelDep
) -> HandBack:
    """End a hand-off: the agent answers again, and the customer is told it is back."""
    try:
        ended = await handoff.hand_back(session, business_id=business.id or 0, wa_id=wa_id)
    except handoff.CustomerNotFound:
        raise HTTPException(404, f"no customer {wa_id!r}") from None
    await session.commit()
    channel.sender.wake.set()
    return HandBack(wa_id=wa_id, handed_back=ended)


@router.post(
    "/conversations/{wa_id}/reply",
    response_model=OwnerReplySent,
    responses={**BODY_RESPONSES, 404: {"description": "no customer with this WhatsApp id"}},
)
async def owner_reply(
    wa_id: Line,
    body: OwnerReply,
    business: BusinessDep,
    session: SessionDep,
    channel: ChannelDep,
) -> OwnerReplySent:
    """The owner's own words to a customer, sent from the business's number."""
    try:
        sent = await handoff.owner_reply(
            session, business_id=business.id or 0, wa_id=wa_id, text=body.text
        )
    except handoff.CustomerNotFound:
        raise HTTPException(404, f"no customer {wa_id!r}") from None
    except ValueError as exc:
        where = ("body", "text")
        error = {"type": "value_error", "loc": where, "msg": str(exc), "input": body.text}
        raise RequestValidationError([error]) from None
    await session.commit()
    channel.sender.wake.set()
    return OwnerReplySent(wa_id=wa_id, messages=sent)
