"""The small responders: greet, help, other, view the cart, clear it, cancel."""

from __future__ import annotations

from langgraph.runtime import Runtime

from whsp_ai.graph import views
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin, responder
from whsp_ai.graph.question import pending_prompt
from whsp_ai.graph.services import current
from whsp_ai.graph.state import State, Update
from whsp_ai.graph.voiced import turn_facts, voiced
from whsp_ai.messages import limits, replies
from whsp_ai.prompts.texts import t
from whsp_ai.tools import cart as cart_tools


@responder("greet")
async def greet(state: State, runtime: Runtime[Context]) -> Update:
    _, services, business, lang = await begin(state, runtime)
    persona = business.persona or {}
    greeting = persona.get("greeting") if lang == business.language else None
    # The owner's own greeting is kept word for word; otherwise the persona may say hello.
    body = greeting or await voiced(
        await turn_facts(services, business, lang, state.get("customer_id")),
        t(
            "greeting_default",
            lang,
            agent=persona.get("agent_name") or business.name,
            business=business.name,
        ),
        "greeting",
        lang,
        services,
        draft=(state.get("understanding") or {}).get("reply"),
        said=state.get("text", ""),
    )
    if state.get("checkout"):  # mid-checkout: greet back, then the pending question again
        return {"replies": [replies.text(body), *await pending_prompt(state, runtime)]}
    categories = await services.categories(runtime.context.business_id)
    if not categories:
        return {"replies": [replies.text(body)]}
    rows = [(f"category:{c}", c, "") for c in categories[: limits.ROWS_MAX]]
    return {"replies": [replies.rows(body, t("list_categories", lang), rows)]}


@responder("help")
async def help_(state: State, runtime: Runtime[Context]) -> Update:
    _, services, business, lang = await begin(state, runtime)
    agent = (business.persona or {}).get("agent_name") or business.name
    body = await voiced(
        await turn_facts(services, business, lang, state.get("customer_id")),
        t("help", lang, agent=agent, business=business.name),
        "help",
        lang,
        services,
        draft=(state.get("understanding") or {}).get("reply"),
        said=state.get("text", ""),
    )
    return {"replies": [replies.buttons(body, views.cart_buttons(lang))]}


@responder("other")
async def other(state: State, runtime: Runtime[Context]) -> Update:
    _, services, business, lang = await begin(state, runtime)
    # Small talk: the model's words when the guard finds nothing in them the facts don't say.
    body = await voiced(
        await turn_facts(services, business, lang, state.get("customer_id")),
        t("other", lang),
        "small_talk",
        lang,
        services,
        draft=(state.get("understanding") or {}).get("reply"),
        said=state.get("text", ""),
    )
    return {"replies": [replies.text(body)]}


@responder("view_cart")
async def view_cart(state: State, runtime: Runtime[Context]) -> Update:
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
async def clear_cart(state: State, runtime: Runtime[Context]) -> Update:
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
async def cancel(state: State, runtime: Runtime[Context]) -> Update:
    lang = state.get("lang", runtime.context.locale)
    if state.get("checkout"):
        return {"replies": [replies.text(t("checkout_cancelled", lang))], "checkout": None}
    return {"replies": [replies.text(t("nothing_to_cancel", lang))], "pending": None}
