"""Delivery statuses (sent, delivered, read, failed) applied to the outbox rows they name."""

from __future__ import annotations

import logging
from typing import Any

import psycopg

from whsp_ai.whatsapp.payloads import Status

log = logging.getLogger(__name__)

# outbound_messages.error_code is an INTEGER: Meta's codes are six digits, anything
# outside the column's range is not a code we could act on, and must not fail the batch.
_INT4_MIN, _INT4_MAX = -(2**31), 2**31 - 1

# Statuses arrive in any order; a message only moves forward (read never becomes delivered).
_STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}
_STATUS_SQL = """
UPDATE outbound_messages SET status = %(status)s, error_code = coalesce(%(code)s, error_code),
    updated_at = now()
WHERE business_id = %(business_id)s AND wa_message_id = %(wa_id)s
  AND (CASE status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3
       WHEN 'failed' THEN 4 ELSE 0 END) < %(rank)s
"""


async def apply(conn: psycopg.AsyncConnection[Any], business_id: int, update: Status) -> None:
    code = update.errors[0].code if update.errors else None
    if code is not None and not _INT4_MIN <= code <= _INT4_MAX:
        code = None
    if update.status == "failed":
        log.error(
            "WhatsApp could not deliver %s: error %s", update.id, code, extra={"error_code": code}
        )
    rank = _STATUS_RANK.get(update.status)
    if rank is None:
        return
    await conn.execute(
        _STATUS_SQL,
        {
            "status": update.status,
            "code": code,
            "business_id": business_id,
            "wa_id": update.id,
            "rank": rank,
        },
    )
