"""Inbound WhatsApp messages: recorded once per WhatsApp message id, before any model work."""

from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from whsp_ai.db.models import InboundMessage

RECORD_SQL = """
WITH new AS (
    INSERT INTO inbound_messages
        (business_id, wa_message_id, customer_wa_id, type, payload, status)
    VALUES
        (%(business_id)s, %(wa_message_id)s, %(customer_wa_id)s, %(type)s, %(payload)s, 'received')
    ON CONFLICT (wa_message_id) DO NOTHING
    RETURNING id, true AS new, status
)
SELECT id, new, status FROM new
UNION ALL
SELECT id, false, status FROM inbound_messages
WHERE wa_message_id = %(wa_message_id)s AND business_id = %(business_id)s
  AND NOT EXISTS (SELECT 1 FROM new)
"""


async def record(
    conn: psycopg.AsyncConnection[Any],
    *,
    business_id: int,
    wa_message_id: str,
    customer_wa_id: str,
    type: str,
    payload: dict[str, Any],
) -> tuple[int, bool, str]:
    """(id, newly recorded, status), in one round trip; a redelivered id changes nothing.

    Raw SQL on a pool connection: this is the webhook's hot path, where every
    millisecond of CPU is an ack that waits. An id another business owns is "foreign".
    """
    cursor = await conn.execute(
        RECORD_SQL,
        {
            "business_id": business_id,
            "wa_message_id": wa_message_id,
            "customer_wa_id": customer_wa_id,
            "type": type,
            "payload": Jsonb(payload),
        },
    )
    row: Any = await cursor.fetchone()
    if row is None:
        return 0, False, "foreign"
    return int(row["id"]), bool(row["new"]), str(row["status"])


async def mark(
    session: AsyncSession,
    *,
    business_id: int,
    inbound_id: int,
    status: str,
    error: str | None = None,
) -> None:
    await session.execute(
        update(InboundMessage)
        .where(col(InboundMessage.business_id) == business_id, col(InboundMessage.id) == inbound_id)
        .values(status=status, error=error, processed_at=func.now())
    )
