"""One business can never read another's products, carts, orders or approvals."""

from decimal import Decimal

import pytest

from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.db.models import ApprovalKind, ApprovalStatus
from whsp_ai.db.repositories import (
    approvals,
    carts,
    customers,
    inbound,
    orders,
    outbox,
    products,
)

SAME_CUSTOMER = "5215599999999"


async def seed(db: Database, n: int) -> dict[str, int]:
    """A business with one customer who has a cart, an order and an approval."""
    business_id = (await make_business(db, n)).business_id
    async with db.session() as s:
        customer = await customers.get_or_create(s, business_id=business_id, wa_id=SAME_CUSTOMER)
        assert customer.id is not None
        bread = await products.by_sku(s, business_id=business_id, sku="PAN-INT-500")
        concha = await products.by_sku(s, business_id=business_id, sku="CONCHA")
        cake = await products.by_sku(s, business_id=business_id, sku="PASTEL-3L")
        assert bread and concha and cake and bread.id and concha.id
        for product_id in (bread.id, concha.id):
            await carts.set_quantity(
                s,
                business_id=business_id,
                customer_id=customer.id,
                product_id=product_id,
                quantity=1,
            )
        order = await orders.place(
            s,
            business_id=business_id,
            customer_id=customer.id,
            delivery_address=f"Calle {n}",
            payment_method="efectivo",
        )
        await carts.set_quantity(
            s, business_id=business_id, customer_id=customer.id, product_id=bread.id, quantity=2
        )
        approval = await approvals.create(
            s,
            business_id=business_id,
            kind=ApprovalKind.unconfirmed_product,
            query="pastel",
            product_id=cake.id,
            customer_id=customer.id,
        )
        return {
            "business": business_id,
            "customer": customer.id,
            "order": order.id or 0,
            "approval": approval.id or 0,
            "bread": bread.id,
        }


async def test_reads_are_scoped_to_the_business(db: Database) -> None:
    a, b = await seed(db, 1), await seed(db, 2)
    async with db.session() as s:
        for mine, theirs in ((a, b), (b, a)):
            biz = mine["business"]
            # products
            assert {p.business_id for p in await products.list_products(s, business_id=biz)} == {
                biz
            }
            assert await products.by_id(s, business_id=biz, product_id=theirs["bread"]) is None
            # customers: same WhatsApp id, two separate customers
            assert await customers.by_id(s, business_id=biz, customer_id=theirs["customer"]) is None
            # carts: the other business's customer id yields nothing
            assert await carts.lines(s, business_id=biz, customer_id=theirs["customer"]) == []
            [line] = await carts.lines(s, business_id=biz, customer_id=mine["customer"])
            assert line.product_id == mine["bread"] and line.quantity == 2
            # orders
            listed = await orders.list_orders(s, business_id=biz)
            assert [o.id for o, _ in listed] == [mine["order"]]
            assert all(i.business_id == biz for _, items in listed for i in items)
            assert await orders.by_id(s, business_id=biz, order_id=theirs["order"]) is None
            # approvals
            assert [x.id for x in await approvals.list_approvals(s, business_id=biz)] == [
                mine["approval"]
            ]
            assert await approvals.by_id(s, business_id=biz, approval_id=theirs["approval"]) is None


async def test_writes_cannot_reach_another_business(db: Database) -> None:
    a, b = await seed(db, 1), await seed(db, 2)
    async with db.session() as s:
        with pytest.raises(LookupError):
            await carts.set_quantity(
                s,
                business_id=a["business"],
                customer_id=a["customer"],
                product_id=b["bread"],
                quantity=1,
            )
        answered = await approvals.resolve(
            s,
            business_id=a["business"],
            approval_id=b["approval"],
            status=ApprovalStatus.confirmed,
            resolution={"decision": "confirm"},
        )
        assert answered is False
        theirs = await approvals.by_id(s, business_id=b["business"], approval_id=b["approval"])
        assert theirs is not None and theirs.status == "pending"


def test_every_repository_function_requires_business_id() -> None:
    """The rule that makes an unscoped query impossible to write by accident."""
    import inspect

    for module in (approvals, carts, customers, inbound, orders, outbox, products):
        for name, fn in inspect.getmembers(module, inspect.iscoroutinefunction):
            if fn.__module__ != module.__name__:
                continue
            param = inspect.signature(fn).parameters.get("business_id")
            assert param is not None, f"{module.__name__}.{name} takes no business_id"
            assert param.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: business_id keyword-only"
            assert param.default is inspect.Parameter.empty, f"{name}: business_id must be required"


async def test_order_totals_come_from_the_database(db: Database) -> None:
    ids = await seed(db, 1)
    async with db.session() as s:
        [(order, items)] = await orders.list_orders(s, business_id=ids["business"])
    assert {i.sku: (i.quantity, i.unit_price) for i in items} == {
        "PAN-INT-500": (1, Decimal("45.00")),
        "CONCHA": (1, Decimal("12.50")),
    }
    assert order.subtotal == Decimal("57.50")
    assert order.delivery_fee == Decimal("30.00")
    assert order.total == Decimal("87.50")
