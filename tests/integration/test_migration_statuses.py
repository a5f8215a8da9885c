"""0007: orders an older version recorded as "placed" are "pending"; the way back restores it."""

from __future__ import annotations

import psycopg
import pytest
from alembic import command

from tests.integration.test_migration_numbers import BUSINESS, ORDER
from tests.integration.test_migrations import empty_database_url  # noqa: F401  (fixture)
from whsp_ai.db.migrate import alembic_config, upgrade_to_head


def test_placed_orders_become_pending_and_statuses_are_checked(
    empty_database_url: str,  # noqa: F811
) -> None:
    command.upgrade(alembic_config(empty_database_url), "0005")
    with psycopg.connect(empty_database_url) as conn:
        conn.execute(BUSINESS, {"id": 1, "slug": "b1"})
        conn.execute("INSERT INTO customers (id, business_id, wa_id) VALUES (1, 1, '1')")
        conn.execute(
            ORDER.replace("created_at)", "created_at, number)").replace(
                "interval '1 s')", "interval '1 s', 1)"
            ),
            (1, 1, 1, 0),
        )
    upgrade_to_head(empty_database_url)
    with psycopg.connect(empty_database_url) as conn:
        assert conn.execute("SELECT status FROM orders").fetchall() == [("pending",)]
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE orders SET status = 'placed'")
    command.downgrade(alembic_config(empty_database_url), "0005")
    with psycopg.connect(empty_database_url) as conn:
        assert conn.execute("SELECT status FROM orders").fetchall() == [("placed",)]
