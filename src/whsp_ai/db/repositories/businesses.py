"""Finding the tenant: by slug, by WhatsApp phone_number_id, by API key hash."""

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Business


async def by_slug(session: AsyncSession, *, slug: str, for_update: bool = False) -> Business | None:
    stmt = select(Business).where(Business.slug == slug)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_phone_number_id(session: AsyncSession, *, phone_number_id: str) -> Business | None:
    stmt = select(Business).where(Business.phone_number_id == phone_number_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_api_key_hash(session: AsyncSession, *, api_key_hash: str) -> Business | None:
    stmt = select(Business).where(Business.api_key_hash == api_key_hash)
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_all(session: AsyncSession) -> list[Business]:
    return list((await session.execute(select(Business).order_by(col(Business.id)))).scalars())
