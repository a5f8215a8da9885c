"""A question the business's data does not answer: one pending `question` approval for it.

The approvals work (issue 12 flywheel) brings the shared version,
tools/approvals.request_question, with near-duplicates and the per-customer cap; this is
the same signature, so the merge only points callers there.
"""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from whsp_ai.db.models import Approval, ApprovalCustomer, ApprovalKind, ApprovalStatus
from whsp_ai.db.repositories import approvals
from whsp_ai.text.fold import fold

MAX_QUESTION_CHARS = 500


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _same(a: str, b: str) -> bool:
    """The same words, whatever the accents, case and punctuation."""
    return _words(a) == _words(b)


async def ask_owner(
    session: AsyncSession, *, business_id: int, customer_id: int, question: str
) -> int | None:
    """The new approval's id (the caller starts its thread), or None when the customer
    joined a pending approval for the same question (normalized)."""
    question = question.strip()[:MAX_QUESTION_CHARS]
    pending = (
        await session.execute(
            select(Approval).where(
                Approval.business_id == business_id,
                Approval.kind == ApprovalKind.question.value,
                Approval.status == ApprovalStatus.pending.value,
            )
        )
    ).scalars()
    for approval in pending:
        if _same(approval.query, question):
            assert approval.id is not None
            waiting = await session.get(ApprovalCustomer, (approval.id, customer_id))
            if waiting is None:
                session.add(
                    ApprovalCustomer(
                        approval_id=approval.id, business_id=business_id, customer_id=customer_id
                    )
                )
                await session.flush()
            return None
    created = await approvals.create(
        session,
        business_id=business_id,
        kind=ApprovalKind.question,
        query=question,
        customer_id=customer_id,
    )
    assert created.id is not None
    session.add(
        ApprovalCustomer(approval_id=created.id, business_id=business_id, customer_id=customer_id)
    )
    await session.flush()
    return created.id
