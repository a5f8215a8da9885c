"""HNSW indexes for the large catalogs, one partial index per business.

pgvector 0.6 (the embedded server's) applies WHERE after walking the HNSW graph, so one
index over every business would hand a small business the neighbours of a large one and
then filter them all away. A partial index `WHERE business_id = N` holds one catalog
only. Catalogs under LARGE_CATALOG rows need none: an exact scan of their rows (found by
the business_id index) costs about a millisecond and is exact.

Cosine distance (`<=>`, `vector_cosine_ops`) for both: trigram vectors are unit length
and Vertex embeddings are compared by cosine.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.database import Database

log = logging.getLogger(__name__)

LARGE_CATALOG = 2000
BUILD_MEMORY = "256MB"
PREFIXES = ("products_grams_b", "products_embedding_b")  # migrate.py ignores these names


def index_names(business_id: int) -> tuple[str, str]:
    return f"products_grams_b{business_id}", f"products_embedding_b{business_id}"


def _statements(business_id: int, existing: set[str], concurrently: bool) -> list[str]:
    business_id = int(business_id)  # interpolated into DDL: never anything but an int
    how = "CONCURRENTLY " if concurrently else ""
    grams, embedding = index_names(business_id)
    return [
        f"CREATE INDEX {how}IF NOT EXISTS {name} ON products "
        f"USING hnsw ({column} vector_cosine_ops) WHERE business_id = {business_id}"
        for name, column in ((grams, "name_grams"), (embedding, "embedding"))
        if name not in existing
    ]


async def ensure_vector_indexes(session: AsyncSession, *, business_id: int) -> int:
    """Create the business's partial HNSW indexes if its catalog is large; returns how many.

    Runs in the caller's transaction (the import's), so a failed import leaves none behind.
    """
    count = (
        await session.execute(
            text("SELECT count(*) FROM products WHERE business_id = :b"), {"b": business_id}
        )
    ).scalar_one()
    if count < LARGE_CATALOG:
        return 0
    existing = set(
        (
            await session.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'products'")
            )
        ).scalars()
    )
    statements = _statements(business_id, existing, concurrently=False)
    # HNSW builds fast only when the graph fits in maintenance_work_mem.
    await session.execute(text(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'"))
    for statement in statements:
        started = time.perf_counter()
        await session.execute(text(statement))
        log.info("built an HNSW index in %.1f s: %s", time.perf_counter() - started, statement)
    return len(statements)


async def ensure_all_vector_indexes(db: Database) -> int:
    """The same for every business, CONCURRENTLY: catalogs also grow through the API and
    approvals, and a plain CREATE INDEX would block their writes while it builds."""
    async with db.pool.connection() as conn:  # autocommit: CONCURRENTLY needs it
        large = await (
            await conn.execute(
                "SELECT business_id FROM products GROUP BY business_id HAVING count(*) >= %s",
                (LARGE_CATALOG,),
            )
        ).fetchall()
        existing = {
            r["indexname"]
            for r in await (
                await conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'products'")
            ).fetchall()
        }
        statements = [
            statement
            for row in large
            for statement in _statements(row["business_id"], existing, concurrently=True)
        ]
        if statements:
            await conn.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
        for statement in statements:
            await conn.execute(statement)
            log.info("built an HNSW index: %s", statement)
        if statements:
            await conn.execute("RESET maintenance_work_mem")
    return len(statements)
