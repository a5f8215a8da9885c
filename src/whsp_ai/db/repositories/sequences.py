"""Per-business numbers (orders, approvals), handed out inside the caller's transaction."""

from typing import Literal

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import BusinessSequence

Kind = Literal["order", "approval"]


async def next_number(session: AsyncSession, *, business_id: int, kind: Kind) -> int:
    """The business's next number of this kind: 1 for its first.

    The upsert holds the counter's row lock until the caller's transaction ends, so a
    concurrent caller waits and gets the next number; a rollback gives the number back.
    """
    table = BusinessSequence.__table__  # type: ignore[attr-defined]
    stmt = (
        insert(table)
        .values(business_id=business_id, kind=kind, last=1)
        .on_conflict_do_update(
            index_elements=[table.c.business_id, table.c.kind],
            set_={"last": table.c.last + 1},
        )
        .returning(table.c.last)
    )
    return int((await session.execute(stmt)).scalar_one())
