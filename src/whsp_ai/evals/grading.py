"""Graders: the business's final database state first, then what the replies said.

State is read straight from the tables (carts, orders and their lines, approvals,
products, the outbox to the owner); replies are checked with accent- and case-insensitive
patterns: plain words match as a substring, `/.../` is a regular expression.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from whsp_ai.db.database import Database
from whsp_ai.db.models import Approval, Business, Customer, OutboundMessage, Product
from whsp_ai.db.repositories import approval_customers, carts, customers, orders
from whsp_ai.evals.scenario import Expect, ItemExpect, OrderExpect


def plain(text: str) -> str:
    """Accents off (é→e, ñ→n), for accent-insensitive matching; case is left to the regex."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def matches(pattern: str, text: str) -> bool:
    """A pattern in `text`, ignoring accents and case: plain words, or `/regex/`."""
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        return re.search(plain(pattern[1:-1]), plain(text), re.IGNORECASE) is not None
    return plain(pattern).casefold() in plain(text).casefold()


def check_replies(text: str, wanted: list[str], forbidden: list[str], where: str) -> list[str]:
    problems = [f"{where}: no reply matches {p!r}" for p in wanted if not matches(p, text)]
    problems += [f"{where}: a reply matches forbidden {p!r}" for p in forbidden if matches(p, text)]
    return problems


async def check_state(
    db: Database, business: Business, expect: Expect, people: dict[str, str]
) -> list[str]:
    """Differences between the business's tables and what the scenario expects."""
    assert business.id is not None
    problems: list[str] = []
    slug = business.slug
    carts_wanted = dict(expect.carts)
    if expect.cart is not None:
        carts_wanted["customer"] = expect.cart
    for who, wanted in carts_wanted.items():
        got = await cart_of(db, business.id, people.get(who, who))
        if got != wanted:
            problems.append(f"{slug}: {who}'s cart is {got or '{}'}, expected {wanted or '{}'}")
    if expect.orders is not None:
        problems += await _check_orders(db, business, expect.orders, people)
    if expect.approvals is not None:
        problems += await _check_approvals(db, business, expect)
    if expect.products:
        problems += await _check_products(db, business, expect)
    if expect.handed_off is not None:
        async with db.session() as session:
            customer = await customers.by_wa_id(
                session, business_id=business.id, wa_id=people.get("customer", "customer")
            )
        handed = customer is not None and customer.handed_off_at is not None
        if handed != expect.handed_off:
            problems.append(f"{slug}: handed off is {handed}, expected {expect.handed_off}")
    if expect.owner_notified is not None:
        async with db.session() as session:
            rows = await session.execute(
                select(OutboundMessage.payload).where(
                    OutboundMessage.business_id == business.id,
                    OutboundMessage.to_wa_id == business.owner_phone,
                )
            )
            told = sum(1 for payload in rows.scalars() if payload.get("type"))
        if told != expect.owner_notified:
            problems.append(
                f"{slug}: {told} message(s) to the owner, expected {expect.owner_notified}"
            )
    return problems


async def cart_of(db: Database, business_id: int, wa_id: str) -> dict[str, int]:
    async with db.session() as session:
        customer = await customers.by_wa_id(session, business_id=business_id, wa_id=wa_id)
        if customer is None or customer.id is None:
            return {}
        lines = await carts.lines(session, business_id=business_id, customer_id=customer.id)
    return {line.sku: line.quantity for line in lines}


async def _check_orders(
    db: Database, business: Business, wanted: list[OrderExpect], people: dict[str, str]
) -> list[str]:
    assert business.id is not None
    async with db.session() as session:
        placed = list(reversed(await orders.list_orders(session, business_id=business.id)))
        owners = dict(
            (
                await session.execute(
                    select(col(Customer.id), Customer.wa_id).where(
                        Customer.business_id == business.id
                    )
                )
            ).all()
        )
    slug = business.slug
    if len(placed) != len(wanted):
        got = [{i.sku: i.quantity for i in items} for _, items in placed]
        return [f"{slug}: {len(placed)} order(s) {got}, expected {len(wanted)}"]
    problems: list[str] = []
    for n, ((order, items), exp) in enumerate(zip(placed, wanted, strict=True), 1):
        where = f"{slug}: order {n}"
        lines = {i.sku: (i.quantity, i.unit_price) for i in items}
        wanted_lines = {
            sku: (v.quantity, v.unit_price) if isinstance(v, ItemExpect) else (v, None)
            for sku, v in exp.items.items()
        }
        if set(lines) != set(wanted_lines):
            problems.append(f"{where} has {sorted(lines)}, expected {sorted(wanted_lines)}")
        for sku, (qty, price) in wanted_lines.items():
            if sku not in lines:
                continue
            got_qty, got_price = lines[sku]
            if got_qty != qty:
                problems.append(f"{where}: {got_qty} × {sku}, expected {qty}")
            if price is not None and got_price != price:
                problems.append(f"{where}: {sku} at {got_price}, expected {price}")
        for name in ("subtotal", "delivery_fee", "total"):
            value: Decimal | None = getattr(exp, name)
            if value is not None and getattr(order, name) != value:
                problems.append(f"{where}: {name} {getattr(order, name)}, expected {value}")
        if exp.address is not None and not matches(exp.address, order.delivery_address):
            problems.append(f"{where}: address {order.delivery_address!r} lacks {exp.address!r}")
        if (
            exp.payment is not None
            and plain(order.payment_method).casefold() != plain(exp.payment).casefold()
        ):
            problems.append(f"{where}: paid by {order.payment_method!r}, expected {exp.payment!r}")
        if exp.status is not None and order.status != exp.status:
            problems.append(f"{where}: status {order.status!r}, expected {exp.status!r}")
        customer = people.get(exp.customer, exp.customer)
        if owners.get(order.customer_id) != customer:
            problems.append(f"{where}: placed by {owners.get(order.customer_id)}, not {customer}")
    return problems


