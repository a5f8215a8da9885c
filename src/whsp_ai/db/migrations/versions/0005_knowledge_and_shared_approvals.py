"""business knowledge, shared approvals, questions, saved addresses

Revision ID: 0005
Revises: 0004

- businesses.info and businesses.faq hold the owner's facts and answers (the business file's
  `info` and `faq`), so questions are answered from data the owner wrote.
- An approval is now shared by every customer who asked the same thing: approval_customers
  lists them (the first asker stays in approvals.customer_id). Existing approvals get their
  one customer as a row here.
- `question` approvals (a question the data doesn't answer) are answered with text, so an
  approval may end `answered`.
- customers.last_address keeps each customer's last delivery address, offered again at the
  next checkout.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "businesses",
        sa.Column("info", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
    )
    op.add_column(
        "businesses",
        sa.Column("faq", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
    )
    op.add_column("customers", sa.Column("last_address", sa.Text(), nullable=True))

    op.drop_constraint("kind_valid", "approvals", type_="check")
    op.create_check_constraint(
        "kind_valid", "approvals", "kind IN ('unconfirmed_product', 'new_product', 'question')"
    )
    op.drop_constraint("status_valid", "approvals", type_="check")
    op.create_check_constraint(
        "status_valid", "approvals", "status IN ('pending', 'confirmed', 'rejected', 'answered')"
    )

    op.create_table(
        "approval_customers",
        sa.Column("approval_id", sa.BigInteger(), nullable=False),
        sa.Column("business_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("wants_add", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("requested_quantity", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(["approval_id"], ["approvals.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["business_id"], ["businesses.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("approval_id", "customer_id"),
    )
    # the per-customer cap counts a customer's requests of the day
    op.create_index(
        "approval_customers_customer_idx",
        "approval_customers",
        ["business_id", "customer_id", "created_at"],
    )
    op.execute(
        """
        INSERT INTO approval_customers
            (approval_id, business_id, customer_id, wants_add, requested_quantity, created_at)
        SELECT id, business_id, customer_id, wants_add, requested_quantity, created_at
        FROM approvals WHERE customer_id IS NOT NULL
        """
    )


def downgrade() -> None:
    op.drop_index("approval_customers_customer_idx", table_name="approval_customers")
    op.drop_table("approval_customers")
    op.execute("DELETE FROM approvals WHERE kind = 'question'")
    op.execute("UPDATE approvals SET status = 'confirmed' WHERE status = 'answered'")
    op.drop_constraint("status_valid", "approvals", type_="check")
    op.create_check_constraint(
        "status_valid", "approvals", "status IN ('pending', 'confirmed', 'rejected')"
    )
    op.drop_constraint("kind_valid", "approvals", type_="check")
    op.create_check_constraint(
        "kind_valid", "approvals", "kind IN ('unconfirmed_product', 'new_product')"
    )
    op.drop_column("customers", "last_address")
    op.drop_column("businesses", "faq")
    op.drop_column("businesses", "info")
