"""Cart operations with stock rules; quantities and prices always from the database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import Business, Product, ProductStatus
from whsp_ai.db.repositories import carts, products
from whsp_ai.db.repositories.carts import CartLine
from whsp_ai.db.repositories.orders import Totals, totals_for

ChangeKind = Literal[
    "added",
    "added_partial",
    "already_max",
    "out_of_stock",
    "removed",
    "removed_some",
    "not_in_cart",
    "quantity_set",
    "unavailable",
]


# One line holds at most this many units: a typo or a model can't ask for 9,999,999 and
# overflow an order's total.
MAX_LINE_QUANTITY = 999


class ToolError(Exception):
    """A request the tool refuses (unknown product, bad quantity); the message is for logs."""


@dataclass(frozen=True, slots=True)
class CartChange:
    kind: ChangeKind
    sku: str
    name: str
    quantity: int = 0  # the line's quantity after the change (or what was removed)
    asked: int = 0
    available: int | None = None


@dataclass(frozen=True, slots=True)
class CartSummary:
    lines: list[CartLine]
    totals: Totals

    @property
    def empty(self) -> bool:
        return not self.lines


async def _product(session: AsyncSession, business_id: int, product_id: int) -> Product:
    product = await products.by_id(session, business_id=business_id, product_id=product_id)
    if product is None:
        raise ToolError(f"product {product_id} is not in this business's catalog")
    return product


async def _current(
    session: AsyncSession, business_id: int, customer_id: int, product_id: int
) -> int:
    for line in await carts.lines(session, business_id=business_id, customer_id=customer_id):
        if line.product_id == product_id:
            return line.quantity
    return 0


async def add(
    session: AsyncSession, *, business_id: int, customer_id: int, product_id: int, quantity: int
) -> CartChange:
    """Add up to what stock allows, and say what happened."""
    if quantity <= 0:
        raise ToolError("quantity to add must be positive")
    product = await _product(session, business_id, product_id)
    if product.status != ProductStatus.confirmed:
        return CartChange("unavailable", product.sku, product.name, asked=quantity)
    have = await _current(session, business_id, customer_id, product_id)
    want = have + quantity
    limit = MAX_LINE_QUANTITY if product.stock is None else min(product.stock, MAX_LINE_QUANTITY)
    if want > limit:
        if limit == 0:
            return CartChange(
                "out_of_stock", product.sku, product.name, asked=quantity, available=0
            )
        if have >= limit:
            return CartChange("already_max", product.sku, product.name, have, quantity, limit)
        await carts.set_quantity(
            session,
            business_id=business_id,
            customer_id=customer_id,
            product_id=product_id,
            quantity=limit,
        )
        return CartChange("added_partial", product.sku, product.name, limit - have, quantity, limit)
    await carts.set_quantity(
        session,
        business_id=business_id,
        customer_id=customer_id,
        product_id=product_id,
        quantity=want,
    )
    return CartChange("added", product.sku, product.name, quantity, quantity, product.stock)


async def remove(
    session: AsyncSession,
    *,
    business_id: int,
    customer_id: int,
    product_id: int,
    quantity: int | None = None,
) -> CartChange:
    """Remove the whole line, or `quantity` units of it."""
    if quantity is not None and quantity <= 0:
        raise ToolError("quantity to remove must be positive")
    product = await _product(session, business_id, product_id)
    have = await _current(session, business_id, customer_id, product_id)
    if have == 0:
        return CartChange("not_in_cart", product.sku, product.name)
    left = 0 if quantity is None else max(0, have - quantity)
    await carts.set_quantity(
        session,
        business_id=business_id,
        customer_id=customer_id,
        product_id=product_id,
        quantity=left,
    )
    if left == 0:
        return CartChange("removed", product.sku, product.name, have)
    return CartChange("removed_some", product.sku, product.name, have - left, available=left)


async def set_quantity(
    session: AsyncSession, *, business_id: int, customer_id: int, product_id: int, quantity: int
) -> CartChange:
    """Set the line to `quantity` (0 removes), capped by stock."""
    if quantity < 0:
        raise ToolError("quantity must not be negative")
    if quantity == 0:
        return await remove(
            session, business_id=business_id, customer_id=customer_id, product_id=product_id
        )
    product = await _product(session, business_id, product_id)
    if product.status != ProductStatus.confirmed:
        return CartChange("unavailable", product.sku, product.name, asked=quantity)
    limit = MAX_LINE_QUANTITY if product.stock is None else min(product.stock, MAX_LINE_QUANTITY)
    if limit == 0:
        return CartChange("out_of_stock", product.sku, product.name, asked=quantity, available=0)
    target = min(quantity, limit)
    await carts.set_quantity(
        session,
        business_id=business_id,
        customer_id=customer_id,
        product_id=product_id,
        quantity=target,
    )
    kind: ChangeKind = "quantity_set" if target == quantity else "added_partial"
    return CartChange(kind, product.sku, product.name, target, quantity, limit)


async def summary(session: AsyncSession, *, business: Business, customer_id: int) -> CartSummary:
    assert business.id is not None
    lines = await carts.lines(session, business_id=business.id, customer_id=customer_id)
    subtotal = sum((line.line_total for line in lines), Decimal("0"))
    return CartSummary(lines, totals_for(business, subtotal))


async def clear(session: AsyncSession, *, business_id: int, customer_id: int) -> None:
    """Every product out of the customer's cart."""
    await carts.clear(session, business_id=business_id, customer_id=customer_id)
