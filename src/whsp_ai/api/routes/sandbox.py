"""The demo sandbox: what would have gone to WhatsApp for businesses without an access token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlmodel import col, select

from whsp_ai.api.deps import BusinessDep, SessionDep
from whsp_ai.db.models import OutboundMessage
from whsp_ai.messages.cloud_api import to_reply

router = APIRouter(prefix="/sandbox", tags=["sandbox"])


@router.get("/messages")
async def sandbox_messages(
    business: BusinessDep,
    session: SessionDep,
    to: Annotated[str | None, Query(description="only messages to this WhatsApp id")] = None,
    after_id: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    """The business's sandboxed messages, oldest first (same API key as the management API)."""
    stmt = select(OutboundMessage).where(
        OutboundMessage.business_id == business.id,
        OutboundMessage.status == "sandbox",
        col(OutboundMessage.id) > after_id,
    )
    if to:
        stmt = stmt.where(OutboundMessage.to_wa_id == to)
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
