"""Needs and browsing: 'algo para colgar cuadros' lists what serves it, 'qué venden' the
categories. Neither ever asks the owner for a new product: a need is not a product name."""

from __future__ import annotations

from datetime import UTC, datetime

from langgraph.runtime import Runtime
from sqlalchemy import func, select
from sqlmodel import col

from whsp_ai.db.models import ApprovalKind, Product
from whsp_ai.graph import views
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin, responder
from whsp_ai.graph.state import ShownItem, State, Update
from whsp_ai.graph.voiced import turn_facts, voiced
from whsp_ai.messages import limits, replies
from whsp_ai.nlu.models import Understanding
from whsp_ai.prompts.texts import t
from whsp_ai.tools import asks
from whsp_ai.tools.knowledge_answer import answer_question
from whsp_ai.tools.needs import find_for_need
from whsp_ai.voice.facts import Entry, product_fact


@responder("need")
async def need(state: State, runtime: Runtime[Context]) -> Update:
    ctx, services, business, lang = await begin(state, runtime)
    u = Understanding.model_validate(state.get("understanding") or {"intent": "need"})
    query = u.search_query or state.get("text", "")
    async with services.session() as session:
        found = await find_for_need(
            session, business_id=ctx.business_id, query=query, language=business.language
        )
        told = await answer_question(
            session,
            business=business,
            question=state.get("text", "") or query,
            lang=lang,
            now=datetime.now(UTC),
        )
    # The owner's faq may answer the need too ('how do i store loose leaf?'): said first,
    # in the owner's words; facts we word ourselves (hours, fees) don't answer a need.
    faq = told.text if told and any(f.kind == "faq" for f in told.entries) else None
    if not found and faq:
        return {"replies": [replies.text(faq)], "pending": None}
    if not found:
        # Nothing serves it: a question for the owner (shared, capped), never a new-product
        # request, and never a guess.
        async with services.session() as session:
            asked = await asks.ask(
                session,
                business_id=ctx.business_id,
                customer_id=state["customer_id"],
                kind=ApprovalKind.question,
                query=state.get("text", "") or query,
            )
        said = "requests_capped" if asked.capped else "kn_ask_owner"
        body = t(said, lang, business=business.name)
        return {
            "replies": [replies.text(body)],
            "pending": None,
            "new_approvals": [asked.started] if asked.started else [],
        }
    hits = [f.hit for f in found]
    # The recommendation's lead-in in the persona's voice (Vertex), from the products found
    # with their database prices and the descriptions' reasons; the guard checks it.
    facts = (await turn_facts(services, business, lang, state.get("customer_id"))).adding(
        products=[product_fact(h, business, lang) for h in hits],
        entries=[Entry(f.hit.name, f.reason) for f in found if f.reason],
    )
    lead = await voiced(
        facts,
        t("need_results", lang),
        "recommendation",
        lang,
        services,
        draft=u.reply,
        said=state.get("text", ""),
    )
    lines = ([faq, ""] if faq else []) + [lead]
    for i, f in enumerate(found, 1):
        lines.append(f"{i}. {views.product_label(f.hit, business, lang)}")
        if f.reason:
            lines.append(f"   «{f.reason}»")
    reply = views.product_list(hits, business, lang, "need_results")
    reply["text"] = "\n".join(lines)
    shown: list[ShownItem] = [{"sku": h.sku, "name": h.name} for h in hits]
    return {"replies": [reply], "shown": shown, "focus": None, "pending": None}


@responder("browse")
async def browse(state: State, runtime: Runtime[Context]) -> Update:
    """The categories, each a row to tap (its id is `category:NAME`, read by the router)."""
    ctx, services, business, lang = await begin(state, runtime)
    async with services.session() as session:
        rows = (
            await session.execute(
                select(col(Product.category), func.count())
                .where(
                    col(Product.business_id) == ctx.business_id,
                    col(Product.category).is_not(None),
                    col(Product.status) != "rejected",
                )
                .group_by(col(Product.category))
                .order_by(col(Product.category))
            )
        ).all()
    if not rows:
        return {"replies": [replies.text(t("search_empty_query", lang))]}
    body = [t("browse_header", lang, business=business.name)]
    body += [f"• {category} ({n})" for category, n in rows]
    items = [
        (f"category:{category}", str(category), t("browse_row", lang, n=n))
        for category, n in rows[: limits.ROWS_MAX]
    ]
    return {"replies": [replies.rows("\n".join(body), t("list_categories", lang), items)]}
