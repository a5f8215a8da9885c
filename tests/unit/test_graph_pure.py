"""The graph's pure functions, on their own: routing, checkout steps, taps, "which one?"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from whsp_ai.graph.checkout import next_step
from whsp_ai.graph.router import answer_to_which, from_action, route
from whsp_ai.graph.search import is_clear_winner
from whsp_ai.graph.state import State
from whsp_ai.nlu.models import CartAction, ProductRef, SearchFilters, Understanding
from whsp_ai.tools.catalog import ProductHit, SearchResult

METHODS = ["efectivo", "transferencia", "tarjeta"]


def _state(intent: str | None = None, **extra: Any) -> State:
    state: dict[str, Any] = {"replies": [], "history": [], **extra}
    if intent is not None:
        state["understanding"] = {"intent": intent}
    return state  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("add", "cart"),
        ("remove", "cart"),
        ("set_quantity", "cart"),
        ("cart_edit", "cart"),
        ("search", "search"),
        ("greet", "greet"),
        ("view_cart", "view_cart"),
        ("clear_cart", "clear_cart"),
        ("checkout", "checkout"),
        ("cancel", "cancel"),
        ("help", "help"),
        ("other", "other"),
    ],
)
def test_route_sends_each_intent_to_its_responder(intent: str, expected: str) -> None:
    assert route(_state(intent)) == expected


@pytest.mark.parametrize("intent", ["confirm", "deny", "provide_address", "choose_payment"])
def test_checkout_answers_go_to_checkout_only_while_it_waits(intent: str) -> None:
    assert route(_state(intent, checkout={"stage": "address"})) == "checkout"
    assert route(_state(intent)) == "other"
    assert route(_state(intent, checkout=None)) == "other"


def test_route_without_understanding_is_other() -> None:
    assert route(_state()) == "other"


@pytest.mark.parametrize(
    ("stage", "intent", "expected"),
    [
        (None, "checkout", "review"),
        (None, "confirm", "review"),
        ("payment", "checkout", "review"),  # asking to check out again starts over
        ("confirm_cart", "confirm", "ask_address"),
        ("confirm_cart", "deny", "pause"),
        ("confirm_cart", "other", "review"),
        ("address", "provide_address", "ask_payment"),
        ("address", "confirm", "ask_address"),
        ("address", "other", "ask_address"),
        ("payment", "choose_payment", "ask_confirm"),
        ("payment", "provide_address", "ask_payment"),
        ("confirm_order", "confirm", "place_order"),
        ("confirm_order", "deny", "pause"),
        ("confirm_order", "other", "ask_confirm"),
    ],
)
def test_next_step(stage: str | None, intent: str, expected: str) -> None:
    checkout = {"stage": stage} if stage else None
    assert next_step(_state(intent, checkout=checkout)) == expected


def test_from_action_reads_every_tap_kind() -> None:
    add = from_action("add:TORN-1", METHODS)
    assert add.intent == "add"
    assert add.actions == [CartAction(op="add", product=ProductRef(sku="TORN-1"), quantity=1)]
    assert from_action("product:TORN-1", METHODS) == Understanding(intent="search", sku="TORN-1")
    assert from_action("category:Pinturas", METHODS).filters == SearchFilters(category="Pinturas")
    assert from_action("cart:view", METHODS).intent == "view_cart"
    assert from_action("checkout:start", METHODS).intent == "checkout"
    assert from_action("checkout:continue", METHODS).intent == "confirm"
    assert from_action("order:confirm", METHODS).intent == "confirm"
    assert from_action("checkout:edit", METHODS).intent == "deny"
    assert from_action("order:cancel", METHODS).intent == "cancel"
    paid = from_action("pay:2", METHODS)
    assert (paid.intent, paid.payment_method) == ("choose_payment", "tarjeta")


@pytest.mark.parametrize(
    "action_id", ["pay:3", "pay:-1", "pay:x", "add:", "product:", "nonsense", "", "cart:delete"]
)
def test_from_action_refuses_what_it_does_not_know(action_id: str) -> None:
    assert from_action(action_id, METHODS).intent == "other"


SHOWN = [
    {"sku": "DES-PLANO", "name": "Desarmador plano 1/4"},
    {"sku": "DES-CRUZ", "name": "Desarmador de cruz #2"},
]


def test_answer_to_which_picks_the_named_choice_for_the_waiting_action() -> None:
    pending = {"op": "add", "quantity": 3}
    said = Understanding(intent="search", search_query="plano", language="es")
    picked = answer_to_which(said, _state("search", pending=pending, shown=SHOWN))
    assert picked.intent == "add"
    assert picked.actions == [CartAction(op="add", product=ProductRef(sku="DES-PLANO"), quantity=3)]
    assert picked.language == "es"


def test_answer_to_which_takes_a_tapped_row() -> None:
    pending = {"op": "remove", "quantity": None}
    tapped = Understanding(intent="search", sku="DES-CRUZ")
    picked = answer_to_which(tapped, _state("search", pending=pending, shown=SHOWN))
    assert picked.intent == "remove"
    assert picked.actions[0].product.sku == "DES-CRUZ"


@pytest.mark.parametrize(
    ("understanding", "extra"),
    [
        # nothing waiting
        (Understanding(intent="search", search_query="plano"), {"shown": SHOWN}),
        # names both, or neither
        (Understanding(intent="search", search_query="desarmador"), {}),
        (Understanding(intent="search", search_query="martillo"), {}),
        # a new search with filters is not an answer
        (
            Understanding(
                intent="search", search_query="plano", filters=SearchFilters(max_price=10)
            ),
            {},
        ),
        # not a search at all
        (Understanding(intent="view_cart"), {}),
    ],
)
def test_answer_to_which_leaves_anything_else_alone(
    understanding: Understanding, extra: dict[str, Any]
) -> None:
    state = _state("search", pending={"op": "add", "quantity": 1}, shown=SHOWN)
    state.update(extra)  # type: ignore[typeddict-item]
    if "shown" in extra:
        state["pending"] = None
    assert answer_to_which(understanding, state) == understanding


def _hit(sku: str, score: float) -> ProductHit:
    return ProductHit(
        id=1,
        sku=sku,
        name=sku,
        description="",
        price=Decimal("1"),
        stock=None,
        category=None,
        status="confirmed",
        score=score,
    )


@pytest.mark.parametrize(
    ("confidence", "scores", "expected"),
    [
        ("exact", [1.0], True),
        ("exact", [1.0, 0.9], True),
        ("exact", [1.0, 1.0], False),  # two products answer to the same name
        ("likely", [0.9, 0.75], True),
        ("likely", [0.9, 0.85], False),
        ("likely", [0.9], True),
        ("weak", [0.9], False),
        ("none", [], False),
        ("exact", [], False),
    ],
)
def test_is_clear_winner(confidence: str, scores: list[float], expected: bool) -> None:
    result = SearchResult(
        hits=[_hit(f"S{i}", s) for i, s in enumerate(scores)],
        confidence=confidence,  # type: ignore[arg-type]
    )
    assert is_clear_winner(result) is expected
