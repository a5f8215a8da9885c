"""The webhook's HTTP edge: body limits, nesting, methods, and what its OpenAPI promises."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from tests.integration.test_webhook import PNID, inbound_rows, sandbox_business
from tests.whatsapp import envelope, signed, text_message
from whsp_ai.db.database import Database
from whsp_ai.settings import Settings

LIMIT = 3 * 1024 * 1024


@pytest.fixture
async def unsigned_service(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The service as `make run` starts it: no WHATSAPP_APP_SECRET, so nothing is signed."""
    from whsp_ai.api.app import create_app
    from whsp_ai.whatsapp import intake

    intake._tenants.clear()
    app = create_app(settings.model_copy(update={"whatsapp_app_secret": None}), workers=False)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://test"
        ) as client,
    ):
        yield client


def _nested(levels: int) -> bytes:
    return (
        b'{"object": "whatsapp_business_account", "entry": ' + b"[" * levels + b"]" * levels + b"}"
    )


def _nested_in_a_message(levels: int) -> bytes:
    message = text_message("5215500000301", "hola")
    message["extra"] = "NEST"
    body = json.dumps(envelope(PNID, [message])).encode()
    return body.replace(b'"NEST"', b"[" * levels + b"]" * levels)


@pytest.mark.parametrize("levels", [100, 500, 1000, 5000])
@pytest.mark.parametrize("where", ["entry", "message"])
async def test_deep_nesting_is_refused_with_400(
    service: httpx.AsyncClient,
    unsigned_service: httpx.AsyncClient,
    db: Database,
    levels: int,
    where: str,
) -> None:
    await sandbox_business(db)
    raw = _nested(levels) if where == "entry" else _nested_in_a_message(levels)
    body, headers = signed(raw)
    with_signature = await service.post("/webhook", content=body, headers=headers)
    without = await unsigned_service.post(
        "/webhook", content=raw, headers={"Content-Type": "application/json"}
    )
    for response in (with_signature, without):
        assert response.status_code == 400, response.text
        assert "nested" in response.json()["error"]
    assert await inbound_rows(db) == []


@pytest.mark.parametrize(
    "raw",
    [b'{"object": NaN}', b'{"object": Infinity}', b'{"n": ' + b"9" * 5000 + b"}", b"\xff\xfe"],
    ids=["NaN", "Infinity", "5000 digits", "not UTF-8"],
)
async def test_json_python_parses_but_postgres_or_json_refuse(
    unsigned_service: httpx.AsyncClient, raw: bytes
) -> None:
    response = await unsigned_service.post("/webhook", content=raw)
    assert response.status_code == 400, response.text


async def test_a_number_too_large_for_a_float_is_kept_as_null(
    unsigned_service: httpx.AsyncClient, db: Database
) -> None:
    await sandbox_business(db)
    message = {**text_message("5215500000302", "hola"), "location": "BIG"}
    raw = json.dumps(envelope(PNID, [message])).encode().replace(b'"BIG"', b"1e999")
    response = await unsigned_service.post("/webhook", content=raw)
    assert response.status_code == 200, response.text
    [row] = await inbound_rows(db)
    assert row.type == "text" and row.payload.get("location") is None


class _Upload:
    """A chunked upload that counts how much of itself the server pulled."""

    def __init__(self, total: int, chunk: int = 64 * 1024) -> None:
        self.total, self.chunk, self.sent = total, chunk, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.total:
            self.sent += self.chunk
            yield b"x" * self.chunk


async def test_a_chunked_body_is_read_only_up_to_the_limit(
    unsigned_service: httpx.AsyncClient,
) -> None:
    upload = _Upload(48 * 1024 * 1024)
    response = await unsigned_service.post("/webhook", content=upload)  # no Content-Length
    assert response.status_code == 413
    assert upload.sent <= LIMIT + upload.chunk


async def test_a_declared_length_over_the_limit_is_refused_before_reading(
    unsigned_service: httpx.AsyncClient,
) -> None:
    upload = _Upload(48 * 1024 * 1024)
    response = await unsigned_service.post(
        "/webhook", content=upload, headers={"Content-Length": str(48 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert upload.sent <= upload.chunk  # at most the first chunk the transport pre-reads


async def test_an_unsigned_upload_is_refused_before_reading_when_signatures_are_on(
    service: httpx.AsyncClient,
) -> None:
    upload = _Upload(48 * 1024 * 1024)
    response = await service.post("/webhook", content=upload)
    assert response.status_code == 401
    assert upload.sent <= upload.chunk


async def test_a_body_at_the_limit_is_read(unsigned_service: httpx.AsyncClient) -> None:
    payload = b'{"object": "whatsapp_business_account", "entry": [], "pad": "'
    payload += b"x" * (LIMIT - len(payload) - 2) + b'"}'
    assert len(payload) == LIMIT
    assert (await unsigned_service.post("/webhook", content=payload)).status_code == 200


async def test_options_and_other_methods_name_the_real_ones(service: httpx.AsyncClient) -> None:
    options = await service.options("/webhook")
    assert options.status_code == 204
    allowed = {m.strip() for m in options.headers["allow"].split(",")}
    assert {"GET", "POST", "OPTIONS"} <= allowed
    for method in ("PUT", "PATCH", "DELETE"):
        refused = await service.request(method, "/webhook")
        assert refused.status_code == 405
        assert {m.strip() for m in refused.headers["allow"].split(",")} == allowed


async def test_openapi_lists_what_the_webhook_answers(service: httpx.AsyncClient) -> None:
    paths = (await service.get("/openapi.json")).json()["paths"]["/webhook"]
    assert {"200", "400", "401", "413", "422"} <= set(paths["post"]["responses"])
    assert {"200", "403"} <= set(paths["get"]["responses"])
    assert "204" in paths["options"]["responses"]
    body = paths["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["object", "entry"]


async def test_every_corpus_payload_fits_the_documented_body(service: httpx.AsyncClient) -> None:
    import jsonschema

    from tests.integration.test_webhook_corpus import CORPUS

    paths = (await service.get("/openapi.json")).json()["paths"]["/webhook"]
    schema = paths["post"]["requestBody"]["content"]["application/json"]["schema"]
    for path in CORPUS.glob("*.json"):
        jsonschema.validate(json.loads(path.read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"object": "page", "entry": []}, schema)


async def test_a_sender_that_hangs_up_mid_body_gets_a_4xx_not_a_traceback(
    db: Database, settings: Settings
) -> None:
    from whsp_ai.api.app import create_app

    app = create_app(settings.model_copy(update={"whatsapp_app_secret": None}), workers=False)
    messages = iter(
        [
            {"type": "http.request", "body": b'{"object": "whatsapp_bus', "more_body": True},
            {"type": "http.disconnect"},
        ]
    )
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return next(messages)

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "path": "/webhook",
        "raw_path": b"/webhook",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "scheme": "http",
    }
    async with LifespanManager(app) as manager:
        await manager.app(scope, receive, send)  # type: ignore[arg-type]
    assert sent[0]["type"] == "http.response.start"
    assert 400 <= int(sent[0]["status"]) < 500  # type: ignore[call-overload]
