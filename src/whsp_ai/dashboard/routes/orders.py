"""Orders: the list (filter by status, newest first, paginated) and one order's detail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import func
from sqlmodel import col, select

from whsp_ai.dashboard.deps import DbDep, Owner, OwnerDep
from whsp_ai.dashboard.forms import page_number, path_id
from whsp_ai.dashboard.render import page
from whsp_ai.db.models import Customer, Order, OrderItem, OrderStatus
from whsp_ai.tools.orders import TRANSITIONS

router = APIRouter()
PAGE_SIZE = 25
# The order statuses of CONTRACT §7, in the order an order moves through them.
STATUSES = tuple(status.value for status in OrderStatus)


@router.get("/orders")
async def orders_page(request: Request, owner: OwnerDep, db: DbDep) -> Response:
    status = request.query_params.get("status", "")
    if status not in STATUSES:
        status = ""
    number = page_number(request)
    where = [col(Order.business_id) == owner.id]
    if status:
        where.append(col(Order.status) == status)
    total = await db.scalar(select(func.count()).select_from(Order).where(*where)) or 0
    # The page's ids first (an index walk), then their customers and item counts: joined
    # before the OFFSET, those would be computed for every skipped row too (page 400: 74 ms).
    newest = (col(Order.created_at).desc(), col(Order.id).desc())
    page_ids = (
        select(col(Order.id).label("id"))
        .where(*where)
        .order_by(*newest)
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
        .subquery()
    )
    items = (
        select(func.coalesce(func.sum(OrderItem.quantity), 0))
        .where(col(OrderItem.order_id) == col(Order.id))
        .scalar_subquery()
    )
    rows = await db.execute(
        select(Order, Customer.wa_id, Customer.profile_name, items)
        .join(page_ids, page_ids.c.id == col(Order.id))
        .join(Customer, col(Customer.id) == col(Order.customer_id))
        .order_by(*newest)
    )
    return page(
        request,
        "orders.html",
        owner=owner,
        nav="orders",
        orders=rows.all(),
        status=status,
        statuses=STATUSES,
        total=total,
        number=number,
        pages_total=max(1, -(-total // PAGE_SIZE)),
        query_prefix=f"status={status}&" if status else "",
    )


async def load_order(db: DbDep, business_id: int, raw_id: str) -> Order:
    """The business's order by id; another business's, or none, is a 404."""
    order = (
        await db.execute(
            select(Order).where(
                col(Order.business_id) == business_id, col(Order.id) == path_id(raw_id)
            )
        )
    ).scalar_one_or_none()
    if order is None:
        raise HTTPException(404, "no such order")
    return order


async def order_context(db: DbDep, owner: Owner, order: Order) -> dict[str, Any]:
    """What order.html shows: the order, its lines, its customer, where it can move next."""
    lines = await db.execute(
        select(OrderItem)
        .where(col(OrderItem.business_id) == owner.id, col(OrderItem.order_id) == order.id)
        .order_by(col(OrderItem.id))
    )
    return {
        "owner": owner,
        "nav": "orders",
        "order": order,
        "lines": list(lines.scalars()),
        "customer": await db.get(Customer, order.customer_id),
        "next_statuses": next_statuses(order.status),
        "error": None,
        "saved": False,
    }


def next_statuses(current: str) -> list[str]:
    """The statuses an order may move to from `current`, in the order of STATUSES."""
    allowed = TRANSITIONS.get(current, frozenset())
    return [status for status in STATUSES if status in allowed]


@router.get("/orders/{order_id}")
async def order_page(request: Request, order_id: str, owner: OwnerDep, db: DbDep) -> Response:
    order = await load_order(db, owner.id, order_id)
    return page(request, "order.html", **await order_context(db, owner, order))
