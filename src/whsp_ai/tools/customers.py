"""Customers: a (business, WhatsApp id) pair gets its row on its first message."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.repositories import customers


async def customer_id(session: AsyncSession, *, business_id: int, wa_id: str) -> int:
    """The customer's row id, created the first time they write."""
    customer = await customers.get_or_create(session, business_id=business_id, wa_id=wa_id)
    assert customer.id is not None
    return customer.id


async def remember_locale(
    session: AsyncSession, *, business_id: int, customer_id: int, locale: str
) -> None:
    """The language the customer writes in: messages we send unasked (an owner's answer,
    an approval's outcome) go out in it (issue 12 §4)."""
    await customers.set_locale(
        session, business_id=business_id, customer_id=customer_id, locale=locale
    )
