"""Orders: placed in one transaction that freezes prices, takes stock and empties the cart."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Business, Order, OrderItem, Product, ProductStatus
from whsp_ai.db.repositories import carts, sequences


class OrderError(Exception):
    """The cart can't become an order as it stands; the message says why."""


class EmptyCart(OrderError):
    pass


@dataclass
class InsufficientStock(OrderError):
    sku: str
    name: str
    requested: int
    available: int


@dataclass
class UnavailableProduct(OrderError):
    sku: str
    name: str


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Decimal
    delivery_fee: Decimal
    total: Decimal


def totals_for(business: Business, subtotal: Decimal) -> Totals:
    """Delivery fee per the business's rules: flat fee, waived at or above the threshold."""
    fee = business.delivery_fee or Decimal("0")
    if business.free_delivery_over is not None and subtotal >= business.free_delivery_over:
        fee = Decimal("0")
    if subtotal == 0:
        fee = Decimal("0")
    return Totals(subtotal=subtotal, delivery_fee=fee, total=subtotal + fee)


async def place(
    session: AsyncSession,
    *,
    business_id: int,
    customer_id: int,
    delivery_address: str,
    payment_method: str,
) -> Order:
    """Turn the customer's cart into an order. Call inside the session's transaction."""
    business = await session.get(Business, business_id, with_for_update=False)
    if business is None:
        raise LookupError(f"no business {business_id}")
    cart = await carts.lines(session, business_id=business_id, customer_id=customer_id)
    if not cart:
        raise EmptyCart("the cart is empty")
    # Lock the products in a stable order so two orders for the same items can't deadlock.
    product_ids = sorted(line.product_id for line in cart)
    locked = await session.execute(
        select(Product)
        .where(col(Product.id).in_(product_ids), Product.business_id == business_id)
        .order_by(col(Product.id))
        .with_for_update()
    )
    products = {p.id: p for p in locked.scalars()}
    subtotal = Decimal("0")
    for line in cart:
        product = products[line.product_id]
        if product.status != ProductStatus.confirmed:
            raise UnavailableProduct(sku=product.sku, name=product.name)
        if product.stock is not None and line.quantity > product.stock:
            raise InsufficientStock(product.sku, product.name, line.quantity, product.stock)
        subtotal += product.price * line.quantity
    totals = totals_for(business, subtotal)
    # Taken last, once the order is sure to be placed: the counter's row lock is then held
    # only for the few statements left, and a refused cart never takes a number.
    number = await sequences.next_number(session, business_id=business_id, kind="order")
    order = Order(
        business_id=business_id,
        number=number,
        customer_id=customer_id,
        currency=business.currency,
        subtotal=totals.subtotal,
        delivery_fee=totals.delivery_fee,
        total=totals.total,
        delivery_address=delivery_address,
        payment_method=payment_method,
    )
    session.add(order)
    await session.flush()
    assert order.id is not None
    for line in cart:
        product = products[line.product_id]
        session.add(
            OrderItem(
                business_id=business_id,
                order_id=order.id,
                product_id=product.id,
                sku=product.sku,
                name=product.name,
                quantity=line.quantity,
                unit_price=product.price,
            )
        )
        if product.stock is not None:
            await session.execute(
                update(Product)
                .where(col(Product.id) == product.id)
                .values(stock=col(Product.stock) - line.quantity)
            )
    await carts.clear(session, business_id=business_id, customer_id=customer_id)
    await session.flush()
    return order


async def list_orders(
    session: AsyncSession,
    *,
    business_id: int,
    limit: int | None = None,
    status: str | None = None,
    order_id: int | None = None,
) -> list[tuple[Order, list[OrderItem]]]:
    """Newest first, each with its items; `status` or `order_id` narrow it."""
    stmt = select(Order).where(Order.business_id == business_id)
    if status is not None:
        stmt = stmt.where(Order.status == status)
    if order_id is not None:
        stmt = stmt.where(Order.id == order_id)
    stmt = stmt.order_by(col(Order.created_at).desc(), col(Order.id).desc()).limit(limit)
    orders = list((await session.execute(stmt)).scalars())
    if not orders:
        return []
    items = (
        await session.execute(
            select(OrderItem)
            .where(
                OrderItem.business_id == business_id,
                col(OrderItem.order_id).in_([o.id for o in orders]),
            )
            .order_by(col(OrderItem.id))
        )
    ).scalars()
    by_order: dict[int, list[OrderItem]] = {}
    for item in items:
        by_order.setdefault(item.order_id, []).append(item)
    return [(o, by_order.get(o.id or 0, [])) for o in orders]


async def by_number(session: AsyncSession, *, business_id: int, number: int) -> Order | None:
    stmt = select(Order).where(Order.business_id == business_id, Order.number == number)
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_id(session: AsyncSession, *, business_id: int, order_id: int) -> Order | None:
    stmt = select(Order).where(Order.business_id == business_id, Order.id == order_id)
    return (await session.execute(stmt)).scalar_one_or_none()
