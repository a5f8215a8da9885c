"""A customer's cart, kept in tables (never in graph state), read with database prices."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, func
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Cart, CartItem, Product


@dataclass(frozen=True, slots=True)
class CartLine:
    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    stock: int | None
    status: str

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


async def cart_id(session: AsyncSession, *, business_id: int, customer_id: int) -> int:
    """The customer's cart id, created on first use."""
    stmt = (
        insert(Cart)
        .values(business_id=business_id, customer_id=customer_id)
        .on_conflict_do_update(index_elements=["customer_id"], set_={"updated_at": func.now()})
        .returning(col(Cart.id))
    )
    cid = (await session.execute(stmt)).scalar_one()
    assert cid is not None
    return cid


async def lines(session: AsyncSession, *, business_id: int, customer_id: int) -> list[CartLine]:
    stmt = (
        sa_select(
            col(Product.id),
            col(Product.sku),
            col(Product.name),
            col(CartItem.quantity),
            col(Product.price),
            col(Product.stock),
            col(Product.status),
        )
        .join(Cart, col(Cart.id) == CartItem.cart_id)
        .join(Product, col(Product.id) == CartItem.product_id)
        .where(
            col(Cart.business_id) == business_id,
            col(Cart.customer_id) == customer_id,
            col(CartItem.business_id) == business_id,
        )
        .order_by(col(CartItem.added_at), col(CartItem.id))
    )
    rows = (await session.execute(stmt)).all()
    return [CartLine(*row) for row in rows]  # type: ignore[arg-type]  # product id is never NULL


async def set_quantity(
    session: AsyncSession, *, business_id: int, customer_id: int, product_id: int, quantity: int
) -> None:
    """Set a line's quantity; zero removes it. The product must belong to the business."""
    if quantity < 0:
        raise ValueError("quantity must not be negative")
    owned = await session.execute(
        select(col(Product.id)).where(Product.id == product_id, Product.business_id == business_id)
    )
    if owned.scalar_one_or_none() is None:
        raise LookupError(f"product {product_id} does not belong to business {business_id}")
    cid = await cart_id(session, business_id=business_id, customer_id=customer_id)
    if quantity == 0:
        await session.execute(
            delete(CartItem).where(
                col(CartItem.cart_id) == cid, col(CartItem.product_id) == product_id
            )
        )
        return
    stmt = insert(CartItem).values(
        business_id=business_id, cart_id=cid, product_id=product_id, quantity=quantity
    )
    stmt = stmt.on_conflict_do_update(
        constraint="cart_items_cart_product_key", set_={"quantity": stmt.excluded.quantity}
    )
    await session.execute(stmt)


async def clear(session: AsyncSession, *, business_id: int, customer_id: int) -> None:
    carts = select(col(Cart.id)).where(
        Cart.business_id == business_id, Cart.customer_id == customer_id
    )
    await session.execute(
        delete(CartItem).where(
            col(CartItem.business_id) == business_id, col(CartItem.cart_id).in_(carts)
        )
    )
