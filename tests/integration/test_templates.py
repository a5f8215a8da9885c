"""Outside the 24-hour window: a business's template carries the notice (Meta's real URL,
the Cloud API's template payload), and without one the notice is held, never lost, and
goes out the moment its recipient writes again."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import respx
from sqlalchemy import update
from sqlmodel import col, select

from tests.factories import make_business
from tests.whatsapp import GRAPH, Phone, running, settle, text_message
from whsp_ai.db.database import Database
from whsp_ai.db.models import Customer, InboundMessage, Order, OutboundMessage
from whsp_ai.db.repositories import carts, customers, products
from whsp_ai.tools import notices
from whsp_ai.tools import orders as order_tools
from whsp_ai.whatsapp import templates

PNID = "110000000000001"
OWNER = "5215512345678"
CUSTOMER = "5215512340001"
URL = f"{GRAPH}/{PNID}/messages"
TEMPLATES = {"owner_notice": "aviso_dueno", "customer_update": "aviso_cliente", "language": "es_MX"}


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"messages": [{"id": f"wamid.out{id(request)}"}]})


def sent(route: respx.Route, to: str) -> list[dict[str, Any]]:
    bodies = [json.loads(call.request.content) for call in route.calls]
    return [b for b in bodies if b.get("to") == to and b.get("type")]


async def place(db: Database, business_id: int) -> Order:
    async with db.session() as s:
        customer = await customers.get_or_create(s, business_id=business_id, wa_id=CUSTOMER)
        concha = await products.by_sku(s, business_id=business_id, sku="CONCHA")
        assert customer.id is not None and concha is not None and concha.id is not None
        await carts.set_quantity(
            s, business_id=business_id, customer_id=customer.id, product_id=concha.id, quantity=2
        )
    placed = await order_tools.place_order(
        db.session,
        business_id=business_id,
        customer_id=customer.id,
        delivery_address="Av. Juárez 10",
        payment_method="efectivo",
    )
    assert isinstance(placed, Order)
    return placed


async def drain() -> None:
    while await running().sender.drain():
        pass


async def test_an_owner_notice_outside_the_window_goes_as_the_businesss_template(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    made = await make_business(
        db, whatsapp={"phone_number_id": PNID, "access_token": "EAAG-t", "templates": TEMPLATES}
    )
    route = respx_mock.post(URL).mock(side_effect=ok)
    await place(db, made.business_id)  # the owner never wrote: no window open
    await drain()
    [body] = sent(route, OWNER)
    assert body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": OWNER,
        "type": "template",
        "template": {
            "name": "aviso_dueno",
            "language": {"code": "es_MX"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {
                            "type": "text",
                            "text": "Nuevo pedido #1 de +5215512340001: · • 2 × Concha de "
                            "vainilla ($12.50 MXN) · Total: $55.00 MXN · Envío a: Av. Juárez 10"
                            " · Pago: efectivo",
                        }
                    ],
                }
            ],
        },
    }
    assert route.calls[0].request.headers["authorization"] == "Bearer EAAG-t"
    async with db.session() as s:
        row = (
            await s.execute(select(OutboundMessage).where(OutboundMessage.to_wa_id == OWNER))
        ).scalar_one()
    assert row.status == "sent" and row.wa_message_id  # a reply to it can find its notice


async def test_a_customer_update_outside_the_window_goes_as_the_customer_template(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    made = await make_business(
        db, whatsapp={"phone_number_id": PNID, "access_token": "EAAG-t", "templates": TEMPLATES}
    )
    route = respx_mock.post(URL).mock(side_effect=ok)
    order = await place(db, made.business_id)
    async with db.session() as s:
        await order_tools.change_status(
            s, business_id=made.business_id, order_id=order.id or 0, status="shipped"
        )
    await drain()
    [body] = sent(route, CUSTOMER)
    assert body["type"] == "template"
    assert body["template"]["name"] == "aviso_cliente"
    [param] = body["template"]["components"][0]["parameters"]
    assert param == {
        "type": "text",
        "text": "Panadería Rosa: tu pedido #1 va en camino a Av. Juárez 10.",
    }


async def test_without_a_template_the_notice_is_held_and_sent_when_they_write(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    made = await make_business(db, whatsapp={"phone_number_id": PNID, "access_token": "EAAG-t"})
    route = respx_mock.post(URL).mock(side_effect=ok)
    await place(db, made.business_id)
    await drain()
    assert sent(route, OWNER) == []
    async with db.session() as s:
        [held] = await notices.held_notices(s, business_id=made.business_id)
        other = await notices.held_notices(s, business_id=made.business_id + 1)
    assert other == []  # a business sees its own held notices only
    assert held.to_wa_id == OWNER and held.text.startswith("Nuevo pedido #1")
    assert "24-hour" in (held.reason or "")
    # the owner writes: the window reopens, the held notice goes first, then the answer
    owner = Phone(service, PNID, OWNER)
    await owner.post(text_message(OWNER, "hola"))
    await settle()
    bodies = sent(route, OWNER)
    assert bodies[0]["type"] == "text" and bodies[0]["text"]["body"].startswith("Nuevo pedido #1")
    assert len(bodies) == 2  # and the agent's answer to "hola"
    async with db.session() as s:
        assert await notices.held_notices(s, business_id=made.business_id) == []


async def test_meta_saying_the_window_closed_holds_the_message(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    """Our clock said the window was open; Meta's said no (131047): kept, not failed."""
    made = await make_business(db, whatsapp={"phone_number_id": PNID, "access_token": "EAAG-t"})
    closed = httpx.Response(
        400,
        json={"error": {"message": "Re-engagement message", "code": 131047, "type": "x"}},
    )
    route = respx_mock.post(URL).mock(side_effect=[ok(httpx.Request("POST", URL)), closed])
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("ayuda")  # read receipt ok, the answer refused
    async with db.session() as s:
        [held] = await notices.held_notices(s, business_id=made.business_id)
    assert held.to_wa_id == CUSTOMER and held.reason and "Re-engagement" in held.reason
    route.side_effect = ok
    await phone.post(text_message(CUSTOMER, "sigues ahi?"))
    await settle()
    refused, *again = sent(route, CUSTOMER)
    assert again[0] == refused and notices.text_of(again[0]) == held.text  # first this time
    async with db.session() as s:
        statuses = (
            await s.execute(
                select(OutboundMessage.status).where(col(OutboundMessage.id) == held.id)
            )
        ).scalar_one()
    assert statuses == "sent"


