"""The management API's query parameters and partial-update body (CONTRACT §5).

Query parameters are models with `extra="forbid"`: an unknown parameter is a 422, as the
OpenAPI document (`additionalProperties: false`) says. Optional parameters and fields use
`absent()`, so the document never offers a null that the API would refuse.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from whsp_ai.api.deps import absent
from whsp_ai.db.fields import INT8_MAX, Int4, Label, Line, MoneyIn
from whsp_ai.db.fields import Text as FreeText


class ProductUpdate(BaseModel):
    """A partial change to a product; fields left out stay as they are.

    Only stock (not tracked) and category (none) may be null: elsewhere null would lose data,
    so the document offers no null there and a null is refused like any other wrong type.
    """

    model_config = ConfigDict(extra="forbid")

    name: Label = absent(min_length=1, max_length=200)
    description: FreeText = absent(max_length=4000)
    price: MoneyIn = absent()
    stock: Int4 | None = absent()
    category: Line | None = absent(max_length=120)
    aliases: list[Line] = absent()
    status: Literal["confirmed", "unconfirmed", "rejected"] = absent()


class ApprovalFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown parameter is a 422, not ignored

    status: Literal["pending", "confirmed", "rejected", "answered"] = absent()


OrderStatusName = Literal["pending", "paid", "shipped", "delivered", "cancelled"]


class OrderPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = absent(ge=1, le=INT8_MAX, description="newest first; default: all")
    status: OrderStatusName = absent(description="only orders with this status")


class ProductPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = absent(ge=1, le=INT8_MAX, description="default: the whole catalog")
    offset: int = Field(default=0, ge=0, le=INT8_MAX)
