"""Placing an order: prices frozen, stock taken, cart emptied, all in one transaction."""

from decimal import Decimal

import pytest

from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.db.models import Product
from whsp_ai.db.repositories import carts, customers, orders, products


async def cart_with(db: Database, **quantities: int) -> tuple[int, int]:
    business_id = (await make_business(db)).business_id
    async with db.session() as s:
        customer = await customers.get_or_create(s, business_id=business_id, wa_id="5215511111111")
        assert customer.id is not None
        for sku, qty in quantities.items():
            product = await products.by_sku(s, business_id=business_id, sku=sku.replace("_", "-"))
            assert product is not None and product.id is not None
            await carts.set_quantity(
                s,
                business_id=business_id,
                customer_id=customer.id,
                product_id=product.id,
                quantity=qty,
            )
    return business_id, customer.id


async def place(db: Database, business_id: int, customer_id: int) -> None:
    async with db.session() as s:
        await orders.place(
            s,
            business_id=business_id,
            customer_id=customer_id,
            delivery_address="Av. Juárez 10",
            payment_method="tarjeta",
        )


async def test_order_freezes_prices_takes_stock_and_empties_cart(db: Database) -> None:
    business_id, customer_id = await cart_with(db, PAN_INT_500=7, CONCHA=3)
    await place(db, business_id, customer_id)
    async with db.session() as s:
        # a later price change must not touch the placed order
        bread = await products.by_sku(s, business_id=business_id, sku="PAN-INT-500")
        concha = await products.by_sku(s, business_id=business_id, sku="CONCHA")
        assert bread is not None and concha is not None
        assert (bread.stock, concha.stock) == (13, 0)
        bread.price = Decimal("99.00")
    async with db.session() as s:
        [(order, items)] = await orders.list_orders(s, business_id=business_id)
        assert await carts.lines(s, business_id=business_id, customer_id=customer_id) == []
    assert {i.sku: i.unit_price for i in items} == {
        "PAN-INT-500": Decimal("45.00"),
        "CONCHA": Decimal("12.50"),
    }
    assert order.subtotal == Decimal("352.50")
    assert order.delivery_fee == Decimal("0.00")  # free over 300
    assert order.total == Decimal("352.50")
    assert (order.delivery_address, order.payment_method, order.currency) == (
        "Av. Juárez 10",
        "tarjeta",
        "MXN",
    )


async def test_insufficient_stock_changes_nothing(db: Database) -> None:
    business_id, customer_id = await cart_with(db, PAN_INT_500=2, CONCHA=4)
    with pytest.raises(orders.InsufficientStock) as info:
        await place(db, business_id, customer_id)
    assert (info.value.sku, info.value.requested, info.value.available) == ("CONCHA", 4, 3)
    async with db.session() as s:
        assert await orders.list_orders(s, business_id=business_id) == []
        assert len(await carts.lines(s, business_id=business_id, customer_id=customer_id)) == 2
        bread = await products.by_sku(s, business_id=business_id, sku="PAN-INT-500")
        assert bread is not None and bread.stock == 20


async def test_unconfirmed_product_cannot_be_ordered(db: Database) -> None:
    business_id, customer_id = await cart_with(db, PASTEL_3L=1)
    with pytest.raises(orders.UnavailableProduct):
        await place(db, business_id, customer_id)


async def test_empty_cart_is_refused(db: Database) -> None:
    business_id, customer_id = await cart_with(db)
    with pytest.raises(orders.EmptyCart):
        await place(db, business_id, customer_id)


async def test_zero_quantity_removes_and_negative_is_refused(db: Database) -> None:
    business_id, customer_id = await cart_with(db, CONCHA=2)
    async with db.session() as s:
        [line] = await carts.lines(s, business_id=business_id, customer_id=customer_id)
        with pytest.raises(ValueError, match="negative"):
            await carts.set_quantity(
                s,
                business_id=business_id,
                customer_id=customer_id,
                product_id=line.product_id,
                quantity=-1,
            )
        await carts.set_quantity(
            s,
            business_id=business_id,
            customer_id=customer_id,
            product_id=line.product_id,
            quantity=0,
        )
        assert await carts.lines(s, business_id=business_id, customer_id=customer_id) == []


async def test_a_line_is_capped_even_when_stock_is_not_tracked(db: Database) -> None:
    from whsp_ai.tools import cart as cart_tools

    business_id, customer_id = await cart_with(db)
    async with db.session() as s:
        s.add(Product(business_id=business_id, sku="BOLSA", name="Bolsa", price=Decimal("1.00")))
    async with db.session() as s:
        bag = await products.by_sku(s, business_id=business_id, sku="BOLSA")
        assert bag is not None and bag.id is not None
        change = await cart_tools.add(
            s,
            business_id=business_id,
            customer_id=customer_id,
            product_id=bag.id,
            quantity=9_999_999,
        )
    assert (change.kind, change.quantity, change.available) == ("added_partial", 999, 999)
    await place(db, business_id, customer_id)
    async with db.session() as s:
        [(order, _)] = await orders.list_orders(s, business_id=business_id)
    assert order.subtotal == Decimal("999.00")


async def test_a_placed_order_saves_the_customers_address_for_next_time(db: Database) -> None:
    from whsp_ai.tools import customers as customer_tools
    from whsp_ai.tools import orders as order_tools

    business_id, customer_id = await cart_with(db, CONCHA=1)
    async with db.session() as s:
        assert (
            await customer_tools.saved_address(s, business_id=business_id, customer_id=customer_id)
            is None
        )
    placed = await order_tools.place_order(
        db.session,
        business_id=business_id,
        customer_id=customer_id,
        delivery_address="Calle Morelos 123, Col. Centro",
        payment_method="tarjeta",
    )
    assert not isinstance(placed, order_tools.Refused)
    async with db.session() as s:
        saved = await customer_tools.saved_address(
            s, business_id=business_id, customer_id=customer_id
        )
    assert saved == "Calle Morelos 123, Col. Centro"
