"""What every node of the sales graph starts from, and the registry of responder nodes.

A responder answers one or more intents (nlu/intents.py names it); it registers itself with
`@responder("name")` in its own module, and the builder adds every one the intents name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple, TypeVar

from langgraph.runtime import Runtime

from whsp_ai.db.models import Business
from whsp_ai.graph.context import Context
from whsp_ai.graph.services import Services, current
from whsp_ai.graph.state import State
from whsp_ai.prompts.texts import Lang

Node = Callable[[State, Runtime[Context]], Awaitable[dict[str, Any]]]
RESPONDERS: dict[str, Any] = {}  # name -> node function, or a compiled subgraph
N = TypeVar("N")


class Scope(NamedTuple):
    """The run's context, the services, the business and the language of this turn."""

    ctx: Context
    services: Services
    business: Business
    lang: Lang


async def begin(state: State, runtime: Runtime[Context]) -> Scope:
    """The prologue every node needs: `ctx, services, business, lang = await begin(...)`."""
    ctx = runtime.context
    services = await current()
    business = await services.business(ctx.business_id)
    return Scope(ctx, services, business, state.get("lang") or ctx.locale)


def responder(name: str) -> Callable[[N], N]:
    """Register a node (or a compiled subgraph) as the responder called `name`."""

    def register(node: N) -> N:
        if name in RESPONDERS:
            raise ValueError(f"two responders are called {name!r}")
        RESPONDERS[name] = node
        return node

    return register
