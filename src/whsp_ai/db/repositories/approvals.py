"""Owner approvals: questions the business owner answers (unconfirmed or new products)."""

from typing import Any

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Approval, ApprovalKind, ApprovalStatus
from whsp_ai.db.repositories import sequences


async def create(
    session: AsyncSession,
    *,
    business_id: int,
    kind: ApprovalKind,
    query: str,
    product_id: int | None = None,
    customer_id: int | None = None,
    wants_add: bool = False,
    requested_quantity: int | None = None,
) -> Approval:
    number = await sequences.next_number(session, business_id=business_id, kind="approval")
    approval = Approval(
        business_id=business_id,
        number=number,
        kind=kind.value,
        query=query,
        product_id=product_id,
        customer_id=customer_id,
        wants_add=wants_add,
        requested_quantity=requested_quantity,
    )
    session.add(approval)
    await session.flush()
    return approval


async def by_id(session: AsyncSession, *, business_id: int, approval_id: int) -> Approval | None:
    stmt = select(Approval).where(Approval.business_id == business_id, Approval.id == approval_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def number_of(session: AsyncSession, *, business_id: int, approval_id: int) -> int | None:
    """The business's own number of an approval: what the owner's notice calls it."""
    stmt = select(Approval.number).where(
        Approval.business_id == business_id, Approval.id == approval_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_number(session: AsyncSession, *, business_id: int, number: int) -> Approval | None:
    stmt = select(Approval).where(Approval.business_id == business_id, Approval.number == number)
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_approvals(
    session: AsyncSession, *, business_id: int, status: ApprovalStatus | None = None
) -> list[Approval]:
    stmt = select(Approval).where(Approval.business_id == business_id)
    if status is not None:
        stmt = stmt.where(Approval.status == status.value)
    stmt = stmt.order_by(col(Approval.created_at), col(Approval.id))
    return list((await session.execute(stmt)).scalars())


async def resolve(
    session: AsyncSession,
    *,
    business_id: int,
    approval_id: int,
    status: ApprovalStatus,
    resolution: dict[str, Any],
) -> bool:
    """Move a pending approval to its answer; False when it was already answered (or absent)."""
    stmt = (
        update(Approval)
        .where(
            col(Approval.business_id) == business_id,
            col(Approval.id) == approval_id,
            col(Approval.status) == ApprovalStatus.pending.value,
        )
        .values(status=status.value, resolution=resolution, resolved_at=func.now())
    )
    result = await session.execute(stmt)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def pending_of_kind(
    session: AsyncSession, *, business_id: int, kind: ApprovalKind, product_id: int | None = None
) -> list[Approval]:
    """The business's pending approvals of one kind (of one product, when given), oldest first."""
    stmt = select(Approval).where(
        Approval.business_id == business_id,
        Approval.kind == kind.value,
        Approval.status == ApprovalStatus.pending.value,
    )
    if product_id is not None:
        stmt = stmt.where(Approval.product_id == product_id)
    stmt = stmt.order_by(col(Approval.id))
    return list((await session.execute(stmt)).scalars())
