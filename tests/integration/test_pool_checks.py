"""Both pools check a connection that sat idle before handing it out, and only such a one."""

from __future__ import annotations

from collections.abc import AsyncIterator

import psycopg
import pytest
from sqlalchemy import text

from whsp_ai.db import database as database_module
from whsp_ai.db.database import Database
from whsp_ai.settings import Settings


@pytest.fixture
async def small_db(settings: Settings) -> AsyncIterator[Database]:
    """One connection per pool, so the next checkout gets the connection used before."""
    one = settings.model_copy(update={"db_pool_min_size": 1, "db_pool_max_size": 1})
    database = Database(one)
    await database.open(migrate=False)
    yield database
    await database.close()


def terminate(url: str, pid: int) -> None:
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


async def test_a_dead_idle_connection_is_replaced_before_use(
    small_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with small_db.pool.connection() as conn:
        pool_pid = (await (await conn.execute("SELECT pg_backend_pid() AS p")).fetchone())["p"]
    async with small_db.session() as session:
        orm_pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    terminate(small_db.url, pool_pid)  # a failover, or a NAT that forgot the connection
    terminate(small_db.url, orm_pid)
    monkeypatch.setattr(database_module, "CHECK_IDLE_AFTER_S", -1.0)  # both count as idle

    async with small_db.pool.connection() as conn:
        row = await (await conn.execute("SELECT pg_backend_pid() AS p")).fetchone()
        assert row["p"] != pool_pid
    async with small_db.session() as session:
        assert (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one() != orm_pid


async def test_a_connection_used_a_moment_ago_is_not_pinged(
    small_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under load a ping per checkout was a fifth of all our statements."""
    pings = 0
    execute = psycopg.AsyncConnection.execute

    async def counting(self, query, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal pings
        pings += query == ""  # what psycopg_pool's check_connection sends
        return await execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.AsyncConnection, "execute", counting)
    for _ in range(5):
        async with small_db.pool.connection() as conn:
            await conn.execute("SELECT 1")
    assert pings == 0
