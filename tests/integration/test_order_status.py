"""Order statuses (CONTRACT §7): GET/PATCH /management/orders/{id}, the customer told of
each change in their language, the owner told of each new order."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from tests.factories import make_business
from tests.whatsapp import Phone
from whsp_ai.db.database import Database
from whsp_ai.db.models import Customer, Order, OutboundMessage, Product
from whsp_ai.db.repositories import carts, customers, products
from whsp_ai.tools import orders as order_tools

PNID = "110000000000001"
OWNER = "5215512345678"
CUSTOMER = "5215512340001"


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def shop(db: Database) -> tuple[int, str, str]:
    a = await make_business(db, 1, whatsapp={"phone_number_id": PNID})
    b = await make_business(db, 2, whatsapp={"phone_number_id": "110000000000002"})
    assert a.api_key and b.api_key
    return a.business_id, a.api_key, b.api_key


async def place(db: Database, business_id: int, wa_id: str = CUSTOMER, **lines: int) -> Order:
    async with db.session() as s:
        customer = await customers.get_or_create(
            s, business_id=business_id, wa_id=wa_id, profile_name="Ana"
        )
        assert customer.id is not None
        for sku, qty in (lines or {"CONCHA": 2}).items():
            product = await products.by_sku(s, business_id=business_id, sku=sku)
            assert product is not None and product.id is not None
            await carts.set_quantity(
                s,
                business_id=business_id,
                customer_id=customer.id,
                product_id=product.id,
                quantity=qty,
            )
    placed = await order_tools.place_order(
        db.session,
        business_id=business_id,
        customer_id=customer.id,
        delivery_address="Av. Juárez 10, Centro",
        payment_method="tarjeta",
    )
    assert isinstance(placed, Order)
    return placed


async def texts_to(db: Database, wa_id: str) -> list[str]:
    async with db.session() as s:
        rows = (
            await s.execute(
                select(OutboundMessage.payload)
                .where(OutboundMessage.to_wa_id == wa_id)
                .order_by(col(OutboundMessage.id))
            )
        ).scalars()
        return [p["text"]["body"] for p in rows if p.get("type") == "text"]


async def test_the_owner_hears_of_every_new_order(db: Database) -> None:
    made = await make_business(db)
    order = await place(db, made.business_id, CONCHA=2, **{"PAN-INT-500": 1})
    [notice] = await texts_to(db, OWNER)
    assert f"#{order.number}" in notice and "Ana (+5215512340001)" in notice
    assert "2 × Concha de vainilla ($12.50 MXN)" in notice
    assert "1 × Pan integral 500 g ($45.00 MXN)" in notice
    assert "Total: $100.00 MXN" in notice  # 70 + the 30 delivery fee
    assert "Av. Juárez 10, Centro" in notice and "tarjeta" in notice


async def test_new_orders_start_pending_and_move_along(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str, str]
) -> None:
    business_id, key, _ = shop
    order = await place(db, business_id)
    got = await service.get(f"/management/orders/{order.id}", headers=auth(key))
    assert got.status_code == 200
    body = got.json()
    assert (body["status"], body["number"], body["customer_wa_id"]) == ("pending", 1, CUSTOMER)
    assert body["items"] == [
        {"sku": "CONCHA", "name": "Concha de vainilla", "quantity": 2, "unit_price": 12.5}
    ]
    for status in ("paid", "shipped", "delivered"):
        moved = await service.patch(
            f"/management/orders/{order.id}", json={"status": status}, headers=auth(key)
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == status and moved.json()["status_changed_at"]
    told = await texts_to(db, CUSTOMER)
    assert [m.split(":")[0] for m in told] == ["Panadería Rosa"] * 3
    assert "recibimos el pago de tu pedido #1" in told[0]
    assert "va en camino a Av. Juárez 10, Centro" in told[1]
    assert "fue entregado" in told[2]
    # delivered is final: back to pending, or cancelled, is refused and changes nothing
    for status in ("pending", "cancelled", "paid"):
        refused = await service.patch(
            f"/management/orders/{order.id}", json={"status": status}, headers=auth(key)
        )
        assert refused.status_code == 409, refused.text
        assert "delivered" in refused.json()["detail"]
    assert len(await texts_to(db, CUSTOMER)) == 3
    # the same status again is no change: 200, and the customer isn't told twice
    again = await service.patch(
        f"/management/orders/{order.id}", json={"status": "delivered"}, headers=auth(key)
    )
    assert again.status_code == 200 and len(await texts_to(db, CUSTOMER)) == 3


async def test_cancelling_tells_the_customer_in_their_language_and_restocks(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str, str]
) -> None:
    business_id, key, _ = shop
    order = await place(db, business_id, CONCHA=3)  # stock 3 → 0
    async with db.session() as s:
        await s.execute(update(Customer).values(locale="en"))
    cancelled = await service.patch(
        f"/management/orders/{order.id}", json={"status": "cancelled"}, headers=auth(key)
    )
    assert cancelled.status_code == 200
    [told] = await texts_to(db, CUSTOMER)
    assert told == "Panadería Rosa: your order #1 was cancelled. Any questions, write to us here."
    async with db.session() as s:
        concha = (
            await s.execute(
                select(Product).where(Product.business_id == business_id, Product.sku == "CONCHA")
            )
        ).scalar_one()
    assert concha.stock == 3
    assert (
        await service.patch(
            f"/management/orders/{order.id}", json={"status": "paid"}, headers=auth(key)
        )
    ).status_code == 409


async def test_another_business_sees_no_order_and_junk_is_422(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str, str]
) -> None:
    business_id, key, other = shop
    order = await place(db, business_id)
    for path in (f"/management/orders/{order.id}", "/management/orders/999999"):
        assert (await service.get(path, headers=auth(other))).status_code == 404
        patched = await service.patch(path, json={"status": "paid"}, headers=auth(other))
        assert patched.status_code == 404
    assert (await service.get(f"/management/orders/{order.id}")).status_code == 401
    for body in ({"status": "lost"}, {"status": None}, {}, {"status": "paid", "x": 1}, []):
        bad = await service.patch(f"/management/orders/{order.id}", json=body, headers=auth(key))
        assert bad.status_code == 422, body
    for path in ("/management/orders/abc", "/management/orders/99999999999999999999"):
        assert (await service.get(path, headers=auth(key))).status_code == 422
    async with db.session() as s:
        status = (await s.execute(select(Order.status).where(Order.id == order.id))).scalar_one()
    assert status == "pending"  # nothing changed, and the customer was told nothing
    assert await texts_to(db, CUSTOMER) == []


async def test_orders_filter_by_status(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str, str]
) -> None:
    business_id, key, _ = shop
    first = await place(db, business_id)
    second = await place(db, business_id, wa_id="5215512340002", **{"PAN-INT-500": 1})
    async with db.session() as s:
        await order_tools.change_status(
            s, business_id=business_id, order_id=second.id or 0, status="paid"
        )
    paid = await service.get("/management/orders?status=paid", headers=auth(key))
    assert [o["id"] for o in paid.json()] == [second.id]
    pending = await service.get("/management/orders?status=pending", headers=auth(key))
    assert [o["id"] for o in pending.json()] == [first.id]
    assert len((await service.get("/management/orders", headers=auth(key))).json()) == 2
    bad = await service.get("/management/orders?status=placed", headers=auth(key))
    assert bad.status_code == 422


async def test_change_status_refuses_impossible_changes_for_the_dashboard(db: Database) -> None:
    made = await make_business(db)
    order = await place(db, made.business_id)
    async with db.session() as s:
        with pytest.raises(order_tools.OrderNotFound):
            await order_tools.change_status(
                s, business_id=made.business_id + 1, order_id=order.id or 0, status="paid"
            )
        with pytest.raises(ValueError, match="placed"):
            await order_tools.change_status(
                s, business_id=made.business_id, order_id=order.id or 0, status="placed"
            )
        shipped = await order_tools.change_status(
            s, business_id=made.business_id, order_id=order.id or 0, status="shipped"
        )
        assert shipped.status == "shipped"  # cash on delivery: shipped before paid
        with pytest.raises(order_tools.ImpossibleChange) as refused:
            await order_tools.change_status(
                s, business_id=made.business_id, order_id=order.id or 0, status="pending"
            )
    assert (refused.value.current, refused.value.wanted) == ("shipped", "pending")
    assert order_tools.TRANSITIONS["delivered"] == frozenset()
    assert order_tools.TRANSITIONS["cancelled"] == frozenset()
    assert Decimal(order.total) == Decimal("55.00")


async def test_the_order_page_of_the_phone_flow(service: httpx.AsyncClient, db: Database) -> None:
    """An order placed over WhatsApp starts pending, and the owner was told of it."""
    made = await make_business(db, whatsapp={"phone_number_id": PNID})
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("quiero 2 conchas")
    await phone.say("pagar")
    for said in ("si", "Av. Juárez 10, Centro", "efectivo", "si"):
        await phone.say(said)
    assert any("confirmado" in r["text"] for r in phone.inbox)
    async with db.session() as s:
        order = (
            await s.execute(select(Order).where(Order.business_id == made.business_id))
        ).scalar_one()
    assert order.status == "pending"
    [notice] = await texts_to(db, OWNER)
    assert "Nuevo pedido #1" in notice and "efectivo" in notice
