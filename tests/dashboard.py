"""Helpers for the dashboard's tests: log in, read the CSRF token off a page."""

from __future__ import annotations

import re
from decimal import Decimal

import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.database import Database
from whsp_ai.db.models import ApprovalKind, Customer, Order, OrderItem
from whsp_ai.db.repositories import approvals, sequences

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


async def login(client: httpx.AsyncClient, key: str) -> str:
    """Log in with the business's key; returns the session's CSRF token."""
    response = await client.post("/dashboard/login", data={"api_key": key})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/dashboard/"
    return csrf_of(await client.get("/dashboard/"))


def csrf_of(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    found = TOKEN.search(response.text)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def seed_order(
    db: Database,
    business_id: int,
    *,
    wa_id: str = "5215500000001",
    profile_name: str | None = "Ana",
    address: str = "Calle Roble 12, Centro",
    status: str = "pending",
) -> int:
    """An order placed by a customer, written as rows (the checkout has its own tests)."""
    async with db.session() as session:
        customer = await customer_row(session, business_id, wa_id, profile_name)
        number = await sequences.next_number(session, business_id=business_id, kind="order")
        order = Order(
            business_id=business_id,
            number=number,
            customer_id=customer.id or 0,
            status=status,
            currency="MXN",
            subtotal=Decimal("90"),
            delivery_fee=Decimal("30"),
            total=Decimal("120"),
            delivery_address=address,
            payment_method="efectivo",
        )
        session.add(order)
        await session.flush()
        session.add(
            OrderItem(
                business_id=business_id,
                order_id=order.id or 0,
                sku="PAN-INT-500",
                name="Pan integral 500 g",
                quantity=2,
                unit_price=Decimal("45"),
            )
        )
        return order.id or 0


async def seed_approval(
    db: Database,
    business_id: int,
    *,
    query: str,
    kind: ApprovalKind = ApprovalKind.new_product,
    wa_id: str = "5215500000001",
    profile_name: str | None = "Ana",
) -> int:
    async with db.session() as session:
        customer = await customer_row(session, business_id, wa_id, profile_name)
        approval = await approvals.create(
            session, business_id=business_id, kind=kind, query=query, customer_id=customer.id
        )
        return approval.id or 0


async def customer_row(
    session: AsyncSession, business_id: int, wa_id: str, profile_name: str | None
) -> Customer:
    customer = (
        await session.execute(
            select(Customer).where(
                col(Customer.business_id) == business_id, col(Customer.wa_id) == wa_id
            )
        )
    ).scalar_one_or_none()
    if customer is None:
        customer = Customer(business_id=business_id, wa_id=wa_id, profile_name=profile_name)
        session.add(customer)
        await session.flush()
    return customer
