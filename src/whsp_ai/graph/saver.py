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

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg import AsyncConnection, AsyncCursor
from psycopg.rows import DictRow, dict_row
from sqlalchemy.ext.asyncio import AsyncSession

_turn_session: ContextVar[AsyncSession | None] = ContextVar("whsp_turn_session", default=None)


class TurnSaver(AsyncPostgresSaver):
    """AsyncPostgresSaver whose writes join the running turn's transaction, if there is one.

    Only the connection changes: the saver's own SQL, serialization and migrations are
    untouched. Writes (the saver asks for a pipeline for them: `aput`, `aput_writes`) go
    through the turn's connection, which serves that turn alone, one step at a time, so the
    saver's process-wide lock (langgraph#7259) is not needed on it. Reads, the checkpoint
    loaded at the start of a turn included, stay on the pool: the turn's transaction (and
    its connection) is not opened before the model has been asked what the customer meant.
    """

    @asynccontextmanager
    async def _cursor(self, *, pipeline: bool = False) -> AsyncIterator[AsyncCursor[DictRow]]:
        session = _turn_session.get()
        if session is None or not pipeline:
            async with super()._cursor(pipeline=pipeline) as cur:
                yield cur
            return
        conn = await _driver_connection(session)
        # the checkpoint's blobs and row in one round trip, as on the pool
        async with conn.pipeline(), conn.cursor(binary=True, row_factory=dict_row) as cur:
            yield cur


async def _driver_connection(session: AsyncSession) -> AsyncConnection[DictRow]:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    if not isinstance(driver, AsyncConnection):
        raise TypeError(f"the turn's session is not on psycopg 3 ({type(driver).__name__})")
    return driver


@asynccontextmanager
async def within(session: AsyncSession) -> AsyncIterator[None]:
    """Checkpoints written in here go through `session`'s transaction."""
    token = _turn_session.set(session)
    try:
        yield
    finally:
        _turn_session.reset(token)
