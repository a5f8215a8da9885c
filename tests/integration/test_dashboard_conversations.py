"""The conversations pages: customers newest first a page at a time, each one's messages in
order (read receipts left out), escaped, bad cursors refused, another business's a 404."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text

from tests.dashboard import login
from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.db.repositories import conversations

XSS = "<script>alert(1)</script>"
T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def _sql(db: Database, statement: str, **params: object) -> None:
    async with db.session() as session:
        await session.execute(text(statement), params)


async def _customer(db: Database, business_id: int, wa_id: str, name: str, seen: datetime) -> None:
    await _sql(
        db,
        "INSERT INTO customers (business_id, wa_id, profile_name, last_seen_at) "
        "VALUES (:b, :w, :n, :at)",
        b=business_id,
        w=wa_id,
        n=name,
        at=seen,
    )


async def _inbound(db: Database, business_id: int, wa_id: str, body: str, at: datetime) -> None:
    await _sql(
        db,
        "INSERT INTO inbound_messages (business_id, wa_message_id, customer_wa_id, type, payload, "
        "status, received_at) VALUES (:b, :mid, :w, 'text', jsonb_build_object('type', 'text', "
        "'text', jsonb_build_object('body', CAST(:body AS text))), 'processed', :at)",
        b=business_id,
        mid=f"wamid.{wa_id}.{at.timestamp()}.{len(body)}",
        w=wa_id,
        body=body,
        at=at,
    )


async def _outbound(db: Database, business_id: int, wa_id: str, payload: str, at: datetime) -> None:
    await _sql(
        db,
        "INSERT INTO outbound_messages (business_id, to_wa_id, payload, status, attempts, "
        "created_at) VALUES (:b, :w, CAST(:p AS jsonb), 'sent', 1, :at)",
        b=business_id,
        w=wa_id,
        p=payload,
        at=at,
    )


def _text(wa_id: str, body: str) -> str:
    message = {"messaging_product": "whatsapp", "to": wa_id, "type": "text", "text": {"body": body}}
    return json.dumps(message)


async def test_customers_newest_first_in_pages_without_the_owner(
    service: httpx.AsyncClient, db: Database
) -> None:
    one = await make_business(db, 1)
    two = await make_business(db, 2)
    for i in range(30):  # customer 29 wrote last
        await _customer(
            db, one.business_id, f"52100{i:02d}", f"Cliente {i:02d}", T0 + timedelta(minutes=i)
        )
    await _customer(db, one.business_id, "5215512345678", "Dueño", T0 + timedelta(hours=5))  # owner
    await _customer(db, two.business_id, "52999", "Ajeno", T0 + timedelta(hours=6))
    await login(service, one.api_key or "")

    first = await service.get("/dashboard/conversations")
    assert first.status_code == 200
    html = first.text
    shown = [f"Cliente {i:02d}" for i in range(29, 4, -1)]  # 25 a page, newest first
    positions = [html.index(name) for name in shown]
    assert positions == sorted(positions)
    assert "Cliente 04" not in html and "Dueño" not in html and "Ajeno" not in html

    async with db.session() as session:
        page = await conversations.customers(
            session, business_id=one.business_id, owner_phone="5215512345678", limit=25
        )
        assert page.next is not None
        rest = await conversations.customers(
            session, business_id=one.business_id, owner_phone="5215512345678", before=page.next
        )
    assert [c.profile_name for c in rest.customers] == [
        f"Cliente {i:02d}" for i in range(4, -1, -1)
    ]
    assert rest.next is None

    older_link = html.split('href="?before=')[1].split('"')[0].replace("&amp;", "&")
    second = await service.get("/dashboard/conversations?before=" + older_link)
    assert (
        second.status_code == 200
        and "Cliente 04" in second.text
        and "Cliente 05" not in second.text
    )


async def test_a_thread_in_order_escaped_without_read_receipts(
    service: httpx.AsyncClient, db: Database
) -> None:
    one = await make_business(db, 1)
    wa = "5215500000009"
    await _customer(db, one.business_id, wa, XSS, T0)
    await _inbound(db, one.business_id, wa, "hola " + XSS, T0)
    await _outbound(
        db, one.business_id, wa, '{"messaging_product": "whatsapp", "status": "read"}', T0
    )
    await _outbound(
        db, one.business_id, wa, _text(wa, "¡Hola! ¿Qué buscas?"), T0 + timedelta(seconds=1)
    )
    await _inbound(db, one.business_id, wa, "pan integral", T0 + timedelta(seconds=5))
    await login(service, one.api_key or "")

    page = await service.get(f"/dashboard/conversations/{wa}")
    assert page.status_code == 200
    html = page.text
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    order = [html.index(s) for s in ("hola &lt;script&gt;", "¡Hola! ¿Qué buscas?", "pan integral")]
    assert order == sorted(order)
    assert html.count('class="bubble') == 3  # the read receipt is not a message


async def test_thread_pages_never_split_one_turns_replies(db: Database) -> None:
    one = await make_business(db, 1)
    wa = "5215500000010"
    await _customer(db, one.business_id, wa, "Ana", T0)
    await _inbound(db, one.business_id, wa, "primero", T0)
    for i in range(3):  # one turn: three replies committed together, one timestamp
        await _outbound(
            db, one.business_id, wa, _text(wa, f"respuesta {i}"), T0 + timedelta(seconds=1)
        )
    await _inbound(db, one.business_id, wa, "último", T0 + timedelta(seconds=2))
    async with db.session() as session:
        newest = await conversations.thread(session, business_id=one.business_id, wa_id=wa, limit=2)
        assert [m.payload.get("text", {}).get("body") for m in newest.messages] == ["último"]
        assert newest.older is not None
        older = await conversations.thread(
            session, business_id=one.business_id, wa_id=wa, limit=10, before=newest.older
        )
    bodies = sorted(m.payload["text"]["body"] for m in older.messages)
    assert bodies == ["primero", "respuesta 0", "respuesta 1", "respuesta 2"]
    assert older.older is None


async def test_bad_cursors_and_other_businesses(service: httpx.AsyncClient, db: Database) -> None:
    one = await make_business(db, 1)
    two = await make_business(db, 2)
    await _customer(db, two.business_id, "52999", "Ajeno", T0)
    await login(service, one.api_key or "")
    assert (await service.get("/dashboard/conversations/52999")).status_code == 404
    assert (await service.get("/dashboard/conversations/nobody")).status_code == 404
    for query in (
        "before=yesterday",
        "before=2026-12-01T10:00:00",
        "before=2026-12-01T10:00:00%2B00:00&id=x",
    ):
        response = await service.get(f"/dashboard/conversations?{query}")
        assert response.status_code == 400, query
    assert (await service.get("/dashboard/conversations/52999?before=nope")).status_code == 404
