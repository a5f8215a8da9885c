"""The sales page: per-day figures in the shop's time zone, top products, open carts,
unanswered questions, escaped names, and another business's sales never shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text

from tests.dashboard import login
from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.db.repositories import sales
from whsp_ai.importer.load import ImportResult

XSS = "<script>alert(1)</script>"


@dataclass
class Shop:
    one: ImportResult
    two: ImportResult


async def _sql(db: Database, statement: str, **params: object) -> list[object]:
    async with db.session() as session:
        result = await session.execute(text(statement), params)
        rows = list(result) if result.returns_rows else []
    return rows


async def _customer(db: Database, business_id: int, wa_id: str, name: str) -> int:
    [row] = await _sql(
        db,
        "INSERT INTO customers (business_id, wa_id, profile_name) VALUES (:b, :w, :n) RETURNING id",
        b=business_id,
        w=wa_id,
        n=name,
    )
    return int(row.id)  # type: ignore[attr-defined]


async def _order(
    db: Database,
    business_id: int,
    customer_id: int,
    number: int,
    total: str,
    at: datetime,
    status: str = "pending",
    lines: tuple[tuple[str, str, int, str], ...] = (),
) -> None:
    [row] = await _sql(
        db,
        "INSERT INTO orders (business_id, number, customer_id, status, currency, subtotal, "
        "delivery_fee, total, delivery_address, payment_method, created_at) VALUES "
        "(:b, :n, :c, :s, 'MXN', :t, 0, :t, 'x', 'efectivo', :at) RETURNING id",
        b=business_id,
        n=number,
        c=customer_id,
        s=status,
        t=Decimal(total),
        at=at,
    )
    for sku, name, qty, price in lines:
        await _sql(
            db,
            "INSERT INTO order_items (business_id, order_id, sku, name, quantity, unit_price) "
            "VALUES (:b, :o, :sku, :name, :q, :p)",
            b=business_id,
            o=row.id,
            sku=sku,
            name=name,
            q=qty,
            p=Decimal(price),
        )


@pytest.fixture
async def shop(db: Database) -> Shop:
    """Business 1 with known sales; business 2 with sales of its own that must not show."""
    one = await make_business(db, 1)
    two = await make_business(db, 2)
    now = datetime.now(UTC)
    c1 = await _customer(db, one.business_id, "5215500000001", XSS)
    c2 = await _customer(db, two.business_id, "5215500000002", "Otra")
    await _order(db, one.business_id, c1, 1, "100", now, lines=(("A", XSS, 2, "40"),))
    await _order(
        db,
        one.business_id,
        c1,
        2,
        "50",
        now - timedelta(days=1),
        lines=(("B", "Bolillo", 5, "10"),),
    )
    await _order(
        db,
        one.business_id,
        c1,
        3,
        "999",
        now,
        status="cancelled",
        lines=(("C", "Cancelado", 9, "111"),),
    )
    await _order(
        db,
        one.business_id,
        c1,
        4,
        "777",
        now - timedelta(days=40),
        lines=(("D", "Viejo", 1, "777"),),
    )
    await _order(db, two.business_id, c2, 1, "5000", now, lines=(("Z", "Ajeno", 1, "5000"),))
    # an open cart: two units of the concha (12.50) and one pan integral (45.00)
    await _sql(
        db,
        "WITH cart AS (INSERT INTO carts (business_id, customer_id) VALUES (:b, :c) RETURNING id) "
        "INSERT INTO cart_items (business_id, cart_id, product_id, quantity) "
        "SELECT :b, cart.id, p.id, CASE p.sku WHEN 'CONCHA' THEN 2 ELSE 1 END "
        "FROM cart, products p "
        "WHERE p.business_id = :b AND p.sku IN ('CONCHA', 'PAN-INT-500')",
        b=one.business_id,
        c=c1,
    )
    for number, status, query in (
        (1, "pending", "¿Abren en domingo?"),
        (2, "answered", "¿Hay wifi?"),
    ):
        await _sql(
            db,
            "INSERT INTO approvals (business_id, number, kind, status, query, customer_id, "
            "wants_add) VALUES (:b, :n, 'question', :s, :q, :c, false)",
            b=one.business_id,
            n=number,
            s=status,
            q=query,
            c=c1,
        )
    return Shop(one, two)


async def test_figures_count_the_shops_own_uncancelled_orders(db: Database, shop: Shop) -> None:
    one = shop.one
    tz = ZoneInfo("UTC")
    async with db.session() as session:
        days = await sales.per_day(session, business_id=one.business_id, tz=tz)
        top = await sales.top_products(
            session,
            business_id=one.business_id,
            since=sales.window_start(tz, 30),
        )
        carts = await sales.open_carts(session, business_id=one.business_id)
        questions = await sales.unanswered_questions(session, business_id=one.business_id)
    assert len(days) == 30 and days[-1].day == datetime.now(UTC).date()
    assert (days[-1].orders, days[-1].revenue) == (1, Decimal("100"))
    assert (days[-2].orders, days[-2].revenue) == (1, Decimal("50"))
    assert sum(d.orders for d in days) == 2  # not the cancelled one, not the 40-day-old one
    assert [(p.sku, p.quantity, p.revenue) for p in top] == [
        ("A", 2, Decimal("80")),
        ("B", 5, Decimal("50")),
    ]
    assert (carts.count, carts.value) == (1, Decimal("70.00"))
    assert carts.newest[0].units == 3 and carts.newest[0].profile_name == XSS
    assert questions.count == 1 and questions.newest[0].query == "¿Abren en domingo?"


async def test_days_end_at_the_shops_midnight() -> None:
    mexico = sales.zone("America/Mexico_City")
    assert sales.zone("Not/AZone").key == "UTC" and sales.zone(None).key == "UTC"
    # 2026-12-01 03:00 UTC is still 30 November in Mexico City (UTC-6)
    start = sales.window_start(mexico, 1, now=datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    assert start == datetime(2026, 11, 30, tzinfo=mexico)


async def test_sales_page_draws_charts_escaped_and_alone(
    service: httpx.AsyncClient, shop: Shop
) -> None:
    await login(service, shop.one.api_key or "")
    page = await service.get("/dashboard/sales")
    assert page.status_code == 200
    html = page.text
    assert html.count("<svg") == 3  # orders per day, revenue per day, top products
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "¿Abren en domingo?" in html and "¿Hay wifi?" not in html
    assert "$75.00" in html  # average order: (100 + 50) / 2
    assert "Ajeno" not in html and "5,000" not in html  # business 2's sale
    assert "Cancelado" not in html


async def test_sales_page_with_no_sales(service: httpx.AsyncClient, db: Database) -> None:
    one = await make_business(db, 1)
    await login(service, one.api_key or "")
    page = await service.get("/dashboard/sales")
    assert page.status_code == 200 and "No sales in these days yet." in page.text
