"""Messages held outside the 24-hour window: kept, listed for the dashboard, never lost.

The sender (whatsapp/sender.py) holds a message it may not send: its recipient last wrote
more than 24 hours ago and the business has no template for it, or Meta answered 131047.
Held rows go out, in order, the moment the recipient writes again (whatsapp/inbound.py
releases them in the statement that opens the message's job).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import OutboundMessage

HELD = "held"


@dataclass(frozen=True)
class HeldNotice:
    id: int
    to_wa_id: str
    text: str  # what the message says, as the recipient will read it
    created_at: datetime
    reason: str | None


def text_of(payload: dict[str, Any]) -> str:
    """The words of an outbox payload (text, or an interactive message's body)."""
    kind = payload.get("type")
    if kind == "text":
        return str((payload.get("text") or {}).get("body") or "")
    if kind == "interactive":
        return str(((payload.get("interactive") or {}).get("body") or {}).get("text") or "")
    return ""


async def held_notices(
    session: AsyncSession, *, business_id: int, limit: int = 100
) -> list[HeldNotice]:
    """The business's held messages, oldest first (what the dashboard shows as kept)."""
    rows = (
        await session.execute(
            select(OutboundMessage)
            .where(OutboundMessage.business_id == business_id, OutboundMessage.status == HELD)
            .order_by(col(OutboundMessage.id))
            .limit(limit)
        )
    ).scalars()
    return [
        HeldNotice(
            id=row.id or 0,
            to_wa_id=row.to_wa_id,
            text=text_of(row.payload),
            created_at=row.created_at or datetime.min,
            reason=row.last_error,
        )
        for row in rows
    ]


async def release_held(session: AsyncSession, *, business_id: int, wa_id: str) -> int:
    """Queue again what was held for one recipient (the window reopened); how many."""
    released = await session.execute(
        update(OutboundMessage)
        .where(
            col(OutboundMessage.business_id) == business_id,
            col(OutboundMessage.to_wa_id) == wa_id,
            col(OutboundMessage.status) == HELD,
        )
        .values(status="queued", next_attempt_at=func.now(), updated_at=func.now())
        .returning(col(OutboundMessage.id))
    )
    return len(released.all())
