"""The small nodes: greet, help, other, view the cart, cancel, and remember the turn."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from whsp_ai.graph import views
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin, responder
from whsp_ai.graph.services import current
from whsp_ai.graph.state import State
from whsp_ai.messages import limits, replies
from whsp_ai.prompts.texts import t
from whsp_ai.tools import cart as cart_tools
from whsp_ai.tools import messages as message_tools


@responder("greet")
async def greet(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    _, services, business, lang = await begin(state, runtime)
    persona = business.persona or {}
    greeting = persona.get("greeting") if lang == business.language else None
    body = greeting or t(
        "greeting_default",
        lang,
        agent=persona.get("agent_name") or business.name,
        business=business.name,
    )
    categories = await services.categories(runtime.context.business_id)
    if not categories:
        return {"replies": [replies.text(body)]}
    rows = [(f"category:{c}", c, "") for c in categories[: limits.ROWS_MAX]]
    return {"replies": [replies.rows(body, t("list_categories", lang), rows)]}


@responder("help")
async def help_(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    _, _, business, lang = await begin(state, runtime)
    agent = (business.persona or {}).get("agent_name") or business.name
    body = t("help", lang, agent=agent, business=business.name)
    return {"replies": [replies.buttons(body, views.cart_buttons(lang))]}


@responder("other")
async def other(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    lang = state.get("lang", runtime.context.locale)
    understanding = state.get("understanding") or {}
    # A model's free-text answer is allowed here, where no price or total is involved.
    body = understanding.get("reply") or t("other", lang)
    return {"replies": [replies.text(body)]}


@responder("view_cart")
async def view_cart(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    _, services, business, lang = await begin(state, runtime)
    async with services.session() as session:
        summary = await cart_tools.summary(
            session, business=business, customer_id=state["customer_id"]
        )
    if summary.empty:
        return {"replies": [replies.text(t("cart_empty", lang))]}
    body = views.cart_text(summary, business, lang)
    return {"replies": [replies.buttons(body, views.cart_buttons(lang))]}


@responder("clear_cart")
async def clear_cart(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Every product out of the cart; a checkout under way ends with it."""
    services = await current()
    ctx = runtime.context
    lang = state.get("lang", ctx.locale)
    async with services.session() as session:
        await cart_tools.clear(
            session, business_id=ctx.business_id, customer_id=state["customer_id"]
        )
    return {"replies": [replies.text(t("cart_cleared", lang))], "checkout": None, "pending": None}


@responder("cancel")
async def cancel(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    lang = state.get("lang", runtime.context.locale)
    if state.get("checkout"):
        return {"replies": [replies.text(t("checkout_cancelled", lang))], "checkout": None}
    return {"replies": [replies.text(t("nothing_to_cancel", lang))], "pending": None}


async def remember(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Queue the replies with the inbound message marked done, and keep a short window.

    All of it joins the turn's transaction, which the engine commits after LangGraph has
    written the checkpoint into it too (graph/saver.py): a crash before that commit leaves
    no trace and the retry starts the turn over; after it, the message is processed and the
    state remembers the turn, together.
    """
    ctx = runtime.context
    if ctx.inbound_id is not None:
        services = await current()
        async with services.session() as session:
            await message_tools.answer(
                session,
                business_id=ctx.business_id,
                to_wa_id=ctx.customer_wa_id,
                inbound_id=ctx.inbound_id,
                replies=state.get("replies") or [],
            )
    said = state.get("text") or state.get("action_id") or ""
    answered = "\n".join(r["text"] for r in state.get("replies") or [])
    return {
        "turns": state.get("turns", 0) + 1,
        "history": [
            {"role": "customer", "text": said[:500]},
            {"role": "agent", "text": answered[:500]},
        ],
    }
