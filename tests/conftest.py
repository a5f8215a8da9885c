"""Fixtures: one real embedded Postgres, a fresh database per session, clean tables per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from asgi_lifespan import LifespanManager
from psycopg import sql

from tests import whatsapp
from tests.whatsapp import APP_SECRET, VERIFY_TOKEN
from whsp_ai.db.database import Database
from whsp_ai.db.embedded import EmbeddedPostgres
from whsp_ai.graph.engine import Engine
from whsp_ai.graph.services import Services, install
from whsp_ai.nlu.provider import OfflineUnderstander
from whsp_ai.settings import Settings

REPO = Path(__file__).resolve().parent.parent
TEST_DATA_DIR = REPO / ".pytest-pgdata"
DEMO_DIR = REPO / "src" / "whsp_ai" / "demo"

# Keep the suite's own environment out of the way of whatever the developer exported.
for _var in ("DATABASE_URL", "GOOGLE_CLOUD_PROJECT", "LLM_PROVIDER", "WHATSAPP_APP_SECRET"):
    os.environ.pop(_var, None)


@pytest.fixture(scope="session")
def embedded_pg() -> Iterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(TEST_DATA_DIR)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def database_url(embedded_pg: EmbeddedPostgres) -> Iterator[str]:
    """A brand-new database for this test session, dropped at the end."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = embedded_pg.url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield embedded_pg.url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(DATABASE_URL=database_url, WHSP_DATA_DIR=TEST_DATA_DIR)


@pytest.fixture(scope="session")
async def opened_db(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings)
    await database.open()  # migrates the empty database to head
    yield database
    await database.close()


@pytest.fixture
async def db(opened_db: Database) -> Database:
    """The session's database with every table emptied before the test."""
    await empty_tables(opened_db)
    return opened_db


async def empty_tables(opened_db: Database) -> None:
    """Every table of ours emptied (the browser tests' module fixture calls it too)."""
    async with opened_db.pool.connection() as conn:
        tables = await (
            await conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT IN ('alembic_version', 'checkpoint_migrations')"
                " AND tablename NOT LIKE '%%version%%'"
            )
        ).fetchall()
        if tables:
            names = sql.SQL(", ").join(sql.Identifier(t["tablename"]) for t in tables)
            await conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(names))


@pytest.fixture
def cli_env(database_url: str) -> dict[str, str]:
    """Environment for running `whsp-ai` as a separate process against the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "GOOGLE_"))}
    env.update(DATABASE_URL=database_url, WHSP_LOG_FORMAT="json", WHSP_DATA_DIR=str(TEST_DATA_DIR))
    return env


@pytest.fixture
async def engine(db: Database, settings: Settings) -> AsyncIterator[Engine]:
    """A conversation engine on the test database, with the offline provider."""
    services = Services(db, OfflineUnderstander(), settings)
    install(services)
    yield await Engine.create(services)
    install(None)


@pytest.fixture
async def service(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The HTTP service with its channel, workers off: tests settle the queue themselves."""
    from whsp_ai.api.app import create_app
    from whsp_ai.whatsapp import intake

    intake._tenants.clear()
    configured = settings.model_copy(
        update={"whatsapp_app_secret": APP_SECRET, "whatsapp_verify_token": VERIFY_TOKEN}
    )
    app = create_app(configured, workers=False)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://test"
        ) as client,
    ):
        whatsapp.use_channel(app.state.channel)
        yield client
        whatsapp.use_channel(None)
