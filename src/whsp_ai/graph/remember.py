"""The commit node every turn ends in: the replies queued, the message marked processed,
and a short window of the conversation kept in the state."""

from __future__ import annotations

from langgraph.runtime import Runtime

from whsp_ai.graph.context import Context
from whsp_ai.graph.services import current
from whsp_ai.graph.state import State, Update
from whsp_ai.tools import messages as message_tools


async def remember(state: State, runtime: Runtime[Context]) -> Update:
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
