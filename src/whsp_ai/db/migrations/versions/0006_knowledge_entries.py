"""knowledge entries: the business's faq, rules and facts, searchable like the catalog

Revision ID: 0006
Revises: 0005

Each row is one thing a question can be answered from (a faq entry, a persona rule, or a
fact of info/checkout as a topic), with the same search columns products have: a tsvector
in the business's language and a hashed-trigram vector. The rows are derived from the
business row and rebuilt when businesses.updated_at is newer than their source_updated_at,
so whoever edits the faq only needs to bump updated_at.
"""

from collections.abc import Sequence

import pgvector.sqlalchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "knowledge_entries",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("business_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("topics", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("search_vector", postgresql.TSVECTOR(), nullable=True),
        sa.Column("grams", pgvector.sqlalchemy.Vector(256), nullable=True),
        sa.Column("source_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('faq', 'rule', 'fact')", name="kind_valid"),
        sa.ForeignKeyConstraint(["business_id"], ["businesses.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_knowledge_entries_business_id"),
        "knowledge_entries",
        ["business_id"],
        unique=False,
    )
    op.create_index(
        "knowledge_entries_search_vector_idx",
        "knowledge_entries",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
    )


def downgrade() -> None:
    op.drop_index("knowledge_entries_search_vector_idx", table_name="knowledge_entries")
    op.drop_index(op.f("ix_knowledge_entries_business_id"), table_name="knowledge_entries")
    op.drop_table("knowledge_entries")
