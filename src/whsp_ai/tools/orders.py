"""Orders: placing one (the owner is told), and moving it along its statuses (the customer
is told).

A cart that can't be filled (a product sold out or withdrawn since it was added) is set to
what can be sold, so the customer sees the cart as it really is and confirms again.
Statuses go pending → paid → shipped → delivered, or to cancelled (TRANSITIONS).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Business, Order, OrderItem, OrderStatus, Product
from whsp_ai.db.repositories import carts, customers, orders, products
from whsp_ai.messages import replies
from whsp_ai.prompts.money import money
from whsp_ai.prompts.texts import Lang, language_of, t
from whsp_ai.tools import messages

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
            await _tell_owner(session, order)  # with the order, or not at all
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


# Forward along the chain, skipping steps where the shop works so (cash on delivery goes
# pending → shipped → delivered), or cancelled before delivery. Delivered and cancelled are
# final: an order never goes back, so a customer is never told two contrary things.
_CHAIN = (OrderStatus.pending, OrderStatus.paid, OrderStatus.shipped, OrderStatus.delivered)
TRANSITIONS: dict[str, frozenset[str]] = {
    step.value: frozenset(
        [later.value for later in _CHAIN[i + 1 :]]
        + ([OrderStatus.cancelled.value] if step != OrderStatus.delivered else [])
    )
    for i, step in enumerate(_CHAIN)
} | {OrderStatus.cancelled.value: frozenset()}


class OrderNotFound(LookupError):
    """No such order in this business."""


class ImpossibleChange(Exception):
    """The order can't move from its status to the one asked (the API answers 409)."""

    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(f"an order that is {current} can't become {wanted}")
        self.current, self.wanted = current, wanted


async def change_status(
    session: AsyncSession, *, business_id: int, order_id: int, status: str
) -> Order:
    """Move an order to `status` and queue the customer's update, in the caller's
    transaction. The same status again changes nothing and tells nobody (a retried PATCH).
    Cancelling puts the items' stock back. Raises OrderNotFound, ImpossibleChange, and
    ValueError for a status that doesn't exist."""
    wanted = OrderStatus(status).value
    order = (
        await session.execute(
            select(Order)
            .where(Order.business_id == business_id, Order.id == order_id)
            .with_for_update()  # two owners' clicks at once: one wins, the other sees it
        )
    ).scalar_one_or_none()
    if order is None:
        raise OrderNotFound(order_id)
    if order.status == wanted:
        return order
    if wanted not in TRANSITIONS.get(order.status, frozenset()):
        raise ImpossibleChange(order.status, wanted)
    order.status = wanted
    order.status_changed_at = datetime.now(UTC)
    if wanted == OrderStatus.cancelled:
        await _restock(session, business_id, order_id)
    await session.flush()
    await session.refresh(order)
    await _tell_customer(session, order)
    return order


async def _restock(session: AsyncSession, business_id: int, order_id: int) -> None:
    items = (
        await session.execute(
            select(OrderItem).where(
                OrderItem.business_id == business_id, OrderItem.order_id == order_id
            )
        )
    ).scalars()
    for item in items:
        if item.product_id is not None:  # stock stays NULL (not tracked) where it was
            await session.execute(
                update(Product)
                .where(col(Product.id) == item.product_id, col(Product.stock).is_not(None))
                .values(stock=col(Product.stock) + item.quantity)
            )


async def _tell_customer(session: AsyncSession, order: Order) -> None:
    business = await session.get(Business, order.business_id)
    customer = await customers.by_id(
        session, business_id=order.business_id, customer_id=order.customer_id
    )
    if business is None or customer is None:
        return
    lang = language_of(customer.locale, business.language)
    body = t(
        f"order_status_{order.status}",
        lang,
        business=business.name,
        order=order.number,
        address=order.delivery_address,
    )
    await messages.send(
        session,
        business_id=order.business_id,
        to_wa_id=customer.wa_id,
        reply=replies.text(body),
        dedupe_key=f"order:{order.id}:status:{order.status}",
    )


async def _tell_owner(session: AsyncSession, order: Order) -> None:
    """Every new order, to the owner on WhatsApp: items, total, address, payment method."""
    business = await session.get(Business, order.business_id)
    customer = await customers.by_id(
        session, business_id=order.business_id, customer_id=order.customer_id
    )
    if business is None or customer is None:
        return
    lang: Lang = "en" if business.language == "en" else "es"
    items = (
        await session.execute(
            select(OrderItem)
            .where(OrderItem.business_id == order.business_id, OrderItem.order_id == order.id)
            .order_by(col(OrderItem.id))
        )
    ).scalars()
    lines = "\n".join(
        f"• {i.quantity} × {i.name} ({money(i.unit_price, order.currency)})" for i in items
    )
    who = f"+{customer.wa_id}"
    if customer.profile_name:
        who = f"{customer.profile_name} ({who})"
    body = t(
        "owner_new_order",
        lang,
        order=order.number,
        customer=who,
        lines=lines,
        total=money(order.total, order.currency),
        address=order.delivery_address,
        payment=order.payment_method,
    )
    await messages.send(
        session,
        business_id=order.business_id,
        to_wa_id=business.owner_phone,
        reply=replies.text(body),
        dedupe_key=f"order:{order.id}:owner",
    )
