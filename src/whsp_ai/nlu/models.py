"""What a provider extracts from one customer message. Never prices, totals or tenants."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema

from whsp_ai.nlu import intents


def _known_intent(name: str) -> str:
    if name not in intents.BY_NAME:
        raise ValueError(f"unknown intent {name!r}: one of {', '.join(intents.NAMES)}")
    return name


# A name from the registry (nlu/intents.py); the model's schema lists them all, with meanings.
Intent = Annotated[
    str,
    AfterValidator(_known_intent),
    WithJsonSchema({"type": "string", "enum": list(intents.NAMES)}),
]

Expecting = Literal["address", "payment", "confirm_order", "confirm_cart"]


class ProductRef(BaseModel):
    """How the customer pointed at a product. At most one of the ways is set."""

    query: str | None = Field(default=None, description="the words naming the product")
    sku: str | None = Field(default=None, description="catalog sku, when already resolved")
    index: int | None = Field(
        default=None, ge=1, description="1-based position in the last list shown ('el segundo')"
    )
    last: bool = Field(default=False, description="'ese', 'that one', 'de esos': the last shown")


class CartAction(BaseModel):
    op: Literal["add", "remove", "set"]
    product: ProductRef
    quantity: int | None = Field(
        default=None, ge=0, description="None: 1 for add, everything for remove"
    )


class SearchFilters(BaseModel):
    max_price: Decimal | None = None
    min_price: Decimal | None = None
    category: str | None = None
    in_stock: bool = False
    sort: Literal["relevance", "cheapest", "priciest"] = "relevance"


class Understanding(BaseModel):
    intent: Intent
    actions: list[CartAction] = Field(default_factory=list)
    search_query: str | None = None
    sku: str | None = Field(default=None, description="a product picked by tapping a list row")
    filters: SearchFilters = Field(default_factory=SearchFilters)
    address: str | None = None
    payment_method: str | None = Field(
        default=None, description="exactly one of the business's payment methods"
    )
    language: Literal["es", "en"] | None = Field(
        default=None, description="the language the customer wrote in, when clear"
    )
    reply: str | None = Field(
        default=None,
        description=(
            "the reply to send for greet/help/other/questions, or a one-line lead-in for a "
            "product search; from FACTS only (vertex only; checked before it is sent)"
        ),
    )


@dataclass
class TurnInput:
    """Everything a provider may look at for one message."""

    text: str
    locale: Literal["es", "en"]
    shown: list[str] = field(default_factory=list)  # names of the last list shown, in order
    expecting: Expecting | None = None
    payment_methods: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)  # recent turns, oldest first
    business_prompt: str = ""  # persona + catalog summary, for model providers
    facts: str = ""  # this turn's facts (time at the shop, the cart), for model providers
