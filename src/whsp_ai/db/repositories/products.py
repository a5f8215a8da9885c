"""The catalog of one business."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, literal_column, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Product, ProductCreate
from whsp_ai.text.search import product_search_fields


def _row(business_id: int, product: ProductCreate) -> dict[str, Any]:
    return {
        "business_id": business_id,
        **product.model_dump(),
        **product_search_fields(
            product.name, product.aliases, product.category, product.description
        ),
    }


async def upsert_many(
    session: AsyncSession, *, business_id: int, products: Sequence[ProductCreate]
) -> tuple[int, int]:
    """Create or update products by sku in one statement; returns (created, updated)."""
    if not products:
        return 0, 0
    # Core table + executemany: SQLAlchemy batches it as "insertmanyvalues" with one cached
    # compilation, instead of compiling one giant VALUES list per call.
    table = Product.__table__  # type: ignore[attr-defined]
    insert_stmt = insert(table)
    updatable = [
        "name",
        "description",
        "price",
        "stock",
        "category",
        "aliases",
        "status",
        "search_names",
        "search_category",
        "search_text",
        "name_grams",
    ]
    stmt: Any = insert_stmt.on_conflict_do_update(
        constraint="products_business_sku_key",
        set_={**{c: insert_stmt.excluded[c] for c in updatable}, "updated_at": func.now()},
    ).returning(literal_column("(xmax = 0)").label("inserted"))
    conn = await session.connection()
    result = await conn.execute(stmt, [_row(business_id, p) for p in products])
    flags = result.scalars().all()
    created = sum(1 for inserted in flags if inserted)
    return created, len(flags) - created


async def create(
    session: AsyncSession, *, business_id: int, product: ProductCreate
) -> Product | None:
    """Insert a new product; None when the sku exists (even if created a moment ago)."""
    stmt: Any = (
        insert(Product.__table__)  # type: ignore[attr-defined]
        .values(_row(business_id, product))
        .on_conflict_do_nothing(constraint="products_business_sku_key")
        .returning(literal_column("id"))
    )
    new_id = (await session.execute(stmt)).scalar_one_or_none()
    if new_id is None:
        return None
    return await by_id(session, business_id=business_id, product_id=new_id)


async def delete_missing(
    session: AsyncSession, *, business_id: int, keep_skus: Iterable[str]
) -> int:
    """Delete this business's products whose sku is not in `keep_skus` (import --prune)."""
    stmt = delete(Product).where(
        col(Product.business_id) == business_id, col(Product.sku).not_in(list(keep_skus))
    )
    result = await session.execute(stmt)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def rebuild_search_vectors(session: AsyncSession, *, business_id: int) -> None:
    """Recompute the tsvectors (the trigger rebuilds a NULL one): the language changed."""
    await session.execute(
        update(Product).where(col(Product.business_id) == business_id).values(search_vector=None)
    )


async def by_sku(session: AsyncSession, *, business_id: int, sku: str) -> Product | None:
    stmt = select(Product).where(Product.business_id == business_id, Product.sku == sku)
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_id(session: AsyncSession, *, business_id: int, product_id: int) -> Product | None:
    stmt = select(Product).where(Product.business_id == business_id, Product.id == product_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_products(
    session: AsyncSession, *, business_id: int, limit: int | None = None, offset: int = 0
) -> list[Product]:
    stmt = (
        select(Product)
        .where(Product.business_id == business_id)
        .order_by(col(Product.sku))
        .limit(limit)
        .offset(offset)
    )
    return list((await session.execute(stmt)).scalars())


async def count(session: AsyncSession, *, business_id: int) -> int:
    stmt = select(func.count()).select_from(Product).where(Product.business_id == business_id)
    return int((await session.execute(stmt)).scalar_one())
