"""Questions customers asked that the business's data doesn't answer: the owner's answer
goes to every waiting customer, and with "save to FAQ" the next one is answered at once.
The same engine call as POST /management/questions/{id}/answer."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from whsp_ai.dashboard.deps import ChannelDep, DbDep, WriterDep
from whsp_ai.dashboard.forms import FieldErrors, form_text, is_htmx, path_id
from whsp_ai.dashboard.render import page
from whsp_ai.dashboard.routes.approvals import approvals_view, load_view
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer

router = APIRouter()


@router.post("/questions/{approval_id}")
async def answer_question(
    request: Request, approval_id: str, owner: WriterDep, db: DbDep, channel: ChannelDep
) -> Response:
    view = await load_view(db, owner, path_id(approval_id))
    if view.approval.kind != "question":
        raise HTTPException(404, "no such question")
    form = await request.form()
    answer = form_text(form, "answer", max_length=4000).strip()  # the engine limits it
    save_to_faq = form_text(form, "save_to_faq", max_length=5) == "1"
    errors = FieldErrors()
    if not answer:
        errors["answer"] = "Write the answer the customers will get."
    else:
        await db.commit()  # the engine answers in its own transaction
        try:
            outcome = await channel.engine.answer_question(
                business_id=owner.id,
                approval_id=view.approval.id or 0,
                answer=answer,
                save_to_faq=save_to_faq,
            )
        except ApprovalNotFound:
            raise HTTPException(404, "no such question") from None
        except AlreadyAnswered:
            view.done = "This question was already answered."
        except InvalidAnswer as exc:
            errors["answer"] = str(exc)
        else:
            channel.sender.wake.set()
            told = int(outcome.get("customers_told") or 0)
            saved = " Saved to the FAQ." if outcome.get("saved_to_faq") else ""
            view.done = f"Answered. {told} customer{'' if told == 1 else 's'} told.{saved}"
    view.errors = errors
    view.values = {"answer": answer, "save_to_faq": "1" if save_to_faq else ""}
    if is_htmx(request):
        return page(request, "_approval.html", owner=owner, view=view)
    if errors:
        return approvals_view(request, owner, [view], status_code=422)
    return RedirectResponse("/dashboard/approvals", status_code=303)
