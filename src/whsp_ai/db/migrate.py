"""Every schema step, driven from code: on startup and by `whsp-ai db upgrade`, one at a time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Held while the schema is made or changed, so gunicorn workers, `whsp-ai worker`s and a CLI
# starting together on an empty database take turns instead of racing (one of two workers
# booting at once died on a UniqueViolation in the checkpointer's setup, and gunicorn halted).
MIGRATION_LOCK_KEY = 7_270_001
# Tells env.py that the caller holds MIGRATION_LOCK_KEY already (advisory locks are per
# session: taking it again on Alembic's own connection would wait for ourselves).
LOCK_HELD = "whsp_schema_lock_held"


def alembic_config(url: str) -> Config:
    from whsp_ai.db.database import sqlalchemy_url

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would choke on '%' in URL-encoded socket paths.
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return config


def upgrade_to_head(url: str) -> None:
    """Our tables (Alembic) only; env.py takes the lock itself."""
    command.upgrade(alembic_config(url), "head")


def prepare_schema(url: str) -> None:
    """Everything a process needs in the database before it starts, under one advisory lock:
    our tables (Alembic), LangGraph's checkpoint tables and procrastinate's job queue.

    Each step is a no-op when already done, so the second process through the lock only
    checks. The checkpointer's migrations include CREATE INDEX CONCURRENTLY, which needs an
    autocommit connection: that is why the lock lives on one, and Alembic runs beside it.
    """
    with psycopg.connect(url, autocommit=True) as conn, schema_lock(conn):
        config = alembic_config(url)
        config.attributes[LOCK_HELD] = True
        command.upgrade(config, "head")
        _checkpointer_tables(conn)
        _job_queue_tables(conn)


@contextmanager
def schema_lock(conn: psycopg.Connection[Any], poll_s: float = 0.05) -> Iterator[None]:
    """MIGRATION_LOCK_KEY on this (autocommit) session, taken by polling, never by waiting.

    A session blocked in `SELECT pg_advisory_lock()` holds a snapshot, and the checkpointer's
    CREATE INDEX CONCURRENTLY waits for every older snapshot: the holder would wait for the
    waiters, who wait for the holder (a deadlock, seen with four processes starting at once).
    """
    while True:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (MIGRATION_LOCK_KEY,)).fetchone()
        if row is not None and row[0]:
            break
        time.sleep(poll_s)
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))


def _checkpointer_tables(conn: psycopg.Connection[Any]) -> None:
    from langgraph.checkpoint.postgres import PostgresSaver

    PostgresSaver(conn).setup()  # its own versioned migrations; applies the missing ones


def _job_queue_tables(conn: psycopg.Connection[Any]) -> None:
    from procrastinate.schema import SchemaManager

    row = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NULL").fetchone()
    if row is not None and row[0]:
        conn.execute(SchemaManager.get_schema())


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate compares our tables only: LangGraph's checkpointer owns its own.

    The per-business HNSW indexes are made at run time (whsp_ai.db.vector_indexes), not by
    migrations, so they are not schema drift either.
    """
    from sqlmodel import SQLModel

    from whsp_ai.db.vector_indexes import PREFIXES

    if type_ == "index" and name and name.startswith(PREFIXES):
        return False
    return type_ != "table" or name in SQLModel.metadata.tables
