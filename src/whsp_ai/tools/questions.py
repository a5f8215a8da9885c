"""The owner's answer to a `question` approval: recorded once, and kept in the faq if asked.

The same function serves the API, the dashboard and the owner's WhatsApp reply: they all
resume the approval's thread (graph/approvals.py), whose last node calls `apply_answer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.db.models import Approval, ApprovalKind, ApprovalStatus, Business
from whsp_ai.db.repositories import approvals
from whsp_ai.text.fold import fold
from whsp_ai.text.quote import strip_links
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer

MAX_ANSWER = 1000  # a faq answer, quoted to customers in one WhatsApp message


@dataclass(frozen=True)
class Answer:
    answer: str
    save_to_faq: bool = True

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Answer:
        answer = raw.get("answer")
        if not isinstance(answer, str) or not answer.strip():
            raise InvalidAnswer("answer must be a non-empty text")
        if "\x00" in answer or len(answer.strip()) > MAX_ANSWER:
            raise InvalidAnswer(f"answer must be at most {MAX_ANSWER} characters, without NUL")
        save = raw.get("save_to_faq", True)
        if not isinstance(save, bool):
            raise InvalidAnswer("save_to_faq must be true or false")
        return cls(answer.strip(), save)

    def as_resume(self) -> dict[str, Any]:
        """What the approval's thread is resumed with."""
        return {"answer": self.answer, "save_to_faq": self.save_to_faq}


@dataclass(frozen=True)
class Answered:
    approval: Approval
    answer: str
    saved_to_faq: bool


async def pending_question(
    session: AsyncSession, *, business_id: int, approval_id: int
) -> Approval:
    """The question approval, still unanswered; ApprovalNotFound / AlreadyAnswered otherwise."""
    approval = await approvals.by_id(session, business_id=business_id, approval_id=approval_id)
    if approval is None or approval.kind != ApprovalKind.question:
        raise ApprovalNotFound(approval_id)
    if approval.status != ApprovalStatus.pending:
        raise AlreadyAnswered(approval_id)
    return approval


async def apply_answer(
    session: AsyncSession, *, business_id: int, approval_id: int, answer: Answer
) -> Answered:
    """Record the answer once (status `answered`) and, with save_to_faq, add {q, a} to the
    business's faq (businesses.updated_at moves, so knowledge indexes rebuild)."""
    approval = await pending_question(session, business_id=business_id, approval_id=approval_id)
    resolution = {"answer": answer.answer, "save_to_faq": answer.save_to_faq}
    if not await approvals.resolve(
        session,
        business_id=business_id,
        approval_id=approval_id,
        status=ApprovalStatus.answered,
        resolution=resolution,
    ):
        raise AlreadyAnswered(approval_id)  # lost a race with another answer
    if answer.save_to_faq:
        await save_to_faq(
            session, business_id=business_id, question=approval.query, answer=answer.answer
        )
    await session.refresh(approval)
    return Answered(approval, answer.answer, answer.save_to_faq)


FAQ_QUESTION_MAX = 500  # importer/knowledge.FaqEntry.q


async def save_to_faq(
    session: AsyncSession, *, business_id: int, question: str, answer: str
) -> None:
    """Append {q, a}; a question already in the faq (same words) gets the new answer."""
    faq = (
        await session.execute(
            select(Business.faq).where(col(Business.id) == business_id).with_for_update()
        )
    ).scalar_one()
    # The faq's own rules (importer/knowledge.FaqEntry: one line, at most 500 characters)
    # hold for a customer's words too, so the faq stays valid for PATCH and the dashboard.
    q = "".join(c for c in (strip_links(question) or question) if c.isprintable() or c.isspace())
    q = " ".join(q.split())[:FAQ_QUESTION_MAX].strip()
    entries = [e for e in (faq or []) if fold(str(e.get("q", ""))) != fold(q)]
    entries.append({"q": q, "a": answer})
    await session.execute(
        update(Business)
        .where(col(Business.id) == business_id)
        .values(faq=entries, updated_at=func.now())
    )
