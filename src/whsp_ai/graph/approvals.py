"""The owner-approval graph: one LangGraph thread per approval, waiting in interrupt().

notify_owner → wait_for_owner (interrupt) → apply. Resuming re-runs wait_for_owner from its
first line, so everything before interrupt() is idempotent: the owner's notification is an
outbox row with a fixed dedupe key, written at most once however often the node runs.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt

from whsp_ai.db.models import Approval, ApprovalKind, Business
from whsp_ai.db.repositories import approvals, customers, products
from whsp_ai.graph import views
from whsp_ai.graph.services import current
from whsp_ai.messages import replies
from whsp_ai.prompts.money import money
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.tools import approvals as approval_tools
from whsp_ai.tools import messages as message_tools
from whsp_ai.tools.catalog import search_products


class ApprovalState(TypedDict):
    business_id: int
    approval_id: int
    answer: NotRequired[dict[str, Any]]
    outcome: NotRequired[dict[str, Any]]


def thread_id(business_id: int, approval_id: int) -> str:
    return f"approval:{business_id}:{approval_id}"


async def notify_owner(state: ApprovalState) -> dict[str, Any]:
    services = await current()
    business = await services.business(state["business_id"])
    async with services.db.session() as session:
        approval = await approvals.by_id(
            session, business_id=state["business_id"], approval_id=state["approval_id"]
        )
        if approval is None:
            return {}
        lang: Lang = business.language  # type: ignore[assignment]
        body = await _owner_text(session, business, approval, lang)
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
            dedupe_key=f"approval:{approval.id}:notify",
        )
    return {}


async def wait_for_owner(state: ApprovalState) -> dict[str, Any]:
    answer = interrupt({"approval_id": state["approval_id"], "business_id": state["business_id"]})
    return {"answer": answer}


async def apply(state: ApprovalState) -> dict[str, Any]:
    services = await current()
    business = await services.business(state["business_id"])
    decision = approval_tools.Decision.parse(state.get("answer") or {})
    try:
        async with services.db.session() as session:
            outcome = await approval_tools.apply_decision(
                session,
                business_id=state["business_id"],
                approval_id=state["approval_id"],
                decision=decision,
            )
            await _tell_customer(session, business, outcome)
    except approval_tools.AlreadyAnswered:
        return {"outcome": {"status": "already_answered"}}
    product = outcome.product
    return {
        "outcome": {
            "status": outcome.approval.status,
            "product_sku": product.sku if product else None,
            "added_to_cart": outcome.cart_change.quantity if outcome.cart_change else 0,
        }
    }


async def _owner_text(session: Any, business: Business, approval: Approval, lang: Lang) -> str:
    if approval.kind == ApprovalKind.question:  # minimal; the approvals work owns the notice
        return t("kn_owner_question", lang, question=approval.query, number=approval.number)
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
            )
    return t("owner_new_product", lang, query=approval.query)


async def _tell_customer(session: Any, business: Business, outcome: approval_tools.Outcome) -> None:
    approval = outcome.approval
    if approval.customer_id is None:
        return
    customer = await customers.by_id(
        session, business_id=business.id or 0, customer_id=approval.customer_id
    )
    if customer is None:
        return
    lang: Lang = customer.locale or business.language  # type: ignore[assignment]
    product = outcome.product
    name = product.name if product else approval.query
    if approval.status == "confirmed" and product is not None:
        price = money(product.price, business.currency)
        change = outcome.cart_change
        if change is not None and change.kind in ("added", "added_partial"):
            body = t(
                "approval_confirmed_added",
                lang,
                business=business.name,
                name=name,
                price=price,
                qty=change.quantity,
            )
            message = replies.buttons(body, views.cart_buttons(lang))
        else:
            body = t("approval_confirmed", lang, business=business.name, name=name, price=price)
            message = replies.buttons(body, [(f"add:{product.sku}", t("btn_add", lang))])
    else:
        body = t("approval_rejected", lang, business=business.name, name=name)
        alternatives = await search_products(
            session,
            business_id=business.id or 0,
            query=approval.query,
            limit=5,
            embedder=(await current()).embedder,
        )
        hits = [h for h in alternatives.hits if not product or h.sku != product.sku]
        if hits:
            listing = views.product_list(hits, business, lang, "approval_alternatives")
            listing["text"] = body + "\n" + listing["text"]
            message = listing
        else:
            message = replies.text(body)
    await message_tools.send(
        session,
        business_id=business.id or 0,
        to_wa_id=customer.wa_id,
        reply=message,
        dedupe_key=f"approval:{approval.id}:answer",
    )


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
