"""The owner-approval graph: one LangGraph thread per approval, waiting in interrupt().

notify_owner → wait_for_owner (interrupt) → apply. Resuming re-runs wait_for_owner from its
first line, so everything before interrupt() is idempotent: the owner's notification is an
outbox row with a fixed dedupe key, written at most once however often the node runs.

Products (`unconfirmed_product`, `new_product`) are resumed with a decision (confirm or
reject); a `question` with the owner's answer text. Either way every customer waiting on
the approval is told (graph/approval_news.py). Customers who join a pending approval later
don't notify the owner again: the notice says how many had asked when it went out, and the
approvals list shows everyone waiting.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import Approval, ApprovalKind, Business
from whsp_ai.db.repositories import approval_customers, approvals, products
from whsp_ai.graph.approval_news import tell_answer, tell_outcome
from whsp_ai.graph.services import current
from whsp_ai.messages import replies
from whsp_ai.prompts.money import money
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.text.quote import quotation
from whsp_ai.tools import approvals as approval_tools
from whsp_ai.tools import messages as message_tools
from whsp_ai.tools import questions as question_tools


class ApprovalState(TypedDict):
    business_id: int
    approval_id: int
    answer: NotRequired[dict[str, Any]]
    outcome: NotRequired[dict[str, Any]]


def thread_id(business_id: int, approval_id: int) -> str:
    return f"approval:{business_id}:{approval_id}"


def notice_key(approval_id: int) -> str:
    """The owner's notice's dedupe key; its outbox rows are `notice_key(id) + ":<part>"`, and a
    quote-reply to one of them (inbound `context.id`) names the approval."""
    return f"approval:{approval_id}:notify"


async def notify_owner(state: ApprovalState) -> dict[str, Any]:
    services = await current()
    business = await services.business(state["business_id"])
    async with services.db.session() as session:
        approval = await approvals.by_id(
            session, business_id=state["business_id"], approval_id=state["approval_id"]
        )
        if approval is None:
            return {}
        lang: Lang = "en" if business.language == "en" else "es"
        body = await _owner_text(session, business, approval, lang)
        if approval.kind == ApprovalKind.question:
            message = replies.text(body)  # answered by replying to it, or in the dashboard
        else:
            message = replies.buttons(
                body,
                [
                    (f"approval:{approval.id}:confirm", t("btn_confirm", lang)),
                    (f"approval:{approval.id}:reject", t("btn_reject", lang)),
                ],
            )
        await message_tools.send(
            session,
            business_id=business.id or 0,
            to_wa_id=business.owner_phone,
            reply=message,
            dedupe_key=notice_key(approval.id or 0),
        )
    return {}


async def wait_for_owner(state: ApprovalState) -> dict[str, Any]:
    answer = interrupt({"approval_id": state["approval_id"], "business_id": state["business_id"]})
    return {"answer": answer}


async def apply(state: ApprovalState) -> dict[str, Any]:
    services = await current()
    business = await services.business(state["business_id"])
    raw = state.get("answer") or {}
    ids = {"business_id": state["business_id"], "approval_id": state["approval_id"]}
    try:
        async with services.db.session() as session:
            if "answer" in raw:  # a question's answer (tools/questions.Answer.as_resume)
                answered = await question_tools.apply_answer(
                    session, answer=question_tools.Answer.parse(raw), **ids
                )
                told = await tell_answer(session, business, answered)
                return {
                    "outcome": {
                        "status": answered.approval.status,
                        "customers_told": told,
                        "saved_to_faq": answered.saved_to_faq,
                    }
                }
            outcome = await approval_tools.apply_decision(
                session, decision=approval_tools.Decision.parse(raw), **ids
            )
            told = await tell_outcome(session, business, outcome)
    except approval_tools.AlreadyAnswered:
        return {"outcome": {"status": "already_answered"}}
    product = outcome.product
    return {
        "outcome": {
            "status": outcome.approval.status,
            "product_sku": product.sku if product else None,
            "added_to_cart": outcome.cart_change.quantity if outcome.cart_change else 0,
            "customers_told": told,
        }
    }


async def _owner_text(
    session: AsyncSession, business: Business, approval: Approval, lang: Lang
) -> str:
    """The notice: the request's number, how many customers asked, their words quoted."""
    asked = await approval_customers.count(
        session, business_id=business.id or 0, approval_id=approval.id or 0
    )
    values = {
        "number": approval.number,
        "who": t("owner_one_customer" if asked <= 1 else "owner_n_customers", lang, n=asked),
        "quote": quotation(approval.query),
    }
    if approval.kind == ApprovalKind.question:
        return t("owner_question", lang, **values)
    if approval.kind == ApprovalKind.unconfirmed_product and approval.product_id is not None:
        product = await products.by_id(
            session, business_id=business.id or 0, product_id=approval.product_id
        )
        if product is not None:
            return t(
                "owner_unconfirmed",
                lang,
                name=product.name,
                sku=product.sku,
                price=money(product.price, business.currency),
                **values,
            )
    return t("owner_new_product", lang, **values)


def build_approvals() -> StateGraph[ApprovalState, None, ApprovalState, ApprovalState]:
    graph = StateGraph(ApprovalState)
    graph.add_node("notify_owner", notify_owner)
    graph.add_node("wait_for_owner", wait_for_owner)
    graph.add_node("apply", apply)
    graph.add_edge(START, "notify_owner")
    graph.add_edge("notify_owner", "wait_for_owner")
    graph.add_edge("wait_for_owner", "apply")
    graph.add_edge("apply", END)
    return graph
