"""0004 numbers the orders and approvals an older version wrote, per business, in order."""

from __future__ import annotations

import psycopg
from alembic import command

from tests.integration.test_migrations import empty_database_url  # noqa: F401  (fixture)
from whsp_ai.db.migrate import alembic_config, upgrade_to_head

BUSINESS = (
    "INSERT INTO businesses (id, slug, name, language, currency, owner_phone, phone_number_id, "
    "persona, payment_methods, api_key_hash) VALUES "
    "(%(id)s, %(slug)s, 'B', 'es', 'MXN', '1', %(slug)s, '{}', ARRAY['efectivo'], %(slug)s)"
)
ORDER = (
    "INSERT INTO orders (id, business_id, customer_id, status, currency, subtotal, "
    "delivery_fee, total, delivery_address, payment_method, created_at) VALUES "
    "(%s, %s, %s, 'placed', 'MXN', 1, 0, 1, 'x', 'efectivo', now() + %s * interval '1 s')"
)


def test_existing_orders_and_approvals_are_numbered_per_business(
    empty_database_url: str,  # noqa: F811
) -> None:
    command.upgrade(alembic_config(empty_database_url), "0003")
    with psycopg.connect(empty_database_url) as conn:
        for b in (1, 2):
            conn.execute(BUSINESS, {"id": b, "slug": f"b{b}"})
            conn.execute(
                "INSERT INTO customers (id, business_id, wa_id) VALUES (%s, %s, '1')", (b, b)
            )
        # global ids interleaved across businesses; order 3 of business 1 was made first
        for order_id, business, second in ((1, 1, 5), (2, 2, 1), (3, 1, 0), (4, 1, 9)):
            conn.execute(ORDER, (order_id, business, business, second))
        for approval_id, business in ((1, 2), (2, 1)):
            conn.execute(
                "INSERT INTO approvals (id, business_id, kind, status, query, wants_add) "
                "VALUES (%s, %s, 'new_product', 'pending', 'q', false)",
                (approval_id, business),
            )
    upgrade_to_head(empty_database_url)
    with psycopg.connect(empty_database_url) as conn:
        numbered = conn.execute("SELECT id, number FROM orders ORDER BY id").fetchall()
        approvals = conn.execute("SELECT id, number FROM approvals ORDER BY id").fetchall()
        counters = conn.execute(
            "SELECT business_id, kind, last FROM business_sequences ORDER BY 1, 2"
        ).fetchall()
    assert numbered == [(1, 2), (2, 1), (3, 1), (4, 3)]
    assert approvals == [(1, 1), (2, 1)]
    assert counters == [(1, "approval", 1), (1, "order", 3), (2, "approval", 1), (2, "order", 1)]
