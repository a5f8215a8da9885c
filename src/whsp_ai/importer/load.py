"""Loads a validated business file into the database in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db import api_keys
from whsp_ai.db.models import Business
from whsp_ai.db.repositories import businesses, products
from whsp_ai.db.vector_indexes import ensure_vector_indexes
from whsp_ai.importer.schema import BusinessFile, BusinessFileError
from whsp_ai.tools import knowledge_index

BATCH = 1000  # rows per INSERT … ON CONFLICT: big enough to be fast, small enough to show progress


@dataclass(frozen=True)
class ImportResult:
    slug: str
    business_id: int
    created: bool
    api_key: str | None
    products_created: int
    products_updated: int
    products_pruned: int


async def import_business(
    session: AsyncSession,
    data: BusinessFile,
    *,
    rotate_key: bool = False,
    prune: bool = False,
    on_progress: Callable[[int], None] | None = None,
    build_indexes: bool = True,
) -> ImportResult:
    """Create or update the business by slug, then upsert its products by sku.

    Runs inside the caller's transaction: when anything fails, nothing is imported.
    """
    holder = await businesses.by_phone_number_id(
        session, phone_number_id=data.whatsapp.phone_number_id
    )
    if holder is not None and holder.slug != data.slug:
        raise BusinessFileError(
            f"field 'whatsapp.phone_number_id': {data.whatsapp.phone_number_id} already "
            f"belongs to business {holder.slug!r}"
        )
    business = await businesses.by_slug(session, slug=data.slug, for_update=True)
    created = business is None
    relanguage = False
    api_key = api_keys.new_api_key() if created or rotate_key else None
    if business is None:
        assert api_key is not None
        business = Business(
            slug=data.slug, api_key_hash=api_keys.hash_api_key(api_key), **_fields(data)
        )
        session.add(business)
    else:
        relanguage = business.language != data.language
        for name, value in _fields(data).items():
            setattr(business, name, value)
        business.updated_at = datetime.now(UTC)
        if api_key is not None:
            business.api_key_hash = api_keys.hash_api_key(api_key)
    await session.flush()
    assert business.id is not None
    if relanguage:  # stem the catalog with the new language's rules
        await products.rebuild_search_vectors(session, business_id=business.id)

    made = changed = 0
    for start in range(0, len(data.products), BATCH):
        batch = data.products[start : start + BATCH]
        c, u = await products.upsert_many(session, business_id=business.id, products=batch)
        made, changed = made + c, changed + u
        if on_progress:
            on_progress(len(batch))
    pruned = 0
    if prune:
        pruned = await products.delete_missing(
            session, business_id=business.id, keep_skus=[p.sku for p in data.products]
        )
    await session.refresh(business)  # updated_at as stored: the entries are built from it
    await knowledge_index.rebuild(session, business=business)
    if build_indexes:  # a large catalog gets its own HNSW indexes (db/vector_indexes.py)
        await ensure_vector_indexes(session, business_id=business.id)
    return ImportResult(data.slug, business.id, created, api_key, made, changed, pruned)


def _fields(data: BusinessFile) -> dict[str, Any]:
    return {
        "name": data.name,
        "language": data.language,
        "currency": data.currency,
        "owner_phone": data.owner_phone,
        "phone_number_id": data.whatsapp.phone_number_id,
        "access_token": data.whatsapp.access_token,
        "whatsapp_templates": data.whatsapp.templates.model_dump(exclude_none=True),
        "persona": data.persona.model_dump(),
        "payment_methods": data.checkout.payment_methods,
        "delivery_fee": data.checkout.delivery_fee,
        "free_delivery_over": data.checkout.free_delivery_over,
        "info": data.info.model_dump(exclude_none=True),
        "faq": [entry.model_dump() for entry in data.faq],
    }
