"""Customers waiting on an approval: many customers asking the same thing share one approval."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Approval, ApprovalCustomer, ApprovalStatus, Customer


async def get(
    session: AsyncSession, *, business_id: int, approval_id: int, customer_id: int
) -> ApprovalCustomer | None:
    stmt = select(ApprovalCustomer).where(
        ApprovalCustomer.business_id == business_id,
        ApprovalCustomer.approval_id == approval_id,
        ApprovalCustomer.customer_id == customer_id,
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def add(
    session: AsyncSession,
    *,
    business_id: int,
    approval_id: int,
    customer_id: int,
    wants_add: bool,
    requested_quantity: int | None,
) -> None:
    """The customer joins the approval's waiting list (once: a second add changes nothing)."""
    stmt = (
        insert(ApprovalCustomer)
        .values(
            business_id=business_id,
            approval_id=approval_id,
            customer_id=customer_id,
            wants_add=wants_add,
            requested_quantity=requested_quantity,
        )
        .on_conflict_do_nothing(index_elements=["approval_id", "customer_id"])
    )
    await session.execute(stmt)


async def waiting(
    session: AsyncSession, *, business_id: int, approval_id: int
) -> list[tuple[ApprovalCustomer, Customer]]:
    """Everyone waiting on the approval, first asker first."""
    stmt = (
        select(ApprovalCustomer, Customer)
        .join(Customer, col(Customer.id) == ApprovalCustomer.customer_id)
        .where(
            ApprovalCustomer.business_id == business_id,
            ApprovalCustomer.approval_id == approval_id,
        )
        .order_by(col(ApprovalCustomer.created_at), col(ApprovalCustomer.customer_id))
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def wa_ids(
    session: AsyncSession, *, business_id: int, approval_ids: list[int]
) -> dict[int, list[str]]:
    """approval id -> the WhatsApp ids of its waiting customers, first asker first."""
    if not approval_ids:
        return {}
    stmt = (
        select(ApprovalCustomer.approval_id, Customer.wa_id)
        .join(Customer, col(Customer.id) == ApprovalCustomer.customer_id)
        .where(
            ApprovalCustomer.business_id == business_id,
            col(ApprovalCustomer.approval_id).in_(approval_ids),
        )
        .order_by(col(ApprovalCustomer.created_at), col(ApprovalCustomer.customer_id))
    )
    found: dict[int, list[str]] = {}
    for approval_id, wa_id in (await session.execute(stmt)).all():
        found.setdefault(approval_id, []).append(wa_id)
    return found


async def open_since(
    session: AsyncSession, *, business_id: int, customer_id: int, since: datetime
) -> int:
    """How many pending approvals the customer joined (or raised) since `since`."""
    stmt = (
        select(func.count())
        .select_from(ApprovalCustomer)
        .join(Approval, col(Approval.id) == ApprovalCustomer.approval_id)
        .where(
            ApprovalCustomer.business_id == business_id,
            ApprovalCustomer.customer_id == customer_id,
            col(ApprovalCustomer.created_at) >= since,
            Approval.status == ApprovalStatus.pending.value,
        )
    )
    return int((await session.execute(stmt)).scalar_one())


async def count(session: AsyncSession, *, business_id: int, approval_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(ApprovalCustomer)
        .where(
            ApprovalCustomer.business_id == business_id,
            ApprovalCustomer.approval_id == approval_id,
        )
    )
    return int((await session.execute(stmt)).scalar_one())
