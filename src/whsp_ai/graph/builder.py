"""Builds the sales graph and the approval graph; exports both compiled WITHOUT a checkpointer.

The app compiles `builder` and `approval_builder` once, with the Postgres saver
(graph/engine.py). `graph` and `approval_graph` are what langgraph.json hands to Studio.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from whsp_ai.graph.approvals import build_approvals
from whsp_ai.graph.cart import cart
from whsp_ai.graph.checkout import build_checkout
from whsp_ai.graph.context import Context
from whsp_ai.graph.conversation import (
    cancel,
    clear_cart,
    greet,
    help_,
    other,
    remember,
    view_cart,
)
from whsp_ai.graph.router import route, understand
from whsp_ai.graph.search import search
from whsp_ai.graph.state import InputState, OutputState, State


def build_sales() -> StateGraph[State, Context, InputState, OutputState]:
    graph = StateGraph(
        State, context_schema=Context, input_schema=InputState, output_schema=OutputState
    )
    graph.add_node("router", understand)
    responders = {
        "greet": greet,
        "search": search,
        "cart": cart,
        "view_cart": view_cart,
        "clear_cart": clear_cart,
        "cancel": cancel,
        "help": help_,
        "other": other,
    }
    for name, node in responders.items():
        graph.add_node(name, node)
        graph.add_edge(name, "remember")
    graph.add_node("checkout", build_checkout().compile())
    graph.add_edge("checkout", "remember")
    graph.add_node("remember", remember)
    graph.add_edge(START, "router")
    graph.add_conditional_edges("router", route)
    graph.add_edge("remember", END)
    return graph


builder = build_sales()
approval_builder = build_approvals()
graph = builder.compile()
approval_graph = approval_builder.compile()
