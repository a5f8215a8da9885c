"""The checkpointer, writing a customer turn's checkpoint inside that turn's own transaction.

A turn's effects (cart, order, approvals), its replies in the outbox and its message's
"processed" mark commit in one transaction. The checkpoint used to be written after that
commit, on another connection: a worker killed in between left the conversation's state one
turn behind what the customer had been told, and the retry skipped the message because it
was processed. Writing the checkpoint on the turn's connection makes the two one commit:
both happen, or neither does and the retry starts the turn over.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg import AsyncConnection, AsyncCursor
from psycopg.rows import DictRow, dict_row
from sqlalchemy.ext.asyncio import AsyncSession

_turn_connection: ContextVar[AsyncConnection[Any] | None] = ContextVar(
    "whsp_turn_connection", default=None
)


class TurnSaver(AsyncPostgresSaver):
    """AsyncPostgresSaver on the pool, or on the running turn's connection when there is one.

    Only the connection changes: the saver's own SQL, serialization and migrations are
    untouched. A turn's connection serves that turn alone, one step at a time, so the
    saver's process-wide lock (which serializes every checkpoint query, langgraph#7259) is
    not needed on it; checkpoints outside a turn (approvals) keep the pool and the lock.
    """

    @asynccontextmanager
    async def _cursor(self, *, pipeline: bool = False) -> AsyncIterator[AsyncCursor[DictRow]]:
        conn = _turn_connection.get()
        if conn is None:
            async with super()._cursor(pipeline=pipeline) as cur:
                yield cur
            return
        if pipeline:  # the checkpoint's blobs and row in one round trip, as on the pool
            async with conn.pipeline(), conn.cursor(binary=True, row_factory=dict_row) as cur:
                yield cur
        else:
            async with conn.cursor(binary=True, row_factory=dict_row) as cur:
                yield cur


@asynccontextmanager
async def within(session: AsyncSession) -> AsyncIterator[None]:
    """Checkpoints read and written in here go through `session`'s transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    if not isinstance(driver, AsyncConnection):
        raise TypeError(f"the turn's session is not on psycopg 3 ({type(driver).__name__})")
    token = _turn_connection.set(driver)
    try:
        yield
    finally:
        _turn_connection.reset(token)
