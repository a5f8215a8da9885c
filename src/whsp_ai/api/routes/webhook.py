"""The WhatsApp webhook: verify, record durably, acknowledge. No model work happens here."""

from __future__ import annotations

import logging
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect

from whsp_ai.api.deps import DatabaseDep, SettingsDep
from whsp_ai.whatsapp.intake import record_payload
from whsp_ai.whatsapp.payloads import WebhookPayload
from whsp_ai.whatsapp.signature import valid_signature
from whsp_ai.whatsapp.storable import Unreadable, loads

log = logging.getLogger(__name__)
router = APIRouter(tags=["whatsapp"])

MAX_BODY_BYTES = 3 * 1024 * 1024  # Meta's payload limit
ALLOW = "GET, POST, OPTIONS"


class WebhookError(BaseModel):
    error: str
    details: list[dict[str, Any]] | None = None


class Accepted(BaseModel):
    status: str = "ok"


def _described(text: str) -> dict[str, Any]:
    return {"model": WebhookError, "description": text}


# The request body is read as bytes (the signature covers them), so FastAPI can't infer
# it: this documents what Meta sends, for readers of /docs and for schemathesis.
_CHANGE = {
    "type": "object",
    "required": ["field", "value"],
    "properties": {"field": {"type": "string"}, "value": {"type": "object"}},
}
_ENTRY = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": ["string", "number"]},
        "changes": {"type": "array", "items": _CHANGE},
    },
}
_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["object", "entry"],
                "properties": {
                    "object": {"type": "string", "enum": ["whatsapp_business_account"]},
                    # Meta sends at most 1,000 entries; no maxItems, because schemathesis's
                    # generators break on lists of 1,000 objects.
                    "entry": {"type": "array", "items": _ENTRY},
                },
            }
        }
    },
}
_POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _described("The body is not JSON we can read: malformed, or nested too deeply"),
    401: _described("X-Hub-Signature-256 is missing or wrong (when WHATSAPP_APP_SECRET is set)"),
    413: _described("The body is over Meta's 3 MB limit"),
    422: _described("JSON, but not a WhatsApp Business webhook payload"),
}
_TEXT = {"text/plain": {"schema": {"type": "string"}}}


@router.get(
    "/webhook",
    response_class=PlainTextResponse,
    responses={
        200: {"content": _TEXT, "description": "The challenge, echoed"},
        403: {"content": _TEXT, "description": "Wrong or missing verify token"},
    },
)
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


@router.options("/webhook", status_code=204, responses={204: {"description": f"Allow: {ALLOW}"}})
async def options() -> Response:
    """The methods this path answers."""
    return Response(status_code=204, headers={"Allow": ALLOW})


@router.api_route(
    "/webhook", methods=["PUT", "PATCH", "DELETE", "HEAD", "TRACE"], include_in_schema=False
)
async def not_allowed() -> Response:
    """405 naming the real methods (Starlette's own would name the first route's only)."""
    return JSONResponse({"error": "method not allowed"}, status_code=405, headers={"Allow": ALLOW})


def _error(status: int, message: str, details: Any = None) -> JSONResponse:
    content: dict[str, Any] = {"error": message}
    if details is not None:
        content["details"] = details
    return JSONResponse(status_code=status, content=content)


async def _body(request: Request) -> bytes | None:
    """The body, or None once it passes the limit: a chunked upload is read only that far,
    so a 48 MB body costs 3 MB of memory at most, not 48."""
    received = bytearray()
    try:
        async for chunk in request.stream():
            received += chunk
            if len(received) > MAX_BODY_BYTES:
                return None
    except ClientDisconnect:
        # The sender hung up mid-body: a half body is refused below as any bad one would
        # be (nobody reads the answer), instead of a traceback; Meta resends it whole.
        return bytes(received)
    return bytes(received)


@router.post(
    "/webhook",
    response_model=Accepted,
    responses=_POST_RESPONSES,
    openapi_extra={"requestBody": _BODY},
)
async def receive(request: Request, db: DatabaseDep, settings: SettingsDep) -> Any:
    """Record every message and status of Meta's envelope, then answer 200."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _error(413, "payload over 3 MB")  # refused before a byte of it is read
    signature = request.headers.get("x-hub-signature-256")
    if settings.whatsapp_app_secret and not signature:
        return _error(401, "missing or invalid X-Hub-Signature-256")  # no need to read it
    body = await _body(request)
    if body is None:
        return _error(413, "payload over 3 MB")
    if settings.whatsapp_app_secret and not valid_signature(
        settings.whatsapp_app_secret, body, signature
    ):
        return _error(401, "missing or invalid X-Hub-Signature-256")
    try:
        raw = loads(body)
    except Unreadable as exc:
        return _error(400, str(exc))
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
