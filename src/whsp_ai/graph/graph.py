"""Builds the sales graph and the approval graph; exports both compiled WITHOUT a checkpointer.

The app compiles `builder` and `approval_builder` once, with the Postgres saver
(graph/engine.py). `graph` and `approval_graph` are what langgraph.json hands to Studio.
The sales graph is drawn from the intent registry (nlu/intents.py): router, then the one
responder the turn's intent names, then remember.
"""

from __future__ import annotations

import importlib

from langgraph.graph import END, START, StateGraph

from whsp_ai.graph.approvals import build_approvals
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import RESPONDERS
from whsp_ai.graph.remember import remember
from whsp_ai.graph.router import route, understand
from whsp_ai.graph.state import InputState, OutputState, State
from whsp_ai.nlu import intents

# The modules whose nodes register themselves as responders (graph/nodes.py).
RESPONDER_MODULES = (
    "conversation",
    "search",
    "cart",
    "checkout",
    "handoff",
    "question",
    "needs",
)


def build_sales() -> StateGraph[State, Context, InputState, OutputState]:
    for module in RESPONDER_MODULES:
        importlib.import_module(f"whsp_ai.graph.{module}")
    missing = [name for name in intents.RESPONDERS if name not in RESPONDERS]
    if missing:
        raise LookupError(f"intents name responders that no node registers: {missing}")
    graph = StateGraph(
        State, context_schema=Context, input_schema=InputState, output_schema=OutputState
    )
    graph.add_node("router", understand)
    for name in intents.RESPONDERS:
        graph.add_node(name, RESPONDERS[name])
        graph.add_edge(name, "remember")
    graph.add_node("remember", remember)
    graph.add_edge(START, "router")
    graph.add_conditional_edges("router", route, list(intents.RESPONDERS))
    graph.add_edge("remember", END)
    return graph


builder = build_sales()
approval_builder = build_approvals()
graph = builder.compile()
approval_graph = approval_builder.compile()
