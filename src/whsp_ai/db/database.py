"""Connects to Postgres (embedded or DATABASE_URL), applies migrations and owns the pools."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from whsp_ai.db.embedded import EmbeddedPostgres
from whsp_ai.db.migrate import upgrade_to_head
from whsp_ai.settings import Settings

log = logging.getLogger(__name__)

APPLICATION_NAME = "whsp-ai"
# Search's HNSW scans keep this many candidates (pgvector's default is 40): on a 100k
# catalog the right product was in the top 3 for 77% of two-typo queries at 40 and 92% at
# 200, for the same latency (search/bench.py).
HNSW_EF_SEARCH = 200
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
            await asyncio.to_thread(upgrade_to_head, self.url)
        self._engine = create_async_engine(
            sqlalchemy_url(self.url),
            pool_size=self.settings.db_pool_max_size,
            max_overflow=0,
            pool_pre_ping=True,
            pool_recycle=int(self.settings.db_max_lifetime_s),
            connect_args={
                "prepare_threshold": None,
                "application_name": APPLICATION_NAME,
                "options": SESSION_OPTIONS,
            },
        )
        self._sessions = async_sessionmaker(self._engine, expire_on_commit=False)
        self._pool = AsyncConnectionPool(
            self.url,
            min_size=self.settings.db_pool_min_size,
            max_size=self.settings.db_pool_max_size,
            max_idle=self.settings.db_max_idle_s,
            max_lifetime=self.settings.db_max_lifetime_s,
            check=AsyncConnectionPool.check_connection,
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
                    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                except psycopg.Error as exc:
                    raise DatabaseConfigError(
                        "pgvector is available but not enabled in this database, and this user "
                        f"may not enable it ({exc.diag.message_primary}). Run "
                        "'CREATE EXTENSION vector;' as a superuser once."
                    ) from exc
    except psycopg.OperationalError as exc:
        raise DatabaseConfigError(f"cannot connect to Postgres: {exc}") from exc
