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
from whsp_ai.whatsapp import queue, statuses
from whsp_ai.whatsapp.payloads import (
    Contact,
    ErrorDetail,
    Identity,
    Message,
    Status,
    Value,
    WebhookPayload,
)
from whsp_ai.whatsapp.storable import storable

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

_TENANT_TTL_S = 30.0
_tenants: dict[str, tuple[float, int | None]] = {}


async def record_payload(db: Database, payload: WebhookPayload) -> int:
    """Store messages, their jobs and statuses in one transaction; the number of jobs queued.

    A message Postgres refuses must not take the rest of Meta's batch down with it: Meta
    would retry the whole batch for days, and lose its good messages every time. So when
    the batch fails on one message's values, it is recorded again with each message under
    its own savepoint, kept as "unknown" or skipped alone. Savepoints only then: they cost
    two round trips a message, and the ack waits for this (one connection, plain SQL).
    """
    try:
        return await _record_batch(db, payload, alone=False)
    except _UNSTORABLE as exc:
        log.warning("webhook batch refused (%s): recording each message alone", exc)
        return await _record_batch(db, payload, alone=True)


async def _record_batch(db: Database, payload: WebhookPayload, *, alone: bool) -> int:
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
                    if message is not None:
                        jobs += await _record(conn, business_id, message, names, alone)
                for status_update in _parsed(Status, value.statuses):
                    await statuses.apply(conn, business_id, status_update)
    return jobs


# What Postgres or the encoder may refuse in one message's values; anything else (a lost
# connection) fails the request, so Meta retries it.
_UNSTORABLE = (psycopg.DataError, psycopg.errors.ProgramLimitExceeded, ValueError)


async def _record(
    conn: psycopg.AsyncConnection[Any],
    business_id: int,
    message: Message,
    names: dict[str, str | None],
    alone: bool,
) -> int:
    """Record one message and queue its job; jobs queued. `alone`: under a savepoint, as
    itself, else as "unknown", else not at all; otherwise a refusal fails the batch."""
    try:
        body = storable(message.model_dump(mode="json", by_alias=True, exclude_none=True))
        if names.get(message.from_):
            body["profile_name"] = storable(names[message.from_])
        if not alone:
            return await _store(conn, business_id, message, message.type, body)
        async with conn.transaction():  # a savepoint: this message fails alone
            return await _store(conn, business_id, message, message.type, body)
    except _UNSTORABLE as exc:
        if not alone:
            raise
        reason = f"{type(exc).__name__}: {str(exc)[:200]}"
    log.warning("webhook message %s recorded as unknown: %s", message.id, reason)
    kept = {"id": message.id, "from": message.from_, "type": "unknown", "unstorable": reason}
    try:
        async with conn.transaction():
            return await _store(conn, business_id, message, "unknown", storable(kept))
    except _UNSTORABLE as exc:
        log.error("webhook message %s skipped, it cannot be recorded: %s", message.id, exc)
        return 0


async def _store(
    conn: psycopg.AsyncConnection[Any],
    business_id: int,
    message: Message,
    kind: str,
    body: dict[str, Any],
) -> int:
    inbound_id, new, status = await inbound.record(
        conn,
        business_id=business_id,
        wa_message_id=message.id,
        customer_wa_id=message.from_,
        type=kind,
        payload=body,
    )
    # A redelivery of a message that never finished gets its job again: the job skips
    # messages already processed, so this can't apply it twice.
    if new or status == "received":
        await queue.enqueue(business_id, message.from_, inbound_id, connection=conn)
        return 1
    return 0


def _message(raw: Any) -> Message | None:
    """A message as we can read it; one we can't is still recorded (as "unknown") when it
    names a usable id and sender, so the customer gets a polite answer instead of silence.
    Without those there is nothing to record it under, nor anyone to answer: it is logged."""
    try:
        return Message.model_validate(raw)
    except ValidationError as exc:
        problems = _problems(exc)
    try:
        who = Identity.model_validate(raw)
    except ValidationError as exc:
        log.error("webhook message skipped, no usable id or sender: %s", _problems(exc))
        return None
    log.warning("webhook message %s recorded as unknown: %s", who.id, problems)
    return Message.model_validate({"from": who.from_, "id": who.id, "type": "unknown", "raw": raw})


def _problems(exc: ValidationError) -> list[str]:
    """The first few reasons, without the offending input (it may be megabytes)."""
    return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3]]


def _parsed(model: type[M], items: list[Any]) -> list[M]:
    parsed = []
    for item in items:
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as exc:
            log.warning("webhook %s ignored: %s", model.__name__, _problems(exc))
    return parsed


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
