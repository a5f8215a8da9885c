"""Issue 13: addresses read as addresses, yes/no at checkout, corrections, totals, packs."""

from __future__ import annotations

from typing import Any

import pytest

from whsp_ai.graph import clarify
from whsp_ai.graph.checkout import next_step, saved_button
from whsp_ai.graph.router import from_action, route
from whsp_ai.nlu.models import TurnInput, Understanding
from whsp_ai.nlu.offline import understand
from whsp_ai.nlu.offline.address import reads_as_address, same_address


def said(text: str, stage: Any = None, locale: Any = "es") -> Understanding:
    methods = ["efectivo", "transferencia", "tarjeta"] if locale == "es" else ["card", "cash"]
    return understand(TurnInput(text=text, locale=locale, expecting=stage, payment_methods=methods))


@pytest.mark.parametrize(
    "text",
    [
        "¿cuánto tarda en llegar?",
        "hola otra vez jaja",
        "hi again lol",
        "a mi casa",
        "ok",
        "idk",
        "do you deliver to brooklyn?",
        "la misma que te di",
        "espera la busco",
    ],
)
def test_what_is_not_an_address_is_never_taken_as_one(text: str) -> None:
    u = said(text, "address")
    assert u.address is None  # the old rule took any words at this step
    assert not reads_as_address(text)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Calle Morelos 123, Col. Centro, Guadalajara",
            "Calle Morelos 123, Col. Centro, Guadalajara",
        ),
        ("Hidalgo 45 centro, Toluca", "Hidalgo 45 centro, Toluca"),
        ("mi direccion es Hidalgo 89, Col. Americana", "Hidalgo 89, Col. Americana"),
        ("221B Baker Street, London", "221B Baker Street, London"),
    ],
)
def test_addresses_at_the_address_step(text: str, address: str) -> None:
    u = said(text, "address")
    assert (u.intent, u.address, u.is_address) == ("provide_address", address, True)


def test_an_address_while_the_cart_confirmation_is_open_is_yes_and_the_address() -> None:
    u = said("si, a Av. Reforma 222, Juárez", "confirm_cart")
    assert (u.intent, u.address) == ("provide_address", "Av. Reforma 222, Juárez")
    assert said("agrega 2 brochas de 4", "confirm_cart").intent == "add"
    u = said("yes please, 31 Spring St, NYC", "confirm_cart", "en")
    assert u.address == "31 Spring St, NYC"


@pytest.mark.parametrize(
    ("text", "stage", "address"),
    [
        (
            "cambia la dirección a Calle Cedro 10, Col. Centro",
            "payment",
            "Calle Cedro 10, Col. Centro",
        ),
        ("la direccion correcta es Mina 9, Guerrero", "confirm_order", "Mina 9, Guerrero"),
        ("wait, my address is 12 Elm St, Boston", "confirm_order", "12 Elm St, Boston"),
        (
            "ship to my office instead: 400 Broadway, Nashville",
            "payment",
            "400 Broadway, Nashville",
        ),
    ],
)
def test_the_address_can_change_later(text: str, stage: str, address: str) -> None:
    u = said(text, stage, "es" if "direcci" in text else "en")
    assert (u.intent, u.address) == ("provide_address", address)


def test_the_saved_address_is_asked_for_by_words_or_a_tap() -> None:
    for text in ("la misma", "a la de siempre", "same as last time", "the usual"):
        assert same_address(text)
        assert said(text, "address").same_address
    assert not same_address("hola otra vez jaja")  # 'la otra vez' inside 'hola otra vez'
    tapped = from_action("address:saved", [])
    assert (tapped.intent, tapped.same_address) == ("provide_address", True)
    title = saved_button("Calle Morelos 123, Col. Centro, Guadalajara", "es")
    assert title == "Usar Calle Morelos…" and len(title) <= 20


