"""SQLModel tables: every tenant-owned row carries business_id; money is Numeric, never float."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pgvector.sqlalchemy import Vector
from pydantic import PlainSerializer, field_validator
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Index,
    Numeric,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlmodel import Field, SQLModel

from whsp_ai.db.fields import Int4, Label, Line, MoneyIn, Sku
from whsp_ai.db.fields import Text as FreeText

EMBEDDING_DIM = (
    768  # Vertex text-embedding-005 / gemini-embedding-001 at 768 dims; HNSW allows ≤ 2000
)
MONEY = Numeric(12, 2)
GRAM_DIM = 256  # whsp_ai.text.search.GRAM_DIM: hashed character trigrams of names


class ProductStatus(StrEnum):
    confirmed = "confirmed"
    unconfirmed = "unconfirmed"
    rejected = "rejected"


class ApprovalKind(StrEnum):
    unconfirmed_product = "unconfirmed_product"
    new_product = "new_product"
    question = "question"  # a question about the business its data doesn't answer


class ApprovalStatus(StrEnum):
    pending = "pending"
    confirmed = "confirmed"
    rejected = "rejected"
    answered = "answered"  # a question approval, answered with the owner's text


class OrderStatus(StrEnum):
    """pending → paid → shipped → delivered, or cancelled (tools/orders.TRANSITIONS)."""

    pending = "pending"
    paid = "paid"
    shipped = "shipped"
    delivered = "delivered"
    cancelled = "cancelled"


def _created_at() -> Any:
    return Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )


def _id() -> Any:
    return Field(default=None, primary_key=True, sa_type=BigInteger)


def _tenant() -> Any:
    return Field(foreign_key="businesses.id", ondelete="CASCADE", index=True, sa_type=BigInteger)


def _enum_check(column: str, enum: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{m.value}'" for m in enum)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


# --- businesses ---------------------------------------------------------------------------


class Business(SQLModel, table=True):
    __tablename__ = "businesses"
    __table_args__ = (
        CheckConstraint("language IN ('es', 'en')", name="language_valid"),
        CheckConstraint("slug ~ '^[a-z0-9-]+$'", name="slug_valid"),
    )

    id: int | None = _id()
    slug: str = Field(sa_type=Text, unique=True)
    name: str = Field(sa_type=Text)
    language: str = Field(sa_type=Text)
    currency: str = Field(sa_type=Text)
    owner_phone: str = Field(sa_type=Text)
    phone_number_id: str = Field(sa_type=Text, unique=True)
    access_token: str | None = Field(default=None, sa_type=Text)
    api_key_hash: str = Field(sa_type=Text, unique=True)
    persona: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    payment_methods: list[str] = Field(default_factory=list, sa_type=ARRAY(Text))
    delivery_fee: Decimal | None = Field(default=None, sa_type=MONEY)
    free_delivery_over: Decimal | None = Field(default=None, sa_type=MONEY)
    # The business file's `info` (timezone, address, hours, delivery, returns) and `faq`
    # ([{q, a}]): the owner's own text, which questions are answered from.
    info: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSONB,
        sa_column_kwargs={"server_default": text("'{}'::jsonb"), "nullable": False},
    )
    faq: list[dict[str, str]] = Field(
        default_factory=list,
        sa_type=JSONB,
        sa_column_kwargs={"server_default": text("'[]'::jsonb"), "nullable": False},
    )
    # The business file's whatsapp.templates: approved utility templates that carry a
    # notice outside the 24-hour window ({owner_notice, customer_update, language}).
    whatsapp_templates: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSONB,
        sa_column_kwargs={"server_default": text("'{}'::jsonb"), "nullable": False},
    )
    created_at: datetime | None = _created_at()
    updated_at: datetime | None = _created_at()


# --- catalog ------------------------------------------------------------------------------


class ProductBase(SQLModel):
    """A product in the business file's shape (CONTRACT §3); shared by import and the API.

    The field types (db.fields) refuse what the columns can't hold: NUL, lone surrogates,
    numbers past INTEGER or NUMERIC(12, 2), and SKUs that can't be a URL path segment.
    """

    sku: Sku = Field(min_length=1, max_length=64, sa_type=Text)
    name: Label = Field(min_length=1, max_length=200, sa_type=Text)
    description: FreeText = Field(default="", max_length=4000, sa_type=Text)
    price: MoneyIn = Field(sa_type=MONEY)
    stock: Int4 | None = Field(default=None)
    category: Line | None = Field(default=None, max_length=120, sa_type=Text)
    aliases: list[Line] = Field(default_factory=list, sa_type=ARRAY(Text))

    @field_validator("aliases")
    @classmethod
    def _drop_blank_aliases(cls, value: list[str]) -> list[str]:
        return [a for a in value if a]  # Line has trimmed them: a blank one is now ""


class ProductCreate(ProductBase):
    status: Literal["confirmed", "unconfirmed"] = "confirmed"


# Money leaves the API as a JSON number, like the business file's prices (45.00 → 45.0);
# inside, it is always Decimal.
Money = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class ProductPublic(SQLModel):
    """A product as the API shows it: plain types, so a row stored before a rule tightened
    is still shown rather than failing the response."""

    sku: str
    name: str
    description: str
    price: Money
    stock: int | None
    category: str | None
    aliases: list[str]
    status: ProductStatus


class Product(ProductBase, table=True):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("business_id", "sku", name="products_business_sku_key"),
        _enum_check("status", ProductStatus),
        CheckConstraint("price >= 0", name="price_non_negative"),
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock_non_negative"),
        Index("products_search_vector_idx", "search_vector", postgresql_using="gin"),
        # browsing a big category in name or price order walks these and stops at the limit
        Index("products_business_name_idx", "business_id", "name"),
        Index("products_business_price_idx", "business_id", "price"),
    )

    id: int | None = _id()
    business_id: int = _tenant()
    status: str = Field(default=ProductStatus.confirmed.value, sa_type=Text)
    # Normalized words (whsp_ai.text.search.product_search_fields), written with the product;
    # the trigger `products_search_vector` derives search_vector from them (migration 0002).
    search_names: str = Field(default="", sa_type=Text)
    search_category: str = Field(default="", sa_type=Text)
    search_text: str = Field(default="", sa_type=Text)
    search_vector: str | None = Field(default=None, sa_type=TSVECTOR)
    name_grams: list[float] | None = Field(default=None, sa_type=Vector(GRAM_DIM))
    embedding: list[float] | None = Field(default=None, sa_type=Vector(EMBEDDING_DIM))
    created_at: datetime | None = _created_at()
    updated_at: datetime | None = _created_at()


# --- customers and carts ------------------------------------------------------------------


class Customer(SQLModel, table=True):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("business_id", "wa_id", name="customers_business_wa_key"),
        # the dashboard's conversation list: newest first, a page at a time (migration 0008)
        Index("customers_business_seen_idx", "business_id", "last_seen_at", "id"),
    )

    id: int | None = _id()
    business_id: int = _tenant()
    wa_id: str = Field(sa_type=Text)
    profile_name: str | None = Field(default=None, sa_type=Text)
    locale: str | None = Field(default=None, sa_type=Text)
    last_address: str | None = Field(default=None, sa_type=Text)  # offered at the next checkout
    # Set while a person has taken the conversation over (hand-off); the agent is silent.
    handed_off_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime | None = _created_at()
    last_seen_at: datetime | None = _created_at()


class Cart(SQLModel, table=True):
    __tablename__ = "carts"

    id: int | None = _id()
    business_id: int = _tenant()
    customer_id: int = Field(
        foreign_key="customers.id", ondelete="CASCADE", unique=True, sa_type=BigInteger
    )
    updated_at: datetime | None = _created_at()


class CartItem(SQLModel, table=True):
    __tablename__ = "cart_items"
    __table_args__ = (
        UniqueConstraint("cart_id", "product_id", name="cart_items_cart_product_key"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: int | None = _id()
    business_id: int = _tenant()
    cart_id: int = Field(foreign_key="carts.id", ondelete="CASCADE", sa_type=BigInteger)
    product_id: int = Field(
        foreign_key="products.id", ondelete="CASCADE", index=True, sa_type=BigInteger
    )
    quantity: int
    added_at: datetime | None = _created_at()


# --- orders -------------------------------------------------------------------------------


class BusinessSequence(SQLModel, table=True):
    """Each business's own counters (orders, approvals): its first order is #1.

    Global ids shown to a shop told it how busy the others were. A row per (business,
    kind), bumped by INSERT … ON CONFLICT DO UPDATE … RETURNING inside the transaction
    that uses the number, so two orders at once can't get the same one.
    """

    __tablename__ = "business_sequences"

    business_id: int = Field(
        primary_key=True, foreign_key="businesses.id", ondelete="CASCADE", sa_type=BigInteger
    )
    kind: str = Field(primary_key=True, sa_type=Text)
    last: int = Field(sa_type=BigInteger)


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (
        Index("orders_business_created_idx", "business_id", "created_at"),
        UniqueConstraint("business_id", "number", name="orders_business_number_key"),
        CheckConstraint(
            "status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')",
            name="order_status_valid",
        ),
        Index("orders_business_status_idx", "business_id", "status", "created_at"),
    )

    id: int | None = _id()
    business_id: int = _tenant()
    number: int = Field(sa_type=BigInteger)  # the business's own order number (#1, #2, …)
    customer_id: int = Field(foreign_key="customers.id", ondelete="RESTRICT", sa_type=BigInteger)
    status: str = Field(
        default=OrderStatus.pending.value,
        sa_type=Text,
        sa_column_kwargs={"server_default": OrderStatus.pending.value},
    )
    currency: str = Field(sa_type=Text)
    subtotal: Decimal = Field(sa_type=MONEY)
    delivery_fee: Decimal = Field(sa_type=MONEY)
    total: Decimal = Field(sa_type=MONEY)
    delivery_address: str = Field(sa_type=Text)
    payment_method: str = Field(sa_type=Text)
    created_at: datetime | None = _created_at()
    status_changed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class OrderItem(SQLModel, table=True):
    """A line of an order, with sku, name and price frozen at order time."""

    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="order_quantity_positive"),)

    id: int | None = _id()
    business_id: int = _tenant()
    order_id: int = Field(
        foreign_key="orders.id", ondelete="CASCADE", index=True, sa_type=BigInteger
    )
    product_id: int | None = Field(
        default=None, foreign_key="products.id", ondelete="SET NULL", sa_type=BigInteger
    )
    sku: str = Field(sa_type=Text)
    name: str = Field(sa_type=Text)
    quantity: int
    unit_price: Decimal = Field(sa_type=MONEY)


# --- owner approvals ----------------------------------------------------------------------


class Approval(SQLModel, table=True):
    __tablename__ = "approvals"
    __table_args__ = (
        _enum_check("kind", ApprovalKind),
        _enum_check("status", ApprovalStatus),
        Index("approvals_business_status_idx", "business_id", "status"),
        UniqueConstraint("business_id", "number", name="approvals_business_number_key"),
    )

    id: int | None = _id()
    business_id: int = _tenant()
    number: int = Field(sa_type=BigInteger)  # the business's own request number, for the owner
    kind: str = Field(sa_type=Text)
    status: str = Field(default=ApprovalStatus.pending.value, sa_type=Text)
    product_id: int | None = Field(
        default=None, foreign_key="products.id", ondelete="SET NULL", sa_type=BigInteger
    )
    customer_id: int | None = Field(
        default=None, foreign_key="customers.id", ondelete="SET NULL", sa_type=BigInteger
    )
    query: str = Field(default="", sa_type=Text)
    wants_add: bool = False
    requested_quantity: int | None = None
    resolution: dict[str, Any] | None = Field(default=None, sa_type=JSONB)
    created_at: datetime | None = _created_at()
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ApprovalCustomer(SQLModel, table=True):
    """A customer waiting on an approval: many customers asking the same thing share one."""

    __tablename__ = "approval_customers"
    __table_args__ = (
        Index("approval_customers_customer_idx", "business_id", "customer_id", "created_at"),
    )

    approval_id: int = Field(
        foreign_key="approvals.id", ondelete="CASCADE", primary_key=True, sa_type=BigInteger
    )
    business_id: int = Field(foreign_key="businesses.id", ondelete="CASCADE", sa_type=BigInteger)
    customer_id: int = Field(
        foreign_key="customers.id", ondelete="CASCADE", primary_key=True, sa_type=BigInteger
    )
    wants_add: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    requested_quantity: int | None = None
    created_at: datetime | None = _created_at()


# --- WhatsApp traffic ---------------------------------------------------------------------


class InboundMessage(SQLModel, table=True):
    __tablename__ = "inbound_messages"
    __table_args__ = (
        Index("inbound_business_customer_idx", "business_id", "customer_wa_id", "received_at"),
    )

    id: int | None = _id()
    business_id: int = _tenant()
    wa_message_id: str = Field(sa_type=Text, unique=True)
    customer_wa_id: str = Field(sa_type=Text)
    type: str = Field(sa_type=Text)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    status: str = Field(default="received", sa_type=Text)
    error: str | None = Field(default=None, sa_type=Text)
    received_at: datetime | None = _created_at()
    processed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class OutboundMessage(SQLModel, table=True):
    __tablename__ = "outbound_messages"
    __table_args__ = (
        Index(
            "outbound_pending_idx",
            "next_attempt_at",
            postgresql_where=text("status = 'queued'"),
        ),
        # the sender's claim finds each recipient's oldest unsent row: only unsent rows here,
        # so it stays small however many messages were ever sent
        Index(
            "outbound_unsent_idx",
            "business_id",
            "to_wa_id",
            "id",
            postgresql_where=text("status IN ('queued', 'sending')"),
        ),
        # rows held outside the 24-hour window, released when the recipient writes again
        Index(
            "outbound_held_idx",
            "business_id",
            "to_wa_id",
            "id",
            postgresql_where=text("status = 'held'"),
        ),
        # one customer's replies in order, for the dashboard's conversation page (0008)
        Index("outbound_business_to_created_idx", "business_id", "to_wa_id", "created_at"),
    )

    id: int | None = _id()
    business_id: int = _tenant()
    to_wa_id: str = Field(sa_type=Text)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    status: str = Field(default="queued", sa_type=Text)
    # Idempotency: the same turn re-run after a crash produces the same key, so no reply twice.
    dedupe_key: str | None = Field(default=None, sa_type=Text, unique=True)
    inbound_message_id: int | None = Field(
        default=None, foreign_key="inbound_messages.id", ondelete="SET NULL", sa_type=BigInteger
    )
    wa_message_id: str | None = Field(default=None, sa_type=Text, unique=True)
    attempts: int = 0
    error_code: int | None = None
    last_error: str | None = Field(default=None, sa_type=Text)
    next_attempt_at: datetime | None = _created_at()
    created_at: datetime | None = _created_at()
    updated_at: datetime | None = _created_at()


# --- business knowledge (issue 12 §1) --------------------------------------------------------


class KnowledgeEntry(SQLModel, table=True):
    """One thing a customer's question can be answered from: a faq entry, a persona rule, or
    a fact of info/checkout as a topic. Derived from the business row and rebuilt when
    `source_updated_at` is older than businesses.updated_at (tools/knowledge_index.py)."""

    __tablename__ = "knowledge_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('faq', 'rule', 'fact')", name="kind_valid"),
        Index("knowledge_entries_search_vector_idx", "search_vector", postgresql_using="gin"),
    )

    id: int | None = _id()
    business_id: int = _tenant()
    kind: str = Field(sa_type=Text)
    topic: str | None = Field(default=None, sa_type=Text)  # a fact's topic: hours, fee, ...
    topics: list[str] = Field(default_factory=list, sa_type=ARRAY(Text))  # what it mentions
    position: int = 0  # its place in the faq or the rules, to find the owner's text again
    question: str = Field(sa_type=Text)  # faq q, the rule, or the topic's name
    answer: str = Field(sa_type=Text)  # the owner's text as written; '' for worded facts
    search_text: str = Field(sa_type=Text)  # normalized words (text/search.py tokens)
    search_vector: str | None = Field(default=None, sa_type=TSVECTOR)
    grams: list[float] | None = Field(default=None, sa_type=Vector(GRAM_DIM))
    source_updated_at: datetime = Field(sa_type=DateTime(timezone=True))
