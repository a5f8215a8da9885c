"""The demo sandbox: what would have gone to WhatsApp for businesses without an access token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from whsp_ai.api.deps import AUTH_RESPONSES, BusinessDep, SessionDep, absent, single_valued_query
from whsp_ai.db.fields import INT8_MAX, Line
from whsp_ai.db.models import OutboundMessage
from whsp_ai.messages.cloud_api import to_reply

router = APIRouter(
    prefix="/sandbox",
    tags=["sandbox"],
    responses=AUTH_RESPONSES,
    dependencies=[Depends(single_valued_query)],
)


class SandboxQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown parameter is a 422, not ignored

    to: Line = absent(max_length=64, description="only messages to this WhatsApp id")
    after_id: int = Field(default=0, ge=0, le=INT8_MAX, description="only messages after it")


@router.get("/messages")
async def sandbox_messages(
    business: BusinessDep,
    session: SessionDep,
    query: Annotated[SandboxQuery, Query()],
) -> list[dict[str, Any]]:
    """The business's sandboxed messages, oldest first (same API key as the management API)."""
    stmt = select(OutboundMessage).where(
        OutboundMessage.business_id == business.id,
        OutboundMessage.status == "sandbox",
        col(OutboundMessage.id) > query.after_id,
    )
    if query.to:
        stmt = stmt.where(OutboundMessage.to_wa_id == query.to)
    rows = (await session.execute(stmt.order_by(col(OutboundMessage.id)).limit(500))).scalars()
    return [
        {
            "id": m.id,
            "to": m.to_wa_id,
            "message": to_reply(m.payload),
            "body": m.payload,
            "created_at": m.created_at,
        }
        for m in rows
    ]
