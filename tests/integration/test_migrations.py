"""Migrations build the schema from empty, match the models, and are safe to re-run."""

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from whsp_ai.db import models  # noqa: F401  (registers tables)
from whsp_ai.db.database import Database, sqlalchemy_url
from whsp_ai.db.migrate import head_revision, include_name, upgrade_to_head

TENANT_TABLES = {
    "products",
    "customers",
    "carts",
    "cart_items",
    "orders",
    "order_items",
    "approvals",
    "inbound_messages",
    "outbound_messages",
}


@pytest.fixture
def empty_database_url(embedded_pg, request):  # type: ignore[no-untyped-def]
    name = f"mig_{request.node.name[-20:].lower().replace('[', '_').replace(']', '')}"
    admin = embedded_pg.url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield embedded_pg.url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_upgrade_from_empty_creates_every_table(empty_database_url: str) -> None:
    upgrade_to_head(empty_database_url)
    with psycopg.connect(empty_database_url) as conn:
        tables = {
            r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        }
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        vector = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
        tenant_cols = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.columns "
                "WHERE column_name = 'business_id' AND is_nullable = 'NO'"
            )
        }
    assert {"businesses", *TENANT_TABLES} <= tables
    assert version == (head_revision(),)
    assert vector is not None
    assert tenant_cols >= TENANT_TABLES, "every tenant-owned table needs a NOT NULL business_id"


def test_upgrade_twice_is_a_no_op(empty_database_url: str) -> None:
    upgrade_to_head(empty_database_url)
    upgrade_to_head(empty_database_url)
    with psycopg.connect(empty_database_url) as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)


def test_migrations_match_the_models(opened_db: Database) -> None:
    """A model change without a migration fails here, not in production."""
    engine = create_engine(sqlalchemy_url(opened_db.url))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_products_from_before_search_get_their_search_columns(empty_database_url: str) -> None:
    """0002 fills the new columns of rows an older version wrote, and the tsvector with them."""
    from alembic import command

    from whsp_ai.db.migrate import alembic_config

    command.upgrade(alembic_config(empty_database_url), "0001")
    with psycopg.connect(empty_database_url) as conn:
        conn.execute(
            "INSERT INTO businesses (id, slug, name, language, currency, owner_phone, "
            "phone_number_id, persona, payment_methods, delivery_fee, api_key_hash) VALUES "
            "(1, 'b', 'B', 'es', 'MXN', '1', '2', '{}', ARRAY['efectivo'], 0, 'h')"
        )
        conn.execute(
            "INSERT INTO products (business_id, sku, name, description, price, aliases, status, "
            "search_text) VALUES (1, 'X', 'Brochas de 2 pulgadas', 'Cerda natural', 30, "
            "ARRAY['pincel'], 'confirmed', 'old text')"
        )
    upgrade_to_head(empty_database_url)
    with psycopg.connect(empty_database_url) as conn:
        row = conn.execute(
            "SELECT search_names, search_text, name_grams IS NOT NULL, search_vector::text "
            "FROM products"
        ).fetchone()
    assert row is not None
    names, description, has_grams, vector = row
    assert names == "brocha 2in pincel" and description == "cerda natural" and has_grams
    assert "'broch':1A" in vector and "'cerd':" in vector
