"""The owner answers a customer question (CONTRACT §5): POST /management/questions/{id}/answer.

The same path as the owner's WhatsApp reply and the dashboard: Engine.answer_question
resumes the question's approval thread, which records the answer, adds it to the faq with
`save_to_faq`, and tells every waiting customer in their own language.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from whsp_ai.api.deps import (
    AUTH_RESPONSES,
    BODY_RESPONSES,
    BusinessDep,
    ChannelDep,
    single_valued_query,
)
from whsp_ai.db.fields import INT8_MAX, Paragraph
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer
from whsp_ai.tools.questions import MAX_ANSWER

router = APIRouter(
    prefix="/management",
    tags=["management"],
    responses=AUTH_RESPONSES,
    dependencies=[Depends(single_valued_query)],
)


class QuestionAnswer(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"answer": "Sí, hacemos envíos a Cholula por $50.", "save_to_faq": True}]
        },
    )

    answer: Paragraph = Field(min_length=1, max_length=MAX_ANSWER)
    save_to_faq: StrictBool = Field(
        default=True, description="add {q, a} to the business's faq (default true)"
    )


class QuestionAnswered(BaseModel):
    approval_id: int
    status: str
    customers_told: int
    saved_to_faq: bool


@router.post(
    "/questions/{approval_id}/answer",
    response_model=QuestionAnswered,
    responses={
        **BODY_RESPONSES,
        404: {"description": "no such question"},
        409: {"description": "already answered"},
    },
)
async def answer_question(
    approval_id: Annotated[int, Path(ge=1, le=INT8_MAX)],
    body: QuestionAnswer,
    business: BusinessDep,
    channel: ChannelDep,
) -> QuestionAnswered:
    """Answer a `question` approval: every waiting customer is told on WhatsApp."""
    try:
        outcome = await channel.engine.answer_question(
            business_id=business.id or 0,
            approval_id=approval_id,
            answer=body.answer,
            save_to_faq=body.save_to_faq,
        )
    except ApprovalNotFound:
        raise HTTPException(404, f"no question {approval_id}") from None
    except AlreadyAnswered:
        raise HTTPException(409, f"question {approval_id} was already answered") from None
    except InvalidAnswer as exc:
        error = {"type": "value_error", "loc": ("body", "answer"), "msg": str(exc)}
        raise RequestValidationError([error]) from None
    channel.sender.wake.set()
    return QuestionAnswered(
        approval_id=approval_id,
        status=str(outcome.get("status", "answered")),
        customers_told=int(outcome.get("customers_told", 0)),
        saved_to_faq=bool(outcome.get("saved_to_faq", False)),
    )
