"""Connects to Postgres (embedded or DATABASE_URL), prepares the schema and owns the pools."""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from whsp_ai.db.embedded import EmbeddedPostgres
from whsp_ai.db.migrate import prepare_schema, schema_lock
from whsp_ai.settings import Settings

log = logging.getLogger(__name__)

APPLICATION_NAME = "whsp-ai"
# Search's HNSW scans keep this many candidates (pgvector's default is 40): on a 100k
# catalog the right product was in the top 3 for 77% of two-typo queries at 40 and 92% at
# 200, for the same latency (bench/search.py).
HNSW_EF_SEARCH = 200
# A connection handed out again within this many seconds of its last use is not pinged
# first: under load a ping on every checkout was a fifth of all our statements, and a
# connection used a moment ago is as alive as a ping could tell. One idle longer (a quiet
# spell, a NAT or failover in between) is checked before use, as before.
CHECK_IDLE_AFTER_S = 5.0
SESSION_OPTIONS = f"-c hnsw.ef_search={HNSW_EF_SEARCH}"


class DatabaseConfigError(RuntimeError):
    """The configured database cannot serve WHSP-AI (unreachable, or no pgvector)."""


def sqlalchemy_url(libpq_url: str) -> str:
    """The SQLAlchemy spelling of a libpq URL, on the psycopg 3 driver."""
    scheme, sep, rest = libpq_url.partition("://")
    if not sep or scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise DatabaseConfigError(f"DATABASE_URL must start with postgresql://, got {scheme!r}")
    return f"postgresql+psycopg://{rest}"


class Database:
    """The process's database: embedded server handle, SQLAlchemy engine and psycopg pool.

    Two pools, on purpose: SQLAlchemy sessions need transaction control and tuple rows,
    while LangGraph's checkpointer and the job queue need autocommit with dict rows.
    Both are health-checked and recycled below cloud idle cut-offs.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedded: EmbeddedPostgres | None = None
        self.url: str = settings.database_url or ""
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._pool: AsyncConnectionPool[Any] | None = None

    async def open(self, *, migrate: bool = True) -> None:
        if self.settings.uses_embedded_db:
            self.embedded = EmbeddedPostgres(self.settings.whsp_data_dir)
            await asyncio.to_thread(self.embedded.start)
            self.url = self.embedded.url()
        await asyncio.to_thread(check_server, self.url)
        if migrate:
            await asyncio.to_thread(prepare_schema, self.url)
        self._engine = create_async_engine(
            sqlalchemy_url(self.url),
            pool_size=self.settings.db_pool_max_size,
            max_overflow=0,
            pool_recycle=int(self.settings.db_max_lifetime_s),
            connect_args={
                "prepare_threshold": None,
                "application_name": APPLICATION_NAME,
                "options": SESSION_OPTIONS,
            },
        )
        _ping_when_idle(self._engine)
        self._sessions = async_sessionmaker(self._engine, expire_on_commit=False)
        self._pool = AsyncConnectionPool(
            self.url,
            min_size=self.settings.db_pool_min_size,
            max_size=self.settings.db_pool_max_size,
            max_idle=self.settings.db_max_idle_s,
            max_lifetime=self.settings.db_max_lifetime_s,
            check=_check_when_idle,
            reset=_note_use,
            # autocommit is set in `configure`, not in kwargs: procrastinate opens its LISTEN
            # connection with these kwargs plus its own autocommit=True.
            kwargs={
                "row_factory": dict_row,
                "prepare_threshold": None,
                "application_name": APPLICATION_NAME,
            },
            configure=_autocommit,
            name=APPLICATION_NAME,
            open=False,
        )
        await self._pool.open(wait=True, timeout=30)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
            self.embedded = None

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError("database is not open")
        return self._engine

    @property
    def pool(self) -> AsyncConnectionPool[Any]:
        """The autocommit, dict_row psycopg pool (checkpointer, queue, raw hot paths)."""
        if self._pool is None:
            raise RuntimeError("database is not open")
        return self._pool

    def sessions(self) -> AsyncSession:
        """A bare session: the caller commits or rolls back."""
        if self._sessions is None:
            raise RuntimeError("database is not open")
        return self._sessions()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits on success and rolls back on error."""
        if self._sessions is None:
            raise RuntimeError("database is not open")
        async with self._sessions() as session, session.begin():
            yield session


async def _autocommit(conn: psycopg.AsyncConnection[Any]) -> None:
    await conn.set_autocommit(True)
    _last_use[conn] = time.monotonic()


_last_use: weakref.WeakKeyDictionary[psycopg.AsyncConnection[Any], float] = (
    weakref.WeakKeyDictionary()
)


async def _note_use(conn: psycopg.AsyncConnection[Any]) -> None:
    """The psycopg pool's reset hook: the connection just came back, alive."""
    _last_use[conn] = time.monotonic()


async def _check_when_idle(conn: psycopg.AsyncConnection[Any]) -> None:
    """The psycopg pool's check: a round trip only for a connection idle for a while."""
    if time.monotonic() - _last_use.get(conn, 0.0) > CHECK_IDLE_AFTER_S:
        await AsyncConnectionPool.check_connection(conn)


def _ping_when_idle(engine: AsyncEngine) -> None:
    """SQLAlchemy's pre-ping, for connections idle longer than CHECK_IDLE_AFTER_S only.

    A failed ping raises DisconnectionError, on which the pool retries with a fresh
    connection (SQLAlchemy's documented custom pessimistic disconnect handling).
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def checkin(dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at <= CHECK_IDLE_AFTER_S:
            return  # fresh from connect, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError(f"connection found dead: {error}") from error


def check_server(url: str) -> None:
    """Fail early, with a message a person can act on, when the server can't serve us."""
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            available = conn.execute(
                "SELECT installed_version IS NOT NULL AS installed FROM pg_available_extensions "
                "WHERE name = 'vector'"
            ).fetchone()
            if available is None:
                raise DatabaseConfigError(
                    "the Postgres server has no pgvector extension ('vector'). Install pgvector "
                    "on it, or use an image that ships it, such as pgvector/pgvector:pg16."
                )
            if not available[0]:
                try:
                    # Under the schema lock: two processes creating it at once, one fails.
                    with schema_lock(conn):
                        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                except psycopg.Error as exc:
                    raise DatabaseConfigError(
                        "pgvector is available but not enabled in this database, and this user "
                        f"may not enable it ({exc.diag.message_primary}). Run "
                        "'CREATE EXTENSION vector;' as a superuser once."
                    ) from exc
    except psycopg.OperationalError as exc:
        raise DatabaseConfigError(f"cannot connect to Postgres: {exc}") from exc
