"""Customers of one business, identified by their WhatsApp id."""

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Customer


async def get_or_create(
    session: AsyncSession, *, business_id: int, wa_id: str, profile_name: str | None = None
) -> Customer:
    insert_stmt = insert(Customer).values(
        business_id=business_id, wa_id=wa_id, profile_name=profile_name
    )
    stmt = insert_stmt.on_conflict_do_update(
        constraint="customers_business_wa_key",
        set_={
            "last_seen_at": func.now(),
            "profile_name": func.coalesce(insert_stmt.excluded.profile_name, Customer.profile_name),
        },
    ).returning(Customer)
    customer: Customer = (await session.execute(select(Customer).from_statement(stmt))).scalar_one()
    return customer


async def by_wa_id(session: AsyncSession, *, business_id: int, wa_id: str) -> Customer | None:
    stmt = select(Customer).where(Customer.business_id == business_id, Customer.wa_id == wa_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_id(session: AsyncSession, *, business_id: int, customer_id: int) -> Customer | None:
    stmt = select(Customer).where(Customer.business_id == business_id, Customer.id == customer_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def set_locale(
    session: AsyncSession, *, business_id: int, customer_id: int, locale: str
) -> None:
    stmt = (
        update(Customer)
        .where(col(Customer.business_id) == business_id, col(Customer.id) == customer_id)
        .values(locale=locale)
    )
    await session.execute(stmt)
