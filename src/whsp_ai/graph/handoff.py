"""The hand-off responder: the customer asked for a person, so the owner takes over."""

from __future__ import annotations

from langgraph.runtime import Runtime

from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin, responder
from whsp_ai.graph.state import State, Update
from whsp_ai.messages import replies
from whsp_ai.prompts.texts import t
from whsp_ai.tools import handoff as handoff_tools


@responder("handoff")
async def handoff(state: State, runtime: Runtime[Context]) -> Update:
    """Marks the conversation handed off and notifies the owner (tools/handoff.py); from
    the next message on, the worker keeps the agent silent until it is handed back."""
    ctx, services, business, lang = await begin(state, runtime)
    async with services.session() as session:
        await handoff_tools.hand_off(session, business_id=ctx.business_id, wa_id=ctx.customer_wa_id)
    body = t("handoff_customer", lang, business=business.name)
    # A checkout or a "which one?" under way is dropped: the person takes it from here.
    return {"replies": [replies.text(body)], "checkout": None, "pending": None}
