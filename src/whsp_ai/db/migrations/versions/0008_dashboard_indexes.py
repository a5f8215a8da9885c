"""dashboard: index the conversation list and each customer's replies

Revision ID: 0008
Revises: 0007

The dashboard lists customers by their last message, newest first, a page at a time, and
shows one customer's messages in order. Without these, both read every customer and every
reply the business ever sent: with 10,000 customers and 60,000 replies a page took a
sequential scan of the outbox. The inbound side already has
inbound_business_customer_idx.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "customers_business_seen_idx", "customers", ["business_id", "last_seen_at", "id"]
    )
    op.create_index(
        "outbound_business_to_created_idx",
        "outbound_messages",
        ["business_id", "to_wa_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("outbound_business_to_created_idx", table_name="outbound_messages")
    op.drop_index("customers_business_seen_idx", table_name="customers")
