"""The WhatsApp webhook: verify, record durably, acknowledge. No model work happens here."""

from __future__ import annotations

import json
import logging
import time
from typing import Annotated, Any

import psycopg
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import ValidationError

from whsp_ai.api.deps import DatabaseDep, SettingsDep
from whsp_ai.db.database import Database
from whsp_ai.db.repositories import businesses, inbound
from whsp_ai.whatsapp import queue
from whsp_ai.whatsapp.payloads import Status, Value, WebhookPayload
from whsp_ai.whatsapp.signature import valid_signature

log = logging.getLogger(__name__)
router = APIRouter(tags=["whatsapp"])

MAX_BODY_BYTES = 3 * 1024 * 1024  # Meta's payload limit
_TENANT_TTL_S = 30.0
_tenants: dict[str, tuple[float, int | None]] = {}


@router.get("/webhook", response_class=PlainTextResponse)
async def verify(
    settings: SettingsDep,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
) -> PlainTextResponse:
    """Meta's subscription handshake: echo the challenge when the token matches."""
    expected = settings.whatsapp_verify_token
    if mode == "subscribe" and expected and token == expected and challenge is not None:
        return PlainTextResponse(challenge)
    return PlainTextResponse("verification failed", status_code=403)


def _error(status: int, message: str, details: Any = None) -> JSONResponse:
    content: dict[str, Any] = {"error": message}
    if details is not None:
        content["details"] = details
    return JSONResponse(status_code=status, content=content)


@router.post("/webhook", response_model=None)
async def receive(
    request: Request, db: DatabaseDep, settings: SettingsDep
) -> JSONResponse | dict[str, str]:
    """Record every message and status of Meta's envelope, then answer 200."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _error(413, "payload over 3 MB")
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "payload over 3 MB")
    if settings.whatsapp_app_secret and not valid_signature(
        settings.whatsapp_app_secret, body, request.headers.get("x-hub-signature-256")
    ):
        return _error(401, "missing or invalid X-Hub-Signature-256")
    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _error(400, f"malformed JSON: {exc}")
    try:
        payload = WebhookPayload.model_validate(raw)
    except ValidationError as exc:
        details = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()[:20]]
        return _error(422, "not a WhatsApp Business webhook payload", details)
    started = time.perf_counter()
    recorded = await _record(db, payload)
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.debug("webhook recorded %d messages in %.1f ms", recorded, elapsed_ms)
    return {"status": "ok"}


async def _record(db: Database, payload: WebhookPayload) -> int:
    """Store messages, their jobs and statuses in one transaction: all of it or none.

    One pool connection and plain SQL: the ack waits for this, and nothing else.
    """
    jobs = 0
    async with db.pool.connection() as conn, conn.transaction():
        for entry in payload.entry:
            for change in entry.changes:
                if change.field != "messages" or not isinstance(change.value, Value):
                    continue
                value = change.value
                business_id = await _tenant(db, value.metadata.phone_number_id)
                if business_id is None:
                    log.warning(
                        "webhook for unknown phone_number_id %s ignored",
                        value.metadata.phone_number_id,
                    )
                    continue
                for error in value.errors:
                    log.error("WhatsApp reported error %s: %s", error.code, error.title)
                names = {c.wa_id: c.profile.name for c in value.contacts if c.profile}
                for message in value.messages:
                    body = message.model_dump(mode="json", by_alias=True, exclude_none=True)
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
                for status_update in value.statuses:
                    await _status(conn, business_id, status_update)
    return jobs


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
    found = business.id if business else None
    _tenants[phone_number_id] = (time.monotonic(), found)
    return found
