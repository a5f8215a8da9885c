"""Placing an order: the cart becomes an order in one savepoint, or the cart is corrected.

A cart that can't be filled (a product sold out or withdrawn since it was added) is set to
what can be sold, so the customer sees the cart as it really is and confirms again.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import Order
from whsp_ai.db.repositories import carts, customers, orders, products

Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True)
class Refused:
    """Why no order was placed; the cart was corrected where a line could not be filled."""

    reason: Literal["empty", "stock", "unavailable"]
    name: str = ""
    available: int = 0


async def place_order(
    sessions: Sessions,
    *,
    business_id: int,
    customer_id: int,
    delivery_address: str,
    payment_method: str,
) -> Order | Refused:
    """Each `sessions()` is its own savepoint: a refused order leaves no trace but the fix."""
    try:
        async with sessions() as session:
            order = await orders.place(
                session,
                business_id=business_id,
                customer_id=customer_id,
                delivery_address=delivery_address,
                payment_method=payment_method,
            )
            # Offered as "la misma" at the customer's next checkout (issue 13).
            await customers.set_last_address(
                session, business_id=business_id, customer_id=customer_id, address=delivery_address
            )
            return order
    except orders.EmptyCart:
        return Refused("empty")
    except orders.InsufficientStock as short:
        async with sessions() as session:
            await _set_line(session, business_id, customer_id, short.sku, short.available)
        return Refused("stock", short.name, short.available)
    except orders.UnavailableProduct as gone:
        async with sessions() as session:
            await _set_line(session, business_id, customer_id, gone.sku, 0)
        return Refused("unavailable", gone.name)


async def _set_line(
    session: AsyncSession, business_id: int, customer_id: int, sku: str, quantity: int
) -> None:
    product = await products.by_sku(session, business_id=business_id, sku=sku)
    if product is not None and product.id is not None:
        await carts.set_quantity(
            session,
            business_id=business_id,
            customer_id=customer_id,
            product_id=product.id,
            quantity=quantity,
        )
