"""product search: normalized columns, weighted tsvector, trigram-hash vectors

Revision ID: 0002
Revises: 0001

The tsvector is kept by a trigger, because it needs the business's language (a generated
column cannot read another table) and every path that writes a product (import, the
management API, owner approvals) then gets it for free. The same trigger clears the
embedding when the words change, so the background job embeds the product again.

HNSW indexes on name_grams / embedding are partial, one per large catalog
(whsp_ai.search.indexes): pgvector 0.6 filters after the index scan, so one shared index
would return other businesses' neighbours and leave a small business with nothing.
"""

from collections.abc import Sequence

import pgvector.sqlalchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS_CONFIG = """
CREATE OR REPLACE FUNCTION whsp_ts_config(lang text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE lang WHEN 'es' THEN 'pg_catalog.spanish'::regconfig
                   WHEN 'en' THEN 'pg_catalog.english'::regconfig
                   ELSE 'pg_catalog.simple'::regconfig END
$$
"""

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION products_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cfg regconfig;
  words_changed boolean := TG_OP = 'INSERT'
    OR NEW.search_names IS DISTINCT FROM OLD.search_names
    OR NEW.search_category IS DISTINCT FROM OLD.search_category
    OR NEW.search_text IS DISTINCT FROM OLD.search_text;
BEGIN
  -- a NULL search_vector asks for a rebuild (the business changed language)
  IF NOT words_changed AND NEW.search_vector IS NOT NULL THEN
    RETURN NEW;
  END IF;
  SELECT whsp_ts_config(b.language) INTO cfg FROM businesses b WHERE b.id = NEW.business_id;
  NEW.search_vector :=
       setweight(to_tsvector(cfg, NEW.search_names), 'A')
    || setweight(to_tsvector(cfg, NEW.search_category), 'B')
    || setweight(to_tsvector(cfg, NEW.search_text), 'D');
  IF TG_OP = 'UPDATE' AND words_changed THEN
    NEW.embedding := NULL;  -- the words changed: embed again
  END IF;
  RETURN NEW;
END
$$
"""


def upgrade() -> None:
    op.add_column(
        "products", sa.Column("search_names", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "products", sa.Column("search_category", sa.Text(), nullable=False, server_default="")
    )
    op.alter_column("products", "search_names", server_default=None)
    op.alter_column("products", "search_category", server_default=None)
    op.add_column("products", sa.Column("search_vector", postgresql.TSVECTOR(), nullable=True))
    op.add_column(
        "products",
        sa.Column("name_grams", pgvector.sqlalchemy.vector.VECTOR(dim=256), nullable=True),
    )
    op.execute(TS_CONFIG)
    op.execute(TRIGGER_FUNCTION)
    op.execute(
        "CREATE TRIGGER products_search_vector BEFORE INSERT OR UPDATE ON products "
        "FOR EACH ROW EXECUTE FUNCTION products_search_vector()"
    )
    _fill_existing_rows()
    op.create_index(
        "products_search_vector_idx",
        "products",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index("products_business_name_idx", "products", ["business_id", "name"])
    op.create_index("products_business_price_idx", "products", ["business_id", "price"])


def _fill_existing_rows() -> None:
    """Products written before this revision get their columns now, in batches."""
    from whsp_ai.search.text import product_search_fields, vector_literal

    conn = op.get_bind()
    last_id = 0
    while True:
        rows = conn.execute(
            sa.text(
                "SELECT id, name, aliases, category, description FROM products "
                "WHERE id > :last ORDER BY id LIMIT 1000"
            ),
            {"last": last_id},
        ).all()
        if not rows:
            return
        updates = []
        for row in rows:
            fields = product_search_fields(row.name, row.aliases, row.category, row.description)
            updates.append(
                {
                    "id": row.id,
                    "search_names": fields["search_names"],
                    "search_category": fields["search_category"],
                    "search_text": fields["search_text"],
                    "name_grams": vector_literal(fields["name_grams"]),
                }
            )
        conn.execute(
            sa.text(
                "UPDATE products SET search_names = :search_names, "
                "search_category = :search_category, search_text = :search_text, "
                "name_grams = CAST(:name_grams AS vector) WHERE id = :id"
            ),
            updates,
        )
        last_id = rows[-1].id


def downgrade() -> None:
    op.drop_index("products_business_price_idx", table_name="products")
    op.drop_index("products_business_name_idx", table_name="products")
    op.drop_index("products_search_vector_idx", table_name="products", postgresql_using="gin")
    op.execute("DROP TRIGGER IF EXISTS products_search_vector ON products")
    op.execute("DROP FUNCTION IF EXISTS products_search_vector()")
    op.execute("DROP FUNCTION IF EXISTS whsp_ts_config(text)")
    op.drop_column("products", "name_grams")
    op.drop_column("products", "search_vector")
    op.drop_column("products", "search_category")
    op.drop_column("products", "search_names")
