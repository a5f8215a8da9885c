"""The webhook as Meta drives it: handshake, signatures, parsing, durability, message types."""

from __future__ import annotations

import asyncio
import json

import httpx
import respx
from sqlmodel import select

from tests.factories import make_business
from tests.whatsapp import (
    GRAPH,
    VERIFY_TOKEN,
    Phone,
    envelope,
    running,
    settle,
    signed,
    tap,
    text_message,
    wamid,
)
from whsp_ai.db.database import Database
from whsp_ai.db.models import InboundMessage, OutboundMessage

PNID = "110000000000001"
CUSTOMER = "5215512345000"


def sent_ok(wa_id: str = "wamid.out") -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "messaging_product": "whatsapp",
            "contacts": [{"input": CUSTOMER, "wa_id": CUSTOMER}],
            "messages": [{"id": f"{wa_id}.{wamid()}"}],
        },
    )


async def sandbox_business(db: Database, n: int = 1) -> int:
    """A business without an access token: its replies go to the sandbox."""
    pnid = PNID if n == 1 else f"1100000000000{n:02d}"
    return (await make_business(db, n, whatsapp={"phone_number_id": pnid})).business_id


async def inbound_rows(db: Database) -> list[InboundMessage]:
    async with db.session() as s:
        return list((await s.execute(select(InboundMessage).order_by(InboundMessage.id))).scalars())


async def outbound_rows(db: Database) -> list[OutboundMessage]:
    async with db.session() as s:
        return list(
            (await s.execute(select(OutboundMessage).order_by(OutboundMessage.id))).scalars()
        )


# --- handshake and signatures ---------------------------------------------------------------


async def test_handshake(service: httpx.AsyncClient) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    ok = await service.get("/webhook", params=params)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert ok.headers["content-type"].startswith("text/plain")
    wrong = await service.get("/webhook", params={**params, "hub.verify_token": "nope"})
    assert wrong.status_code == 403
    assert (
        await service.get("/webhook", params={**params, "hub.mode": "unsubscribe"})
    ).status_code == 403


async def test_signature_missing_or_wrong_is_refused_without_effect(
    service: httpx.AsyncClient, db: Database
) -> None:
    await sandbox_business(db)
    body, headers = signed(envelope(PNID, [text_message(CUSTOMER, "hola")]))
    missing = await service.post(
        "/webhook", content=body, headers={"Content-Type": "application/json"}
    )
    wrong = await service.post(
        "/webhook", content=body, headers={**headers, "X-Hub-Signature-256": "sha256=" + "0" * 64}
    )
    tampered = await service.post(
        "/webhook", content=body.replace(b"hola", b"HOLA"), headers=headers
    )
    assert [r.status_code for r in (missing, wrong, tampered)] == [401, 401, 401]
    assert await inbound_rows(db) == []
    good = await service.post("/webhook", content=body, headers=headers)
    assert good.status_code == 200
    assert len(await inbound_rows(db)) == 1


async def test_malformed_requests_get_clear_4xx(service: httpx.AsyncClient, db: Database) -> None:
    body, headers = signed(b'{"object": "whatsapp_business_account", "entry": [')
    assert (await service.post("/webhook", content=body, headers=headers)).status_code == 400
    body, headers = signed({"object": "page", "entry": []})
    shape = await service.post("/webhook", content=body, headers=headers)
    assert shape.status_code == 422 and "details" in shape.json()
    body, headers = signed({"object": "whatsapp_business_account", "entry": [{"changes": "x"}]})
    assert (await service.post("/webhook", content=body, headers=headers)).status_code == 422
    huge = b'{"pad": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    body, headers = signed(huge)
    assert (await service.post("/webhook", content=body, headers=headers)).status_code == 413
    assert await inbound_rows(db) == []


# --- durability ------------------------------------------------------------------------------


async def test_batch_of_messages_in_one_post(service: httpx.AsyncClient, db: Database) -> None:
    a = await sandbox_business(db, 1)
    await sandbox_business(db, 2)
    first = envelope(
        PNID, [text_message("5215500000001", "hola"), text_message("5215500000002", "ayuda")]
    )
    second = envelope("110000000000002", [text_message("5215500000003", "hola")])
    first["entry"] += second["entry"]
    body, headers = signed(first)
    assert (await service.post("/webhook", content=body, headers=headers)).status_code == 200
    rows = await inbound_rows(db)
    assert [(r.customer_wa_id, r.business_id == a) for r in rows] == [
        ("5215500000001", True),
        ("5215500000002", True),
        ("5215500000003", False),
    ]
    await settle()
    assert {r.status for r in await inbound_rows(db)} == {"processed"}
    replies = [m for m in await outbound_rows(db) if m.payload.get("type")]
    assert sorted(m.to_wa_id for m in replies) == [
        "5215500000001",
        "5215500000002",
        "5215500000003",
    ]


