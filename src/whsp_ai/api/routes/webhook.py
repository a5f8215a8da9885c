"""The WhatsApp webhook: verify, record durably, acknowledge. No model work happens here."""

from __future__ import annotations

import json
import logging
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import ValidationError

from whsp_ai.api.deps import DatabaseDep, SettingsDep
from whsp_ai.whatsapp.intake import record_payload
from whsp_ai.whatsapp.payloads import WebhookPayload
from whsp_ai.whatsapp.signature import valid_signature

log = logging.getLogger(__name__)
router = APIRouter(tags=["whatsapp"])

MAX_BODY_BYTES = 3 * 1024 * 1024  # Meta's payload limit


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
    recorded = await record_payload(db, payload)
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.debug("webhook recorded %d messages in %.1f ms", recorded, elapsed_ms)
    return {"status": "ok"}
