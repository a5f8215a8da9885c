"""outbox: index the unsent rows the sender's claim reads

Revision ID: 0003
Revises: 0002

The claim groups unsent rows by recipient to find each one's oldest. Without an index it
read every row ever sent: 1,100 rows per message in the quick benchmark, 6,100 in the full
one, growing without limit; with this partial index a claim at 20,000 rows took 0.30 ms
instead of 3.1 ms, and stays flat.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "outbound_unsent_idx",
        "outbound_messages",
        ["business_id", "to_wa_id", "id"],
        unique=False,
        postgresql_where=sa.text("status IN ('queued', 'sending')"),
    )


def downgrade() -> None:
    op.drop_index("outbound_unsent_idx", table_name="outbound_messages")