async def test_duplicate_delivery_has_one_effect(service: httpx.AsyncClient, db: Database) -> None:
    await sandbox_business(db)
    phone = Phone(service, PNID, CUSTOMER)
    message = tap(CUSTOMER, "add:CONCHA", "Agregar")
    for _ in range(3):
        assert (await phone.post(message)).status_code == 200
    await settle()
    assert (await phone.post(message)).status_code == 200  # after processing, too
    await settle()
    assert len(await inbound_rows(db)) == 1
    view = await phone.say("qué llevo")
    assert "1 × Concha de vainilla" in view[0]["text"]


async def test_unknown_business_is_acknowledged_and_ignored(
    service: httpx.AsyncClient, db: Database
) -> None:
    body, headers = signed(envelope("999999999999999", [text_message(CUSTOMER, "hola")]))
    response = await service.post("/webhook", content=body, headers=headers)
    assert response.status_code == 200
    assert await inbound_rows(db) == []


# --- message types ---------------------------------------------------------------------------

OTHER_TYPES = {
    "image": {"image": {"mime_type": "image/jpeg", "sha256": "abc", "id": "1479537139650973"}},
    "audio": {
        "audio": {"mime_type": "audio/ogg; codecs=opus", "sha256": "abc", "id": "1", "voice": True}
    },
    "video": {"video": {"mime_type": "video/mp4", "sha256": "abc", "id": "2"}},
    "document": {"document": {"filename": "lista.pdf", "mime_type": "application/pdf", "id": "3"}},
    "sticker": {
        "sticker": {"mime_type": "image/webp", "sha256": "abc", "id": "4", "animated": False}
    },
    "location": {"location": {"latitude": 19.4326, "longitude": -99.1332, "name": "Zócalo"}},
    "contacts": {
        "contacts": [
            {
                "name": {"formatted_name": "Ana", "first_name": "Ana"},
                "phones": [{"phone": "+52 55 1234 5678", "type": "CELL"}],
            }
        ]
    },
    "order": {
        "order": {
            "catalog_id": "123",
            "product_items": [
                {"product_retailer_id": "SKU1", "quantity": 1, "item_price": 10, "currency": "MXN"}
            ],
        }
    },
    "unsupported": {
        "errors": [
            {"code": 131051, "title": "Message type unknown", "message": "Message type unknown"}
        ]
    },
}


async def test_every_other_message_type_is_recorded_and_answered_politely(
    service: httpx.AsyncClient, db: Database
) -> None:
    await sandbox_business(db)
    for i, (kind, extra) in enumerate(OTHER_TYPES.items()):
        sender = f"52155000010{i:02d}"
        message = {"from": sender, "id": wamid(), "timestamp": "1764151200", "type": kind, **extra}
        body, headers = signed(envelope(PNID, [message]))
        assert (await service.post("/webhook", content=body, headers=headers)).status_code == 200
    await settle()
    rows = await inbound_rows(db)
    assert [r.type for r in rows] == list(OTHER_TYPES)
    assert {r.status for r in rows} == {"processed"}
    answers = [m for m in await outbound_rows(db) if m.payload.get("type") == "text"]
    assert len(answers) == len(OTHER_TYPES)
    assert all("solo puedo leer texto" in m.payload["text"]["body"] for m in answers)


