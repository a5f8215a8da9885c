"""The sales page's figures: the queries of db.repositories.sales, drawn as SVG charts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.dashboard import charts
from whsp_ai.db.models import Business
from whsp_ai.db.repositories import sales

DAYS = 30


@dataclass(frozen=True, slots=True)
class SalesPage:
    currency: str
    days: list[sales.Day]
    orders: int
    revenue: Decimal
    average: Decimal | None  # None without orders: no average to show
    orders_chart: Markup
    revenue_chart: Markup
    top: list[sales.TopProduct]
    top_chart: Markup
    carts: sales.OpenCarts
    questions: sales.Questions


def short_amount(value: float) -> str:
    """An axis label that fits 40 px: 950, 1.2k, 35k, 1.5M."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if value >= 1_000:
        return f"{value / 1_000:.1f}k".replace(".0k", "k")
    return f"{value:.0f}"


def _amount(value: Decimal | float, currency: str) -> str:
    return f"${Decimal(str(value)):,.2f} {currency}"


def _day_label(i: int, day: sales.Day) -> str:
    # one label a week, on the days that are 0, 7, 14… days before the last: today is labelled
    return f"{day.day.day} {day.day:%b}" if (DAYS - 1 - i) % 7 == 0 else ""


async def build(session: AsyncSession, business: Business) -> SalesPage:
    business_id = business.id or 0
    tz = sales.zone((business.info or {}).get("timezone"))
    days = await sales.per_day(session, business_id=business_id, tz=tz, days=DAYS)
    since = sales.window_start(tz, DAYS)
    top = await sales.top_products(session, business_id=business_id, since=since)
    carts = await sales.open_carts(session, business_id=business_id)
    questions = await sales.unanswered_questions(session, business_id=business_id)

    currency = business.currency
    orders = sum(d.orders for d in days)
    revenue = sum((d.revenue for d in days), Decimal("0"))
    average = (revenue / orders).quantize(Decimal("0.01")) if orders else None
    orders_chart = charts.columns(
        [
            charts.Point(_day_label(i, d), d.orders, f"{d.day:%a %d %b}: {d.orders} orders")
            for i, d in enumerate(days)
        ],
        label=f"Orders per day, last {DAYS} days",
        axis=short_amount,
        whole=True,
    )
    revenue_chart = charts.columns(
        [
            charts.Point(
                _day_label(i, d),
                float(d.revenue),
                f"{d.day:%a %d %b}: {_amount(d.revenue, currency)}",
            )
            for i, d in enumerate(days)
        ],
        label=f"Revenue per day ({currency}), last {DAYS} days",
        axis=short_amount,
        color="#3563a9",
    )
    top_chart = charts.bars(
        [
            charts.Point(
                p.name,
                float(p.revenue),
                f"{p.name}: {p.quantity} sold, {_amount(p.revenue, currency)}",
            )
            for p in top
        ],
        label=f"Top products by revenue, last {DAYS} days",
        value_text=lambda v: "$" + short_amount(v),
    )
    return SalesPage(
        currency=currency,
        days=days,
        orders=orders,
        revenue=revenue,
        average=average,
        orders_chart=orders_chart,
        revenue_chart=revenue_chart,
        top=top,
        top_chart=top_chart,
        carts=carts,
        questions=questions,
    )