async def test_the_global_reengage_template_stands_in_and_old_windows_close(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    made = await make_business(db, whatsapp={"phone_number_id": PNID, "access_token": "EAAG-t"})
    channel = running()
    channel.sender.settings = channel.sender.settings.model_copy(
        update={"reengage_template": "hola_de_nuevo", "reengage_template_language": "es"}
    )
    route = respx_mock.post(URL).mock(side_effect=ok)
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("hola")
    async with db.session() as s:  # the customer last wrote two days ago
        await s.execute(
            update(InboundMessage).values(received_at=datetime.now(UTC) - timedelta(days=2))
        )
        await s.execute(update(Customer).values(locale="es"))
    order = await place(db, made.business_id)
    async with db.session() as s:
        await order_tools.change_status(
            s, business_id=made.business_id, order_id=order.id or 0, status="paid"
        )
    await drain()
    update_body = sent(route, CUSTOMER)[-1]
    assert update_body["template"]["name"] == "hola_de_nuevo"
    assert update_body["template"]["language"] == {"code": "es"}
    assert "recibimos el pago" in update_body["template"]["components"][0]["parameters"][0]["text"]


def test_a_template_parameter_is_one_line_meta_accepts() -> None:
    flat = templates.parameter("a\nb\t\tc      d\r\n\ne")
    assert flat == "a · b · c   d · e"
    long = templates.parameter("x" * 5000)
    assert len(long) == templates.PARAM_MAX and long.endswith("…")
