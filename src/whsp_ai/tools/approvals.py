"""Owner approvals: applying the owner's answer to the catalog (asking is tools/asks.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from whsp_ai.db.models import Approval, ApprovalKind, ApprovalStatus, Product, ProductStatus
from whsp_ai.db.repositories import approval_customers, approvals, products
from whsp_ai.text.fold import fold
from whsp_ai.text.search import product_search_fields
from whsp_ai.tools import cart
from whsp_ai.tools.cart import CartChange


class AlreadyAnswered(Exception):
    """The approval was answered before; answering twice is refused."""


class ApprovalNotFound(LookupError):
    pass


class InvalidAnswer(ValueError):
    """The answer can't be applied (a new product confirmed without a price)."""


@dataclass(frozen=True)
class Decision:
    decision: Literal["confirm", "reject"]
    price: Decimal | None = None
    stock: int | None = None
    name: str | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Decision:
        decision = raw.get("decision")
        if decision not in ("confirm", "reject"):
            raise InvalidAnswer("decision must be 'confirm' or 'reject'")
        price = raw.get("price")
        stock = raw.get("stock")
        if price is not None and Decimal(str(price)) < 0:
            raise InvalidAnswer("price must not be negative")
        if stock is not None and int(stock) < 0:
            raise InvalidAnswer("stock must not be negative")
        return cls(
            decision,
            Decimal(str(price)) if price is not None else None,
            int(stock) if stock is not None else None,
            (raw.get("name") or None),
        )


@dataclass(frozen=True)
class Outcome:
    approval: Approval
    product: Product | None
    cart_change: CartChange | None  # the first asker's
    cart_changes: dict[int, CartChange] = field(default_factory=dict)  # customer id -> change


async def apply_decision(
    session: AsyncSession, *, business_id: int, approval_id: int, decision: Decision
) -> Outcome:
    """Record the answer once and update the catalog (and the customer's cart) accordingly."""
    approval = await approvals.by_id(session, business_id=business_id, approval_id=approval_id)
    if approval is None:
        raise ApprovalNotFound(approval_id)
    if approval.status != ApprovalStatus.pending:
        raise AlreadyAnswered(approval_id)
    if (
        decision.decision == "confirm"
        and approval.kind == ApprovalKind.new_product
        and decision.price is None
    ):
        raise InvalidAnswer("confirming a new product needs its price")
    status = ApprovalStatus.confirmed if decision.decision == "confirm" else ApprovalStatus.rejected
    resolution = {
        "decision": decision.decision,
        "price": str(decision.price) if decision.price is not None else None,
        "stock": decision.stock,
        "name": decision.name,
    }
    answered = await approvals.resolve(
        session,
        business_id=business_id,
        approval_id=approval_id,
        status=status,
        resolution=resolution,
    )
    if not answered:  # lost a race with another answer
        raise AlreadyAnswered(approval_id)

    product: Product | None = None
    if approval.kind == ApprovalKind.unconfirmed_product and approval.product_id is not None:
        product = await products.by_id(
            session, business_id=business_id, product_id=approval.product_id
        )
        if product is not None:
            await _update_product(session, product, decision)
    elif approval.kind == ApprovalKind.new_product and decision.decision == "confirm":
        product = await _create_product(session, business_id, approval, decision)

    changes: dict[int, CartChange] = {}
    if decision.decision == "confirm" and product is not None and product.id is not None:
        waiting = await approval_customers.waiting(
            session, business_id=business_id, approval_id=approval_id
        )
        for asked, _ in waiting:  # each customer gets what they asked to add, in order
            if asked.wants_add:
                changes[asked.customer_id] = await cart.add(
                    session,
                    business_id=business_id,
                    customer_id=asked.customer_id,
                    product_id=product.id,
                    quantity=asked.requested_quantity or 1,
                )
    await session.refresh(approval)
    first = changes.get(approval.customer_id or 0)
    return Outcome(approval, product, first, changes)


async def _update_product(session: AsyncSession, product: Product, decision: Decision) -> None:
    values: dict[str, Any] = {
        "status": (
            ProductStatus.confirmed.value
            if decision.decision == "confirm"
            else ProductStatus.rejected.value
        ),
        "updated_at": func.now(),
    }
    if decision.decision == "confirm":
        if decision.price is not None:
            values["price"] = decision.price
        if decision.stock is not None:
            values["stock"] = decision.stock
        if decision.name:
            values["name"] = decision.name
            values |= product_search_fields(
                decision.name, product.aliases, product.category, product.description
            )
    await session.execute(update(Product).where(col(Product.id) == product.id).values(**values))
    await session.refresh(product)


async def _create_product(
    session: AsyncSession, business_id: int, approval: Approval, decision: Decision
) -> Product:
    name = decision.name or approval.query.strip().capitalize()
    sku = f"NEW-{approval.id}-{re.sub(r'[^A-Z0-9]+', '-', fold(name).upper()).strip('-')[:24]}"
    product = Product(
        business_id=business_id,
        sku=sku,
        name=name,
        description="",
        price=decision.price or Decimal("0"),
        stock=decision.stock,
        aliases=[approval.query],
        status=ProductStatus.confirmed.value,
        **product_search_fields(name, [approval.query], None, ""),
    )
    session.add(product)
    await session.flush()
    return product
