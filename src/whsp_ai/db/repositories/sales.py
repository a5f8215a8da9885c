"""Sales figures for the owner's dashboard: one read-only SQL round trip per figure.

Every query is scoped by business and walks an index: orders by (business_id, created_at),
order_items by order_id, cart_items and approvals by business. Days are the business's own
(its `info.timezone`, UTC when unset or unknown), so "today" ends at the shop's midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    orders: int
    revenue: Decimal


@dataclass(frozen=True, slots=True)
class TopProduct:
    sku: str
    name: str
    quantity: int
    revenue: Decimal


@dataclass(frozen=True, slots=True)
class OpenCart:
    customer_wa_id: str
    profile_name: str | None
    lines: int
    units: int
    value: Decimal
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class OpenCarts:
    count: int
    value: Decimal
    newest: list[OpenCart]


@dataclass(frozen=True, slots=True)
class Question:
    number: int
    query: str
    customers: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Questions:
    count: int
    newest: list[Question]


def zone(name: object) -> ZoneInfo:
    """The business's time zone from its info; UTC for anything that isn't a known zone."""
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo("UTC")


def window_start(tz: ZoneInfo, days: int, now: datetime | None = None) -> datetime:
    """Midnight, in the shop's zone, at the start of the first of the last `days` days."""
    today = (now or datetime.now(tz)).astimezone(tz).date()
    return datetime.combine(today - timedelta(days=days - 1), time(), tzinfo=tz)


# Cancelled orders are not sales; every other status is money the shop expects.
PER_DAY_SQL = text("""
SELECT (o.created_at AT TIME ZONE :tz)::date AS day, count(*) AS orders,
       coalesce(sum(o.total), 0) AS revenue
FROM orders o
WHERE o.business_id = :business_id AND o.created_at >= :since AND o.status <> 'cancelled'
GROUP BY 1
""")


async def per_day(
    session: AsyncSession, *, business_id: int, tz: ZoneInfo, days: int = 30
) -> list[Day]:
    """Orders and revenue for each of the last `days` days, oldest first, empty days as 0."""
    since = window_start(tz, days)
    rows = await session.execute(
        PER_DAY_SQL, {"business_id": business_id, "since": since, "tz": tz.key}
    )
    found = {r.day: (int(r.orders), Decimal(r.revenue)) for r in rows}
    first = since.date()
    out = []
    for i in range(days):
        d = first + timedelta(days=i)
        orders, revenue = found.get(d, (0, Decimal("0")))
        out.append(Day(day=d, orders=orders, revenue=revenue))
    return out


# Order ids grow with time, so the window's items are those from its first order's id on:
# that bound lets the scan of order_items walk its order_id index over the window alone
# instead of every line ever sold (docs/dashboard.md has the figures). It only
# narrows: the join still checks each order's own date.
TOP_PRODUCTS_SQL = text("""
SELECT i.sku, max(i.name) AS name, sum(i.quantity) AS quantity,
       sum(i.quantity * i.unit_price) AS revenue
FROM orders o JOIN order_items i ON i.order_id = o.id AND i.business_id = o.business_id
WHERE o.business_id = :business_id AND o.created_at >= :since AND o.status <> 'cancelled'
  AND i.order_id >= (SELECT coalesce(min(f.id), 0) FROM orders f
                     WHERE f.business_id = :business_id AND f.created_at >= :since)
GROUP BY i.sku
ORDER BY revenue DESC, quantity DESC, i.sku
LIMIT :limit
""")


async def top_products(
    session: AsyncSession, *, business_id: int, since: datetime, limit: int = 8
) -> list[TopProduct]:
    """The best sellers by revenue since `since`, with the name they were sold under."""
    rows = await session.execute(
        TOP_PRODUCTS_SQL, {"business_id": business_id, "since": since, "limit": limit}
    )
    return [
        TopProduct(sku=r.sku, name=r.name, quantity=int(r.quantity), revenue=Decimal(r.revenue))
        for r in rows
    ]


# Carts with items, valued at today's prices (a cart holds no price of its own). The
# window count gives the total in the same round trip as the newest few.
OPEN_CARTS_SQL = text("""
WITH open AS (
    SELECT ci.cart_id, count(*) AS lines, sum(ci.quantity) AS units,
           sum(ci.quantity * p.price) AS value
    FROM cart_items ci JOIN products p ON p.id = ci.product_id
    WHERE ci.business_id = :business_id
    GROUP BY ci.cart_id
)
SELECT cu.wa_id, cu.profile_name, open.lines, open.units, open.value, c.updated_at,
       count(*) OVER () AS total_count, sum(open.value) OVER () AS total_value
FROM open JOIN carts c ON c.id = open.cart_id JOIN customers cu ON cu.id = c.customer_id
ORDER BY c.updated_at DESC, c.id DESC
LIMIT :limit
""")


async def open_carts(session: AsyncSession, *, business_id: int, limit: int = 5) -> OpenCarts:
    rows = list(await session.execute(OPEN_CARTS_SQL, {"business_id": business_id, "limit": limit}))
    if not rows:
        return OpenCarts(count=0, value=Decimal("0"), newest=[])
    newest = [
        OpenCart(
            customer_wa_id=r.wa_id,
            profile_name=r.profile_name,
            lines=int(r.lines),
            units=int(r.units),
            value=Decimal(r.value),
            updated_at=r.updated_at,
        )
        for r in rows
    ]
    return OpenCarts(
        count=int(rows[0].total_count), value=Decimal(rows[0].total_value), newest=newest
    )


UNANSWERED_SQL = text("""
SELECT a.number, a.query, a.created_at, count(*) OVER () AS total_count,
       (SELECT count(*) FROM approval_customers ac WHERE ac.approval_id = a.id) AS customers
FROM approvals a
WHERE a.business_id = :business_id AND a.status = 'pending' AND a.kind = 'question'
ORDER BY a.created_at DESC, a.id DESC
LIMIT :limit
""")


async def unanswered_questions(
    session: AsyncSession, *, business_id: int, limit: int = 10
) -> Questions:
    """Questions the agent couldn't answer from the shop's data, still waiting on the owner."""
    rows = list(await session.execute(UNANSWERED_SQL, {"business_id": business_id, "limit": limit}))
    newest = [
        Question(
            number=int(r.number),
            query=r.query,
            customers=max(int(r.customers), 1),  # the first asker may predate the shared list
            created_at=r.created_at,
        )
        for r in rows
    ]
    return Questions(count=int(rows[0].total_count) if rows else 0, newest=newest)
