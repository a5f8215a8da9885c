"""GET and PATCH /management/business (CONTRACT §5): the business file's fields, minus
products and secrets, and their changes, validated exactly like the file."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, update
from sqlmodel import col

from whsp_ai.api.deps import (
    AUTH_RESPONSES,
    BODY_RESPONSES,
    BusinessDep,
    ChannelDep,
    SessionDep,
    absent,
    single_valued_query,
)
from whsp_ai.db.fields import Label, MoneyIn
from whsp_ai.db.models import Business, Money
from whsp_ai.db.repositories import products
from whsp_ai.importer.knowledge import FaqEntry, InfoSection
from whsp_ai.importer.schema import CheckoutSection, PersonaSection
from whsp_ai.tools.knowledge_index import rebuild

router = APIRouter(
    prefix="/management",
    tags=["management"],
    responses=AUTH_RESPONSES,
    dependencies=[Depends(single_valued_query)],
)


class WhatsAppPublic(BaseModel):
    phone_number_id: str
    # the approved templates for outside the 24-hour window (names, not secrets)
    templates: dict[str, str] = Field(default_factory=dict)


class CheckoutPublic(BaseModel):
    payment_methods: list[str]
    delivery_fee: Money | None
    free_delivery_over: Money | None


class BusinessPublic(BaseModel):
    """The business file (CONTRACT §3) without products, the access token or the API key."""

    slug: str
    name: str
    language: Literal["es", "en"]
    currency: str
    owner_phone: str
    whatsapp: WhatsAppPublic
    persona: dict[str, Any]
    checkout: CheckoutPublic
    info: dict[str, Any]
    faq: list[dict[str, str]]


class CheckoutPatch(CheckoutSection):
    """The file's checkout section; money as JSON numbers, as everywhere in the API."""

    delivery_fee: MoneyIn | None = None
    free_delivery_over: MoneyIn | None = None


class BusinessPatch(BaseModel):
    """Any of these; each section given replaces that section whole, as in the file."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"info": {"timezone": "America/Mexico_City", "hours": {"sun": "closed"}}},
                {"faq": [{"q": "¿Hacen factura?", "a": "Sí, con tu RFC."}]},
            ]
        },
    )

    name: Label = absent(min_length=1, max_length=200)
    language: Literal["es", "en"] = absent()
    persona: PersonaSection = absent()
    checkout: CheckoutPatch = absent()
    info: InfoSection = absent()
    faq: list[FaqEntry] = absent(max_length=500)


def public(business: Business) -> dict[str, Any]:
    return {
        "slug": business.slug,
        "name": business.name,
        "language": business.language,
        "currency": business.currency,
        "owner_phone": business.owner_phone,
        "whatsapp": {
            "phone_number_id": business.phone_number_id,
            "templates": {k: str(v) for k, v in (business.whatsapp_templates or {}).items() if v},
        },
        "persona": business.persona or {},
        "checkout": {
            "payment_methods": list(business.payment_methods),
            "delivery_fee": business.delivery_fee,
            "free_delivery_over": business.free_delivery_over,
        },
        "info": business.info or {},
        "faq": business.faq or [],
    }


@router.get("/business", response_model=BusinessPublic)
async def get_business(business: BusinessDep) -> dict[str, Any]:
    return public(business)


@router.patch("/business", response_model=BusinessPublic, responses=BODY_RESPONSES)
async def patch_business(
    body: BusinessPatch, business: BusinessDep, session: SessionDep, channel: ChannelDep
) -> dict[str, Any]:
    """Change the business; the agent answers from the new values from the next message."""
    given = body.model_fields_set
    changes: dict[str, Any] = {}
    if "name" in given:
        changes["name"] = body.name
    if "language" in given:
        changes["language"] = body.language
    if "persona" in given:
        changes["persona"] = body.persona.model_dump()
    if "checkout" in given:
        changes["payment_methods"] = body.checkout.payment_methods
        changes["delivery_fee"] = body.checkout.delivery_fee
        changes["free_delivery_over"] = body.checkout.free_delivery_over
    if "info" in given:
        changes["info"] = body.info.model_dump(exclude_none=True)
    if "faq" in given:
        changes["faq"] = [entry.model_dump() for entry in body.faq]
    if changes:
        relanguage = changes.get("language", business.language) != business.language
        await session.execute(
            update(Business)
            .where(col(Business.id) == business.id)
            .values(**changes, updated_at=func.now())
        )
        await session.refresh(business)
        if relanguage:  # stem the catalog with the new language's rules
            await products.rebuild_search_vectors(session, business_id=business.id or 0)
        await rebuild(session, business=business)  # stale anyway; answered at once
        channel.engine.services.forget(business.id or 0)
    return public(business)
