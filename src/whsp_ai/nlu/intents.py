"""The intents, in one registry: the understanding's schema, the offline phrases and the
graph's router all read it, so a new intent is an entry here, its node, and its words.

Order matters where words could say two things: the offline rules try the `phrases`
concepts of the entries in this order ("cancela todo" empties the cart before it cancels).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IntentSpec:
    name: str
    meaning: str  # one line, for people and for the model's schema
    responder: str  # the graph node that answers it
    # The vocabulary concept (nlu/vocabulary/*.yaml) whose phrases, said as a whole
    # message, mean this intent outright; None when the rules find it another way.
    phrases: str | None = None
    # Meaningful only as the answer to a checkout question; anywhere else it is "other".
    checkout_answer: bool = False


INTENTS: tuple[IntentSpec, ...] = (
    IntentSpec("greet", "hola / hi, with nothing else to do", "greet"),
    IntentSpec(
        "search", "find or ask about products, prices, availability ('tienen focos?')", "search"
    ),
    IntentSpec("add", "put products in the cart", "cart"),
    IntentSpec("remove", "take products out of the cart", "cart"),
    IntentSpec("set_quantity", "change how many of a product ('mejor que sean 3')", "cart"),
    IntentSpec("cart_edit", "several cart operations of different kinds in one message", "cart"),
    IntentSpec(
        "clear_cart",
        "'vacía mi carrito', 'empty my cart': take every product out",
        "clear_cart",
        phrases="clear_cart",
    ),
    IntentSpec("cancel", "abandon the current checkout / operation", "cancel", phrases="cancel"),
    # before help: "menu" at a shop asks what it sells
    IntentSpec(
        "browse",
        "'qué venden?', 'what do you have?': what the shop sells, by category",
        "browse",
        phrases="browse",
    ),
    IntentSpec("help", "how does this work, what can you do", "help", phrases="help"),
    IntentSpec("view_cart", "'qué llevo?', 'show my cart'", "view_cart", phrases="view_cart"),
    IntentSpec(
        "checkout", "'quiero pagar', 'that's all', 'checkout'", "checkout", phrases="checkout"
    ),
    IntentSpec(
        "confirm",
        "yes / sí / dale (only meaningful when a question is pending)",
        "checkout",
        checkout_answer=True,
    ),
    IntentSpec("deny", "no / mejor no / nope", "checkout", checkout_answer=True),
    IntentSpec(
        "provide_address",
        "a delivery address (when one is expected)",
        "checkout",
        checkout_answer=True,
    ),
    IntentSpec(
        "choose_payment",
        "a payment method (when one is expected)",
        "checkout",
        checkout_answer=True,
    ),
    IntentSpec(
        "handoff",
        "wants a person, not the agent: 'quiero hablar con una persona', 'talk to a human'",
        "handoff",
        phrases="handoff",
    ),
    IntentSpec(
        "question",
        "a question about the business itself: hours, address, delivery, fees, payment, "
        "returns, discounts, policies ('abren el domingo?', 'do you take cards?')",
        "question",
    ),
    IntentSpec(
        "need",
        "a need, not a product name: 'algo para colgar cuadros', 'something for a cold'",
        "need",
    ),
    IntentSpec("other", "anything else: thanks, small talk, out of scope", "other"),
)

BY_NAME: dict[str, IntentSpec] = {spec.name: spec for spec in INTENTS}
NAMES: tuple[str, ...] = tuple(BY_NAME)
RESPONDERS: tuple[str, ...] = tuple(dict.fromkeys(spec.responder for spec in INTENTS))
