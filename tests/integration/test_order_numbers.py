"""Each business counts its own orders and approvals: a shop's first order is #1."""

from __future__ import annotations

import asyncio

import httpx

from tests.conversation import Customer, demo_ids
from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.db.models import ApprovalKind
from whsp_ai.db.repositories import approvals, carts, customers, orders, products
from whsp_ai.graph.engine import Engine


async def _order_bread(db: Database, business_id: int, wa_id: str) -> int:
    """A one-line cart turned into an order; the order's number."""
    async with db.session() as s:
        customer = await customers.get_or_create(s, business_id=business_id, wa_id=wa_id)
        bread = await products.by_sku(s, business_id=business_id, sku="CONCHA")
        assert customer.id is not None and bread is not None and bread.id is not None
        await carts.set_quantity(
            s, business_id=business_id, customer_id=customer.id, product_id=bread.id, quantity=1
        )
    async with db.session() as s:  # as in a conversation: the cart and the order apart
        order = await orders.place(
            s,
            business_id=business_id,
            customer_id=customer.id,
            delivery_address="Av. Juárez 10",
            payment_method="efectivo",
        )
    return order.number


async def test_two_businesses_each_get_order_one(db: Database) -> None:
    first = (await make_business(db, 1)).business_id
    second = (await make_business(db, 2)).business_id
    assert await _order_bread(db, first, "5215511110001") == 1
    assert await _order_bread(db, first, "5215511110002") == 2
    assert await _order_bread(db, second, "5215511110001") == 1  # not #3
    assert await _order_bread(db, first, "5215511110003") == 3


async def test_orders_placed_at_once_get_distinct_numbers(db: Database) -> None:
    business_id = (await make_business(db)).business_id
    numbers = await asyncio.gather(
        *(_order_bread(db, business_id, f"52155222200{i:02d}") for i in range(3))
    )
    assert sorted(numbers) == [1, 2, 3]


async def test_a_refused_order_takes_no_number(db: Database) -> None:
    business_id = (await make_business(db)).business_id
    async with db.session() as s:
        customer = await customers.get_or_create(s, business_id=business_id, wa_id="5215500000009")
    assert customer.id is not None
    try:
        async with db.session() as s:
            await orders.place(
                s,
                business_id=business_id,
                customer_id=customer.id,
                delivery_address="x",
                payment_method="efectivo",
            )
    except orders.EmptyCart:
        pass
    assert await _order_bread(db, business_id, "5215500000009") == 1


async def test_the_customer_of_each_shop_hears_order_one(db: Database, engine: Engine) -> None:
    ids = await demo_ids(db)
    pepe = Customer(engine, db, ids["ferreteria-don-pepe"])
    await pepe.say("agrégame 2 desarmadores de cruz")
    await pepe.say("quiero pagar")
    await pepe.say("sí")
    await pepe.say("Av. Reforma 123, Col. Juárez, CDMX")
    await pepe.say("efectivo")
    assert "Pedido #1 confirmado" in await pepe.say("sí, confirmo")
    ada = Customer(engine, db, ids["tea-and-kettle"], wa_id="15551230000")
    await ada.say("add 2 earl grey")
    await ada.say("checkout")
    await ada.say("yes")
    await ada.say("742 Evergreen Terrace, Springfield")
    await ada.say("card")
    assert "Order #1 is confirmed" in await ada.say("yes please")


async def test_management_orders_show_the_number(db: Database, service: httpx.AsyncClient) -> None:
    other = await make_business(db, 2)
    await _order_bread(db, other.business_id, "5215511110001")
    mine = await make_business(db, 1)
    await _order_bread(db, mine.business_id, "5215511110001")
    listed = await service.get(
        "/management/orders", headers={"Authorization": f"Bearer {mine.api_key}"}
    )
    assert listed.status_code == 200
    [order] = listed.json()
    assert order["number"] == 1 and order["id"] == 2  # the global id stays what the API takes


async def test_approvals_are_numbered_per_business(db: Database) -> None:
    first = (await make_business(db, 1)).business_id
    second = (await make_business(db, 2)).business_id
    made = []
    for business_id, query in ((first, "pan de elote"), (second, "bolillo"), (first, "mantecada")):
        async with db.session() as s:
            approval = await approvals.create(
                s, business_id=business_id, kind=ApprovalKind.new_product, query=query
            )
        made.append((business_id, approval.number))
    assert made == [(first, 1), (second, 1), (first, 2)]
    async with db.session() as s:
        found = await approvals.by_number(s, business_id=first, number=2)
    assert found is not None and found.query == "mantecada"
