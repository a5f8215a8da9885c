"""The business operations as LangChain tools, for model-driven agents and Studio.

The tenant and the customer come from the run's context (`get_runtime(Context)`), never
from the model's arguments; prices and totals in the results come from the database.
Bad arguments (negative quantities, unknown or foreign SKUs) come back as clear tool
errors the model can act on, not as crashes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from langchain_core.tools import ToolException, tool
from langgraph.runtime import get_runtime
from pydantic import BaseModel, Field, ValidationError
from pydantic.v1 import ValidationError as PydanticV1ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import Product
from whsp_ai.db.repositories import products
from whsp_ai.graph.context import Context
from whsp_ai.graph.services import current
from whsp_ai.nlu.models import SearchFilters
from whsp_ai.tools import cart as cart_tools
from whsp_ai.tools import customers as customer_tools
from whsp_ai.tools.cart import CartChange
from whsp_ai.tools.catalog import search_products as search


class SearchArgs(BaseModel):
    query: str = Field(min_length=1, max_length=200, description="what the customer asked for")
    max_price: Decimal | None = Field(default=None, ge=0)


class QuantityArgs(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=1000)


class RemoveArgs(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int | None = Field(default=None, ge=1, le=1000, description="omit to remove all")


class SetArgs(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=0, le=1000, description="0 removes the line")


async def _scope(session: AsyncSession) -> tuple[int, int]:
    ctx = get_runtime(Context).context
    customer_id = await customer_tools.customer_id(
        session, business_id=ctx.business_id, wa_id=ctx.customer_wa_id
    )
    return ctx.business_id, customer_id


async def _product(session: AsyncSession, business_id: int, sku: str) -> Product:
    product = await products.by_sku(session, business_id=business_id, sku=sku)
    if product is None or product.status == "rejected" or product.id is None:
        raise ToolException(f"unknown sku {sku!r}: search the catalog first")
    return product


@tool(args_schema=SearchArgs)
async def search_products(query: str, max_price: Decimal | None = None) -> list[dict[str, Any]]:
    """Find products of this business by name, alias or description; best match first."""
    services = await current()
    async with services.session() as session:
        business_id, _ = await _scope(session)
        result = await search(
            session,
            business_id=business_id,
            query=query,
            filters=SearchFilters(max_price=max_price),
            embedder=services.embedder,
        )
    return [
        {"sku": h.sku, "name": h.name, "price": str(h.price), "stock": h.stock, "status": h.status}
        for h in result.hits
    ]


async def _change(
    operation: Callable[..., Awaitable[CartChange]], sku: str, **kwargs: Any
) -> dict[str, Any]:
    """Run one cart operation on a product of the context's business, for the context's customer."""
    services = await current()
    async with services.session() as session:
        business_id, customer_id = await _scope(session)
        product = await _product(session, business_id, sku)
        change = await operation(
            session,
            business_id=business_id,
            customer_id=customer_id,
            product_id=product.id or 0,
            **kwargs,
        )
    return {"result": change.kind, "sku": change.sku, "in_cart": change.quantity}


@tool(args_schema=QuantityArgs)
async def add_to_cart(sku: str, quantity: int) -> dict[str, Any]:
    """Add units of a product to the customer's cart, as far as stock allows."""
    return await _change(cart_tools.add, sku, quantity=quantity)


@tool(args_schema=RemoveArgs)
async def remove_from_cart(sku: str, quantity: int | None = None) -> dict[str, Any]:
    """Remove a product (or some units of it) from the customer's cart."""
    return await _change(cart_tools.remove, sku, quantity=quantity)


@tool(args_schema=SetArgs)
async def set_quantity(sku: str, quantity: int) -> dict[str, Any]:
    """Set how many units of a product the cart holds (0 removes it), capped by stock."""
    return await _change(cart_tools.set_quantity, sku, quantity=quantity)


@tool
async def view_cart() -> dict[str, Any]:
    """The customer's cart with database prices, delivery fee and total."""
    services = await current()
    ctx = get_runtime(Context).context
    business = await services.business(ctx.business_id)
    async with services.session() as session:
        _, customer_id = await _scope(session)
        summary = await cart_tools.summary(session, business=business, customer_id=customer_id)
    return {
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
            }
            for line in summary.lines
        ],
        "subtotal": str(summary.totals.subtotal),
        "delivery_fee": str(summary.totals.delivery_fee),
        "total": str(summary.totals.total),
        "currency": business.currency,
    }


def _explain(error: ValidationError | PydanticV1ValidationError) -> str:
    """What was wrong with the arguments, field by field, so a model can correct itself."""
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
    )
    return f"invalid arguments: {problems}"


CART_TOOLS = [search_products, add_to_cart, remove_from_cart, set_quantity, view_cart]
for _tool in CART_TOOLS:
    _tool.handle_tool_error = True
    _tool.handle_validation_error = _explain
