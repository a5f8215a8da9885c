"""The owner management API (CONTRACT §5): approvals, inventory answers, orders, products.

Every route sees only the business whose API key it was called with: another business's
object is a 404, exactly as if it did not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.api.deps import (
    AUTH_RESPONSES,
    BODY_RESPONSES,
    BusinessDep,
    ChannelDep,
    SessionDep,
    single_valued_query,
)
from whsp_ai.api.routes.management_inputs import (
    ApprovalFilter,
    OrderPage,
    ProductPage,
    ProductUpdate,
)
from whsp_ai.db.fields import Int4, Int8Id, Label, MoneyIn, valid_sku
from whsp_ai.db.models import (
    Approval,
    ApprovalStatus,
    Customer,
    Money,
    Order,
    OrderItem,
    Product,
    ProductCreate,
    ProductPublic,
    ProductStatus,
)
from whsp_ai.db.repositories import approval_customers, orders, products
from whsp_ai.text.search import product_search_fields
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer

router = APIRouter(
    prefix="/management",
    tags=["management"],
    responses=AUTH_RESPONSES,
    dependencies=[Depends(single_valued_query)],
)


class ProductRef(BaseModel):
    sku: str
    name: str


class ApprovalPublic(BaseModel):
    id: int
    number: int  # the business's own request number, as the owner's notice says it
    kind: Literal["unconfirmed_product", "new_product", "question"]
    status: Literal["pending", "confirmed", "rejected", "answered"]
    product: ProductRef | None
    query: str
    customer_wa_id: str | None  # the first customer who asked
    customers: list[str]  # every customer waiting on it (first asker first)
    created_at: datetime


class InventoryResponse(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"approval_id": 12, "decision": "confirm", "price": 1200, "stock": 3},
                {"approval_id": 13, "decision": "reject"},
            ]
        },
    )

    approval_id: Int8Id
    decision: Literal["confirm", "reject"]
    price: MoneyIn | None = None
    stock: Int4 | None = None
    name: Label | None = Field(default=None, min_length=1, max_length=200)


class InventoryResult(BaseModel):
    approval_id: int
    status: str
    product_sku: str | None = None
    added_to_cart: int = 0


class OrderItemPublic(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: Money


class OrderPublic(BaseModel):
    id: int
    number: int  # the business's own order number, as the customer was told it
    customer_wa_id: str
    status: str
    items: list[OrderItemPublic]
    subtotal: Money
    delivery_fee: Money
    total: Money
    currency: str
    delivery_address: str
    payment_method: str
    created_at: datetime
    status_changed_at: datetime | None = None  # when the owner last moved it along


@router.get("/approvals", response_model=list[ApprovalPublic])
async def list_approvals(
    business: BusinessDep,
    session: SessionDep,
    query: Annotated[ApprovalFilter, Query()],
) -> list[dict[str, Any]]:
    status = query.status
    stmt = (
        select(Approval, Product.sku, Product.name, Customer.wa_id)
        .join(Product, col(Product.id) == Approval.product_id, isouter=True)
        .join(Customer, col(Customer.id) == Approval.customer_id, isouter=True)
        .where(Approval.business_id == business.id)
        .order_by(col(Approval.created_at), col(Approval.id))
    )
    if status is not None:
        stmt = stmt.where(Approval.status == ApprovalStatus(status).value)
    rows = (await session.execute(stmt)).all()
    waiting = await approval_customers.wa_ids(
        session, business_id=business.id or 0, approval_ids=[a.id or 0 for a, *_ in rows]
    )
    return [
        {
            "id": a.id,
            "number": a.number,
            "kind": a.kind,
            "status": a.status,
            "query": a.query,
            "product": {"sku": sku, "name": name} if sku else None,
            "customer_wa_id": wa_id,
            "customers": waiting.get(a.id or 0) or ([wa_id] if wa_id else []),
            "created_at": a.created_at,
        }
        for a, sku, name, wa_id in rows
    ]


@router.post(
    "/inventory_response",
    response_model=InventoryResult,
    responses={
        **BODY_RESPONSES,
        404: {"description": "no such approval"},
        409: {"description": "already answered"},
    },
)
async def inventory_response(
    body: InventoryResponse, business: BusinessDep, channel: ChannelDep
) -> InventoryResult:
    """Answer an approval: the catalog changes at once and the customer is told on WhatsApp."""
    answer = body.model_dump(exclude={"approval_id"}, exclude_none=True, mode="json")
    try:
        outcome = await channel.engine.answer_approval(
            business_id=business.id or 0, approval_id=body.approval_id, answer=answer
        )
    except ApprovalNotFound:
        raise HTTPException(404, f"no approval {body.approval_id}") from None
    except AlreadyAnswered:
        raise HTTPException(409, f"approval {body.approval_id} was already answered") from None
    except InvalidAnswer as exc:
        # shaped like every other 422, as the document describes it
        error = {"type": "value_error", "loc": ("body",), "msg": str(exc), "input": answer}
        raise RequestValidationError([error]) from None
    channel.sender.wake.set()
    return InventoryResult(approval_id=body.approval_id, **outcome)


@router.get("/orders", response_model=list[OrderPublic])
async def list_orders(
    business: BusinessDep,
    session: SessionDep,
    page: Annotated[OrderPage, Query()],
) -> list[dict[str, Any]]:
    placed = await orders.list_orders(
        session, business_id=business.id or 0, limit=page.limit, status=page.status
    )
    return await public_orders(session, placed)


async def public_orders(
    session: AsyncSession, placed: list[tuple[Order, list[OrderItem]]]
) -> list[dict[str, Any]]:
    """Orders in the API's shape (OrderPublic), with each customer's WhatsApp id."""
    wa_ids = dict(
        (
            await session.execute(
                select(col(Customer.id), Customer.wa_id).where(
                    col(Customer.id).in_([o.customer_id for o, _ in placed])
                )
            )
        ).all()
    )
    return [
        {
            **order.model_dump(),
            "customer_wa_id": wa_ids.get(order.customer_id, ""),
            "items": [i.model_dump() for i in items],
        }
        for order, items in placed
    ]


@router.get("/products", response_model=list[ProductPublic])
async def list_products(
    business: BusinessDep,
    session: SessionDep,
    page: Annotated[ProductPage, Query()],
) -> list[Product]:
    return await products.list_products(
        session, business_id=business.id or 0, limit=page.limit, offset=page.offset
    )


@router.post(
    "/products",
    response_model=ProductPublic,
    status_code=201,
    responses={**BODY_RESPONSES, 409: {"description": "the sku exists; PATCH it instead"}},
)
async def create_product(
    body: ProductCreate, business: BusinessDep, session: SessionDep
) -> Product:
    created = await products.create(session, business_id=business.id or 0, product=body)
    if created is None:
        raise HTTPException(409, f"sku {body.sku!r} already exists; PATCH it instead")
    return created


@router.patch(
    "/products/{sku}",
    response_model=ProductPublic,
    responses={**BODY_RESPONSES, 404: {"description": "no product with this sku"}},
)
async def update_product(
    sku: str, body: ProductUpdate, business: BusinessDep, session: SessionDep
) -> Product:
    # A path no sku can match (one with NUL, say) is a 404 without asking the database.
    product = (
        await products.by_sku(session, business_id=business.id or 0, sku=sku)
        if valid_sku(sku)
        else None
    )
    if product is None:
        raise HTTPException(404, f"no product {sku!r}")
    changes = body.model_dump(exclude_unset=True)
    if "status" in changes:
        changes["status"] = ProductStatus(changes["status"]).value
    if changes:
        merged = {**product.model_dump(), **changes}
        changes |= product_search_fields(
            merged["name"], merged["aliases"], merged["category"], merged["description"]
        )
        await session.execute(
            update(Product)
            .where(col(Product.id) == product.id)
            .values(**changes, updated_at=func.now())
        )
        await session.refresh(product)
    return product
