"""The LangChain tools take the tenant from the run context and refuse bad arguments clearly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from langgraph.graph import START, StateGraph

from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.db.models import Product
from whsp_ai.db.repositories import carts, customers
from whsp_ai.graph.context import Context
from whsp_ai.graph.engine import Engine
from whsp_ai.graph.tools import add_to_cart, search_products, set_quantity, view_cart

WA = "5215500009999"


class Calls(TypedDict):
    calls: list[tuple[str, dict[str, Any]]]
    results: list[Any]


TOOLS = {t.name: t for t in (add_to_cart, search_products, set_quantity, view_cart)}


async def run_tools(business_id: int, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """Run tool calls inside a graph, the way an agent node would, with a run context."""

    async def node(state: Calls) -> dict[str, Any]:
        return {"results": [await TOOLS[name].ainvoke(args) for name, args in state["calls"]]}

    graph = StateGraph(Calls, context_schema=Context)
    graph.add_node("tools", node)
    graph.add_edge(START, "tools")
    out = await graph.compile().ainvoke(
        {"calls": calls, "results": []}, context=Context(business_id, WA, "es")
    )
    return list(out["results"])


async def test_tools_use_the_context_tenant(db: Database, engine: Engine) -> None:
    a = (await make_business(db, 1)).business_id
    b = (await make_business(db, 2)).business_id
    async with db.session() as s:
        s.add(Product(business_id=b, sku="SOLO-B", name="Solo de B", price=Decimal(1)))
    found, added, foreign, cart = await run_tools(
        a,
        [
            ("search_products", {"query": "concha"}),
            ("add_to_cart", {"sku": "CONCHA", "quantity": 2}),
            ("add_to_cart", {"sku": "SOLO-B", "quantity": 1}),
            ("view_cart", {}),
        ],
    )
    assert found[0]["sku"] == "CONCHA" and found[0]["price"] == "12.50"
    assert added == {"result": "added", "sku": "CONCHA", "in_cart": 2}
    assert "unknown sku 'SOLO-B'" in foreign
    assert cart["total"] == "55.00" and cart["currency"] == "MXN"
    async with db.session() as s:
        customer = await customers.by_wa_id(s, business_id=a, wa_id=WA)
        assert customer is not None and customer.id is not None
        lines = await carts.lines(s, business_id=a, customer_id=customer.id)
    assert [(line.sku, line.quantity) for line in lines] == [("CONCHA", 2)]


async def test_bad_arguments_are_clear_tool_errors(db: Database, engine: Engine) -> None:
    a = (await make_business(db)).business_id
    negative, unknown, too_many = await run_tools(
        a,
        [
            ("add_to_cart", {"sku": "CONCHA", "quantity": -2}),
            ("set_quantity", {"sku": "NOPE", "quantity": 1}),
            ("set_quantity", {"sku": "CONCHA", "quantity": 10}),
        ],
    )
    assert "quantity" in negative and "greater than or equal to 1" in negative
    assert "unknown sku 'NOPE'" in unknown
    assert too_many == {"result": "added_partial", "sku": "CONCHA", "in_cart": 3}  # stock 3
