"""The service's probes, through the real app and its lifespan."""

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from whsp_ai.api.app import create_app
from whsp_ai.db.migrate import head_revision
from whsp_ai.settings import Settings


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://test"
        ) as client,
    ):
        yield client


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_the_migration(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "migration": head_revision()}


async def test_readyz_is_503_when_schema_is_behind(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    import psycopg

    assert settings.database_url
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'older'")
        try:
            response = await client.get("/readyz")
        finally:
            conn.execute("UPDATE alembic_version SET version_num = %s", (head_revision(),))
    assert response.status_code == 503
    assert response.json()["status"] == "migrating"


async def test_demo_import_on_startup(settings: Settings, db: object) -> None:
    from whsp_ai.db.repositories import businesses, products

    app = create_app(settings, demo=True)
    async with LifespanManager(app):
        database = app.state.db
        async with database.session() as s:
            slugs = [b.slug for b in await businesses.list_all(s)]
            counts = [
                await products.count(s, business_id=b.id) for b in await businesses.list_all(s)
            ]
    assert slugs == ["ferreteria-don-pepe", "tea-and-kettle"]
    assert all(c >= 40 for c in counts)
