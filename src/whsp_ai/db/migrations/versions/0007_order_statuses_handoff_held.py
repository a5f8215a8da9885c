"""order statuses, hand-off, per-business templates, held messages

Revision ID: 0007
Revises: 0006

- Orders move along pending → paid → shipped → delivered, or to cancelled; the old
  "placed" is today's "pending". status_changed_at says when the owner last moved one.
- customers.handed_off_at: set while a person (the owner) has taken the conversation
  over; the agent stays silent until it is handed back or 24 hours pass.
- businesses.whatsapp_templates: the approved utility templates (owner_notice,
  customer_update, language) that carry a notice outside the 24-hour window.
- Outbox rows that can't go out (outside the window, no template) are `held`, not lost:
  this index finds a recipient's held rows when they write again, and the dashboard's list.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "('pending', 'paid', 'shipped', 'delivered', 'cancelled')"


def upgrade() -> None:
    op.execute("UPDATE orders SET status = 'pending' WHERE status = 'placed'")
    op.alter_column("orders", "status", server_default="pending")
    op.create_check_constraint("order_status_valid", "orders", f"status IN {STATUSES}")
    op.add_column(
        "orders", sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index("orders_business_status_idx", "orders", ["business_id", "status", "created_at"])
    op.add_column(
        "customers", sa.Column("handed_off_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "businesses",
        sa.Column(
            "whatsapp_templates", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")
        ),
    )
    op.create_index(
        "outbound_held_idx",
        "outbound_messages",
        ["business_id", "to_wa_id", "id"],
        postgresql_where=sa.text("status = 'held'"),
    )


def downgrade() -> None:
    op.drop_index("outbound_held_idx", table_name="outbound_messages")
    op.execute("UPDATE outbound_messages SET status = 'undeliverable' WHERE status = 'held'")
    op.drop_column("businesses", "whatsapp_templates")
    op.drop_column("customers", "handed_off_at")
    op.drop_index("orders_business_status_idx", table_name="orders")
    op.drop_column("orders", "status_changed_at")
    op.drop_constraint("order_status_valid", "orders", type_="check")
    op.alter_column("orders", "status", server_default=None)
    op.execute("UPDATE orders SET status = 'placed' WHERE status = 'pending'")