async def test_statuses_update_outbound_records(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    await make_business(db)  # has an access token: replies go to the Graph API
    respx_mock.post(f"{GRAPH}/{PNID}/messages").mock(side_effect=lambda request: sent_ok())
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("ayuda")
    [reply] = [m for m in await outbound_rows(db) if m.payload.get("type")]
    assert reply.status == "sent" and reply.wa_message_id
    for status in ("delivered", "sent", "read"):  # out of order: "sent" must not win
        update = {
            "id": reply.wa_message_id,
            "status": status,
            "timestamp": "1764151300",
            "recipient_id": CUSTOMER,
        }
        body, headers = signed(envelope(PNID, statuses=[update]))
        assert (await service.post("/webhook", content=body, headers=headers)).status_code == 200
    [reply] = [m for m in await outbound_rows(db) if m.payload.get("type")]
    assert reply.status == "read"
    failed = {
        "id": reply.wa_message_id,
        "status": "failed",
        "timestamp": "1764151400",
        "recipient_id": CUSTOMER,
        "errors": [{"code": 131026, "title": "Message undeliverable"}],
    }
    body, headers = signed(envelope(PNID, statuses=[failed]))
    await service.post("/webhook", content=body, headers=headers)
    [reply] = [m for m in await outbound_rows(db) if m.payload.get("type")]
    assert (reply.status, reply.error_code) == ("failed", 131026)


async def test_concurrent_messages_of_one_conversation_run_in_order(
    service: httpx.AsyncClient, db: Database
) -> None:
    await sandbox_business(db)
    phone = Phone(service, PNID, CUSTOMER)
    messages = [tap(CUSTOMER, "add:PAN-INT-500", "Agregar") for _ in range(5)]
    messages.append(text_message(CUSTOMER, "qué llevo"))
    responses = await asyncio.gather(*(phone.post(m) for m in messages))
    assert {r.status_code for r in responses} == {200}
    from whsp_ai.whatsapp import queue

    for _ in range(20):  # a 4-wide worker: the lock makes it take this conversation one by one
        await queue.app.run_worker_async(
            wait=False,
            install_signal_handlers=False,
            concurrency=4,
            additional_context=running().deps.worker_context(),
        )
        if {r.status for r in await inbound_rows(db)} == {"processed"}:
            break
    rows = await inbound_rows(db)
    assert {r.status for r in rows} == {"processed"}
    # Concurrent requests have no order of their own; the queue's is the order their jobs
    # were committed, and the conversation's messages must be processed in exactly that.
    async with db.pool.connection() as conn:
        jobs = await (
            await conn.execute(
                "SELECT args FROM procrastinate_jobs WHERE task_name = %s ORDER BY id",
                ("whsp.handle_inbound",),
            )
        ).fetchall()
    queued = [job["args"]["inbound_id"] for job in jobs if "inbound_id" in job["args"]]
    by_processing = sorted(rows, key=lambda r: r.processed_at)  # type: ignore[arg-type,return-value]
    assert [r.id for r in by_processing] == queued
    view = await phone.say("qué llevo")
    assert "5 × Pan integral 500 g" in view[-1]["text"]


async def test_read_receipts_are_sent(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    await make_business(db)
    route = respx_mock.post(f"{GRAPH}/{PNID}/messages").mock(side_effect=lambda request: sent_ok())
    phone = Phone(service, PNID, CUSTOMER)
    message = text_message(CUSTOMER, "hola")
    await phone.post(message)
    await settle()
    bodies = [json.loads(call.request.content) for call in route.calls]
    assert {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": message["id"],
    } in bodies
    assert all(call.request.headers["authorization"] == "Bearer EAAG-test" for call in route.calls)


async def test_odd_messages_are_recorded_not_dropped(
    service: httpx.AsyncClient, db: Database
) -> None:
    await sandbox_business(db)
    odd = [
        {
            "from": 5215500000201,
            "id": wamid(),
            "timestamp": 1764151200,
            "type": "text",
            "text": {"body": "hola"},
        },  # numbers where Meta sends strings
        {
            "from": "5215500000202",
            "id": wamid(),
            "timestamp": "1764151200",
            "type": "text",
            "text": {},
        },  # no body
        {
            "from": "5215500000203",
            "id": wamid(),
            "timestamp": "1764151200",
            "type": "text",
            "text": {"body": "hola\x00 con NUL"},
        },
        {"from": "5215500000204", "id": wamid(), "type": "text", "text": "not an object"},
    ]
    body, headers = signed(envelope(PNID, odd))
    assert (await service.post("/webhook", content=body, headers=headers)).status_code == 200
    rows = await inbound_rows(db)
    assert [r.customer_wa_id for r in rows] == [str(m["from"]) for m in odd]
    assert rows[2].payload["text"]["body"] == "hola con NUL"
    assert rows[3].type == "unknown"
    await settle()
    assert {r.status for r in await inbound_rows(db)} == {"processed"}
