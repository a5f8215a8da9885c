"""Intake: a WhatsApp webhook payload recorded durably, with one job per new message.

Shared by POST /webhook and the terminal chat, so both go through the same pipeline.
"""

from __future__ import annotations

import logging
import time
from typing import Any, TypeVar

import psycopg
from pydantic import BaseModel, ValidationError

from whsp_ai.db.database import Database
from whsp_ai.db.repositories import businesses, inbound
from whsp_ai.whatsapp import queue
from whsp_ai.whatsapp.payloads import (
    Contact,
    ErrorDetail,
    Message,
    Status,
    Value,
    WebhookPayload,
)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

_TENANT_TTL_S = 30.0
_tenants: dict[str, tuple[float, int | None]] = {}


async def record_payload(db: Database, payload: WebhookPayload) -> int:
    """Store messages, their jobs and statuses in one transaction: all of it or none.

    One pool connection and plain SQL: the ack waits for this, and nothing else.
    """
    jobs = 0
    async with db.pool.connection() as conn, conn.transaction():
        for entry in payload.entry:
            for change in entry.changes:
                if change.field != "messages":
                    continue
                if not isinstance(change.value, Value):
                    log.error("webhook change without metadata.phone_number_id ignored")
                    continue
                value = change.value
                business_id = await _tenant(db, value.metadata.phone_number_id)
                if business_id is None:
                    log.warning(
                        "webhook for unknown phone_number_id %s ignored",
                        value.metadata.phone_number_id,
                    )
                    continue
                for error in _parsed(ErrorDetail, value.errors):
                    log.error("WhatsApp reported error %s: %s", error.code, error.title)
                names = {
                    c.wa_id: c.profile.name for c in _parsed(Contact, value.contacts) if c.profile
                }
                for raw in value.messages:
                    message = _message(raw)
                    if message is None:
                        continue
                    body = _without_nul(
                        message.model_dump(mode="json", by_alias=True, exclude_none=True)
                    )
                    if names.get(message.from_):
                        body["profile_name"] = names[message.from_]
                    inbound_id, new, status = await inbound.record(
                        conn,
                        business_id=business_id,
                        wa_message_id=message.id,
                        customer_wa_id=message.from_,
                        type=message.type,
                        payload=body,
                    )
                    # A redelivery of a message that never finished gets its job again: the
                    # job skips messages already processed, so this can't apply it twice.
                    if new or status == "received":
                        await queue.enqueue(business_id, message.from_, inbound_id, connection=conn)
                        jobs += 1
                for status_update in _parsed(Status, value.statuses):
                    await _status(conn, business_id, status_update)
    return jobs


def _message(raw: dict[str, Any]) -> Message | None:
    """A message as we can read it; one we can't is still recorded (as "unknown") when it
    names its id and sender, so the customer gets a polite answer instead of silence."""
    try:
        return Message.model_validate(raw)
    except ValidationError as exc:
        sender, message_id = raw.get("from"), raw.get("id")
        if not isinstance(sender, str | int) or not isinstance(message_id, str | int):
            log.error("unreadable webhook message dropped: %s", exc.errors()[:3])
            return None
        log.warning("webhook message %s recorded as unknown: %s", message_id, exc.errors()[:3])
        return Message.model_validate(
            {"from": sender, "id": message_id, "type": "unknown", "raw": raw}
        )


def _parsed(model: type[M], items: list[dict[str, Any]]) -> list[M]:
    parsed = []
    for item in items:
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as exc:
            log.warning("webhook %s ignored: %s", model.__name__, exc.errors()[:3])
    return parsed


def _without_nul(value: Any) -> Any:
    """Postgres text and jsonb can't hold NUL characters; WhatsApp text can."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {k: _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


# Statuses arrive in any order; a message only moves forward (read never becomes delivered).
_STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}
_STATUS_SQL = """
UPDATE outbound_messages SET status = %(status)s, error_code = coalesce(%(code)s, error_code),
    updated_at = now()
WHERE business_id = %(business_id)s AND wa_message_id = %(wa_id)s
  AND (CASE status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3
       WHEN 'failed' THEN 4 ELSE 0 END) < %(rank)s
"""


async def _status(conn: psycopg.AsyncConnection[Any], business_id: int, update: Status) -> None:
    code = update.errors[0].code if update.errors else None
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


async def _tenant(db: Database, phone_number_id: str) -> int | None:
    cached = _tenants.get(phone_number_id)
    if cached and time.monotonic() - cached[0] < _TENANT_TTL_S:
        return cached[1]
    async with db.session() as session:
        business = await businesses.by_phone_number_id(session, phone_number_id=phone_number_id)
    if business is None:
        return None  # not cached: a business imported a moment ago must be found next time
    _tenants[phone_number_id] = (time.monotonic(), business.id)
    return business.id