@pytest.mark.parametrize(
    ("text", "stage", "intent"),
    [
        ("sip dale", "confirm_cart", "confirm"),
        ("órale, confírmalo", "confirm_order", "confirm"),
        ("yes please place it", "confirm_order", "confirm"),
        ("sounds good, place the order", "confirm_order", "confirm"),
        ("nah wait", "confirm_order", "deny"),
        ("espérame tantito", "confirm_cart", "deny"),
    ],
)
def test_yes_and_no_at_checkout(text: str, stage: str, intent: str) -> None:
    assert said(text, stage, "en" if text.isascii() and " " in text else "es").intent == intent


@pytest.mark.parametrize(
    "text", ["¿y todo junto cuánto es?", "cuánto le debo?", "what's the damage?", "total pls"]
)
def test_questions_about_the_total_show_the_cart(text: str) -> None:
    assert said(text).intent == "view_cart"


@pytest.mark.parametrize(
    ("text", "quantity"),
    [("oops I meant 2", 2), ("no, mejor 3", 3), ("perdón quise decir 4", 4), ("typo, 1", 1)],
)
def test_corrections_set_the_last_line(text: str, quantity: int) -> None:
    u = said(text)
    assert u.intent == "set_quantity"
    [action] = u.actions
    assert (action.op, action.product.last, action.quantity) == ("set", True, quantity)


@pytest.mark.parametrize("text", ["cancela todo", "ya no quiero nada", "empty my cart"])
def test_cancel_all_empties_the_cart(text: str) -> None:
    assert said(text).intent == "clear_cart"
    assert said(text, "address").intent == "clear_cart"


def test_pieces_counted_for_a_product_sold_in_packs_are_asked() -> None:
    name = 'Pija para madera 10 x 1 1/2" (bolsa 50)'
    assert clarify.counts_pieces("ocupo 10 tornillos para madera", 10, name) == 50
    assert clarify.counts_pieces("agrega 2 bolsas de pijas", 2, name) is None
    assert clarify.counts_pieces("I need 10 tea filters", 10, "Paper Tea Filters (100 pack)") == 100
    assert clarify.counts_pieces("add 3 sencha", 3, "Sencha 100 g") is None
    reply = clarify.ask_packs("TOR-PIJ", name, 10, 50, "es")
    assert [b["id"] for b in reply.get("buttons", [])] == ["add:TOR-PIJ:1", "add:TOR-PIJ:10"]
    tapped = from_action("add:TOR-PIJ:10", [])
    assert tapped.actions[0].quantity == 10 and tapped.actions[0].product.sku == "TOR-PIJ"


def test_checkout_steps_take_an_address_and_re_ask_anything_unclear() -> None:
    def step(stage: str, intent: str) -> str:
        state: Any = {"checkout": {"stage": stage}, "understanding": {"intent": intent}}
        return next_step(state)

    assert step("confirm_cart", "provide_address") == "ask_payment"
    assert step("payment", "provide_address") == "ask_payment"
    assert step("confirm_order", "provide_address") == "ask_confirm"
    assert step("address", "other") == "ask_address"
    waiting: Any = {"checkout": {"stage": "address"}, "understanding": {"intent": "other"}}
    assert route(waiting) == "checkout"
    assert route({"understanding": {"intent": "other"}}) == "other"  # type: ignore[typeddict-item]


def test_no_owner_request_at_checkout_or_on_an_unclear_reading() -> None:
    clear_u = Understanding(intent="search", search_query="taladro inalambrico")
    assert clarify.may_ask_owner({}, clear_u)  # type: ignore[typeddict-item]
    waiting: Any = {"checkout": {"stage": "address"}}
    assert not clarify.may_ask_owner(waiting, clear_u)
    assert not clarify.may_ask_owner({}, clear_u.model_copy(update={"confidence": 0.6}))  # type: ignore[typeddict-item]
    assert said("cuanto seria por todo junto").intent == "view_cart"
    assert said("¿cuánto tarda en llegar?").confidence < clarify.CLEAR