async def _check_approvals(db: Database, business: Business, expect: Expect) -> list[str]:
    assert expect.approvals is not None
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Approval, Product.sku)
                .join(Product, col(Product.id) == Approval.product_id, isouter=True)
                .where(Approval.business_id == business.id)
                .order_by(col(Approval.id))
            )
        ).all()
        waiting = await approval_customers.wa_ids(
            session, business_id=business.id or 0, approval_ids=[a.id or 0 for a, _ in rows]
        )
    got = [(a.kind, a.status, sku, a.query) for a, sku in rows]
    counts = [len(waiting.get(a.id or 0, [])) for a, _ in rows]
    slug = business.slug
    if len(got) != len(expect.approvals):
        return [f"{slug}: approvals {_show(got)}, expected {len(expect.approvals)}"]
    problems: list[str] = []
    for n, ((kind, status, sku, query), exp) in enumerate(zip(got, expect.approvals, strict=True)):
        where = f"{slug}: approval {n + 1}"
        if (kind, status) != (exp.kind, exp.status):
            problems.append(f"{where} is {kind}/{status}, expected {exp.kind}/{exp.status}")
        if exp.sku is not None and sku != exp.sku:
            problems.append(f"{where} is for {sku}, expected {exp.sku}")
        if exp.query is not None and not matches(exp.query, query):
            problems.append(f"{where} asked {query!r}, expected {exp.query!r}")
        if exp.customers is not None and counts[n] != exp.customers:
            problems.append(f"{where} has {counts[n]} customer(s), expected {exp.customers}")
    return problems


def _show(rows: list[tuple[Any, ...]]) -> str:
    return "[" + ", ".join(f"{k}/{s}:{sku or q!r}" for k, s, sku, q in rows) + "]"


async def _check_products(db: Database, business: Business, expect: Expect) -> list[str]:
    async with db.session() as session:
        found = {
            p.sku: p
            for p in (
                await session.execute(
                    select(Product).where(
                        Product.business_id == business.id,
                        col(Product.sku).in_(list(expect.products)),
                    )
                )
            ).scalars()
        }
    problems: list[str] = []
    for sku, exp in expect.products.items():
        product = found.get(sku)
        if product is None:
            problems.append(f"{business.slug}: no product {sku}")
            continue
        for name in ("price", "stock", "status", "name"):
            value = getattr(exp, name)
            if value is not None and getattr(product, name) != value:
                problems.append(
                    f"{business.slug}: {sku} {name} is {getattr(product, name)!r}, "
                    f"expected {value!r}"
                )
    return problems


async def facts(db: Database, business: Business, wa_id: str) -> dict[str, Any]:
    """What the database says at the end, for a model grader to check replies against."""
    assert business.id is not None
    async with db.session() as session:
        catalog = (
            await session.execute(
                select(Product).where(Product.business_id == business.id).order_by(Product.sku)
            )
        ).scalars()
        rows = [
            f"{p.sku} | {p.name} | {p.price} {business.currency} | "
            f"stock {'untracked' if p.stock is None else p.stock} | {p.status}"
            for p in catalog
        ]
        placed = await orders.list_orders(session, business_id=business.id)
    persona = business.persona or {}
    return {
        "business": business.name,
        "language": business.language,
        "currency": business.currency,
        "persona": persona,
        "payment_methods": list(business.payment_methods),
        "delivery_fee": str(business.delivery_fee),
        "free_delivery_over": str(business.free_delivery_over),
        "catalog": rows,
        "cart": await cart_of(db, business.id, wa_id),
        "orders": [
            {
                "id": o.id,
                "items": [f"{i.quantity} × {i.sku} at {i.unit_price}" for i in items],
                "subtotal": str(o.subtotal),
                "delivery_fee": str(o.delivery_fee),
                "total": str(o.total),
                "address": o.delivery_address,
                "payment": o.payment_method,
            }
            for o, items in placed
        ],
    }
