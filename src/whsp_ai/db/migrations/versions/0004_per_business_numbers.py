"""per-business order and approval numbers

Revision ID: 0004
Revises: 0003

Order numbers and approval ids were global, so a shop's first order was "#2" and its
numbers told it how busy the other shops were. Each business now counts its own, in
business_sequences; existing rows are numbered in the order they were made.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NUMBERED = {"orders": "order", "approvals": "approval"}


def upgrade() -> None:
    op.create_table(
        "business_sequences",
        sa.Column("business_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["business_id"], ["businesses.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("business_id", "kind"),
    )
    for table, kind in NUMBERED.items():
        op.add_column(table, sa.Column("number", sa.BigInteger(), nullable=True))
        # table and kind are this module's constants, never input
        op.execute(
            f"""
            UPDATE {table} AS t SET number = n.number
            FROM (SELECT id, row_number() OVER (PARTITION BY business_id
                                                ORDER BY created_at, id) AS number
                  FROM {table}) AS n
            WHERE t.id = n.id
            """  # noqa: S608
        )
        op.alter_column(table, "number", nullable=False)
        op.create_unique_constraint(
            f"{table}_business_number_key", table, ["business_id", "number"]
        )
        op.execute(
            f"""
            INSERT INTO business_sequences (business_id, kind, last)
            SELECT business_id, '{kind}', max(number) FROM {table} GROUP BY business_id
            """  # noqa: S608
        )


def downgrade() -> None:
    for table in NUMBERED:
        op.drop_constraint(f"{table}_business_number_key", table, type_="unique")
        op.drop_column(table, "number")
    op.drop_table("business_sequences")
