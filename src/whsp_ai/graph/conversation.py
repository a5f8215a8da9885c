"""The small nodes: greet, help, other, view the cart, cancel, and remember the turn."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from whsp_ai.graph import replies, views
from whsp_ai.graph.context import Context
from whsp_ai.graph.services import current
from whsp_ai.graph.state import State
from whsp_ai.prompts.texts import t
from whsp_ai.tools import cart as cart_tools


async def greet(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    services = await current()
    business = await services.business(runtime.context.business_id)
    lang = state.get("lang", runtime.context.locale)
    persona = business.persona or {}
    greeting = persona.get("greeting") if lang == business.language else None
    body = greeting or t(
        "greeting_default",
        lang,
        agent=persona.get("agent_name") or business.name,
        business=business.name,
    )
    return {"replies": [replies.text(body)]}


async def help_(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    services = await current()
    business = await services.business(runtime.context.business_id)
    lang = state.get("lang", runtime.context.locale)
    agent = (business.persona or {}).get("agent_name") or business.name
    body = t("help", lang, agent=agent, business=business.name)
    return {"replies": [replies.buttons(body, views.cart_buttons(lang))]}


async def other(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    lang = state.get("lang", runtime.context.locale)
    understanding = state.get("understanding") or {}
    # A model's free-text answer is allowed here, where no price or total is involved.
    body = understanding.get("reply") or t("other", lang)
    return {"replies": [replies.text(body)]}


async def view_cart(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    services = await current()
    business = await services.business(runtime.context.business_id)
    lang = state.get("lang", runtime.context.locale)
    async with services.db.session() as session:
        summary = await cart_tools.summary(
            session, business=business, customer_id=state["customer_id"]
        )
    if summary.empty:
        return {"replies": [replies.text(t("cart_empty", lang))]}
    body = views.cart_text(summary, business, lang)
    return {"replies": [replies.buttons(body, views.cart_buttons(lang))]}


async def cancel(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    lang = state.get("lang", runtime.context.locale)
    if state.get("checkout"):
        return {"replies": [replies.text(t("checkout_cancelled", lang))], "checkout": None}
    return {"replies": [replies.text(t("nothing_to_cancel", lang))], "pending": None}


async def remember(state: State) -> dict[str, Any]:
    """Keep a short window of the conversation for context; the rest is in the message tables."""
    said = state.get("text") or state.get("action_id") or ""
    answered = "\n".join(r["text"] for r in state.get("replies") or [])
    return {
        "turns": state.get("turns", 0) + 1,
        "history": [
            {"role": "customer", "text": said[:500]},
            {"role": "agent", "text": answered[:500]},
        ],
    }
