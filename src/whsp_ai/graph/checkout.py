"""The checkout subgraph: review cart → address → payment → confirm → place the order.

Each step asks and ends the turn; the stage waits in the checkpoint (minutes or days) and
the customer's next answer is routed back here by the router. Cancelling, or editing the
cart, leaves the subgraph; the cart itself is never touched until the order is placed.
"""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from whsp_ai.graph import views
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin, responder
from whsp_ai.graph.state import Checkout, State, Update
from whsp_ai.messages import replies
from whsp_ai.messages.limits import BUTTON_TITLE_MAX as BUTTON_MAX
from whsp_ai.nlu.offline.address import reads_as_address
from whsp_ai.prompts.money import money
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.tools import cart as cart_tools
from whsp_ai.tools import customers as customer_tools
from whsp_ai.tools import orders as order_tools

Step = Literal["review", "ask_address", "ask_payment", "ask_confirm", "place_order", "pause"]
MIN_ADDRESS_CHARS = 8


def next_step(state: State) -> Step:
    """Pure: which step this message leads to, from the stage and what the customer said."""
    checkout = state.get("checkout")
    u = state.get("understanding") or {}
    intent = u.get("intent")
    if intent == "checkout" or checkout is None:
        return "review"
    stage = checkout["stage"]
    if intent == "provide_address" and stage in ("confirm_cart", "address", "payment"):
        return "ask_payment"  # an address early counts as yes; a change keeps the step
    if stage == "confirm_cart":
        if intent == "confirm":
            return "ask_address"
        return "pause" if intent == "deny" else "review"
    if stage == "address":
        return "ask_address"
    if stage == "payment":
        return "ask_confirm" if intent == "choose_payment" else "ask_payment"
    if intent == "confirm":
        return "place_order"
    return "pause" if intent == "deny" else "ask_confirm"


async def review(state: State, runtime: Runtime[Context]) -> Update:
    _, services, business, lang = await begin(state, runtime)
    async with services.session() as session:
        summary = await cart_tools.summary(
            session, business=business, customer_id=state["customer_id"]
        )
    if summary.empty:
        return {"replies": [replies.text(t("cart_empty", lang))], "checkout": None}
    body = views.cart_text(summary, business, lang) + "\n\n" + t("checkout_confirm_cart", lang)
    choices = [
        ("checkout:continue", t("btn_continue", lang)),
        ("checkout:edit", t("btn_edit_cart", lang)),
    ]
    return {"replies": [replies.buttons(body, choices)], "checkout": Checkout(stage="confirm_cart")}


async def ask_address(state: State, runtime: Runtime[Context]) -> Update:
    ctx, services, _, lang = await begin(state, runtime)
    checkout = state.get("checkout") or Checkout(stage="address")
    again = checkout["stage"] == "address"
    body = t("ask_address_again" if again else "ask_address", lang)
    update: Update = {"checkout": {**checkout, "stage": "address"}}
    async with services.session() as session:
        saved = await customer_tools.saved_address(
            session, business_id=ctx.business_id, customer_id=state["customer_id"]
        )
    if saved:  # "Usar Calle Morelos 1…": the last order's address, one tap away
        update["replies"] = [replies.buttons(body, [("address:saved", saved_button(saved, lang))])]
    else:
        update["replies"] = [replies.text(body)]
    return update


def saved_button(address: str, lang: Lang) -> str:
    """'Usar Calle Morelos…' within Meta's 20 characters for a button title."""
    title = f"{t('btn_use_address', lang)} {' '.join(address.split())}"
    return title if len(title) <= BUTTON_MAX else title[: BUTTON_MAX - 1].rstrip(" ,") + "…"


async def _take_address(state: State, runtime: Runtime[Context], checkout: Checkout) -> str | None:
    """The address this message gives (said, or the saved one), or None with no change."""
    ctx, services, _, _ = await begin(state, runtime)
    u = state.get("understanding") or {}
    if u.get("intent") != "provide_address":
        return None
    if u.get("same_address"):
        async with services.session() as session:
            return await customer_tools.saved_address(
                session, business_id=ctx.business_id, customer_id=state["customer_id"]
            )
    address = " ".join((u.get("address") or "").split())
    if u.get("is_address") is False or len(address) < MIN_ADDRESS_CHARS:
        return None
    if u.get("is_address") is None and not reads_as_address(address):
        return None  # a model's reading is checked by the same rule as the offline one
    return address[:300]


async def ask_payment(state: State, runtime: Runtime[Context]) -> Update:
    _, _, business, lang = await begin(state, runtime)
    checkout: Checkout = {**(state.get("checkout") or Checkout(stage="payment"))}
    u = state.get("understanding") or {}
    again = checkout["stage"] == "payment"
    address = await _take_address(state, runtime, checkout)
    if u.get("intent") == "provide_address":
        if address is None:
            key = "no_saved_address" if u.get("same_address") else "ask_address_again"
            if checkout["stage"] != "address":
                return {"replies": [replies.text(t(key, lang))]}
            update = await ask_address(state, runtime)
            update["replies"][0]["text"] = t(key, lang)
            return update
        checkout["address"] = address
        again = False
    elif checkout["stage"] in ("address", "confirm_cart"):
        return await ask_address(state, runtime)
    checkout["stage"] = "payment"
    methods = list(business.payment_methods)
    body = t("ask_payment_again" if again else "ask_payment", lang, methods=", ".join(methods))
    if address is not None:
        body = t("address_taken", lang, address=address) + "\n" + body
    choices = [(f"pay:{i}", m.capitalize()) for i, m in enumerate(methods)]
    if len(choices) <= 3:
        reply = replies.buttons(body, choices)
    else:
        reply = replies.rows(body, t("list_payment", lang), [(i, m, "") for i, m in choices])
    return {"replies": [reply], "checkout": checkout}


async def ask_confirm(state: State, runtime: Runtime[Context]) -> Update:
    _, services, business, lang = await begin(state, runtime)
    checkout: Checkout = {**(state.get("checkout") or Checkout(stage="confirm_order"))}
    u = state.get("understanding") or {}
    if checkout["stage"] == "confirm_order" and u.get("intent") == "provide_address":
        address = await _take_address(state, runtime, checkout)
        if address is None:
            key = "no_saved_address" if u.get("same_address") else "ask_address_again"
            return {"replies": [replies.text(t(key, lang))]}
        checkout["address"] = address
    if checkout["stage"] == "payment":
        method = u.get("payment_method")
        if method not in business.payment_methods:
            return await ask_payment(state, runtime)
        checkout["payment_method"] = method
    checkout["stage"] = "confirm_order"
    async with services.session() as session:
        summary = await cart_tools.summary(
            session, business=business, customer_id=state["customer_id"]
        )
    if summary.empty:
        return {"replies": [replies.text(t("cart_empty", lang))], "checkout": None}
    checkout["shown_cart"] = cart_signature(summary)
    body = t(
        "confirm_order",
        lang,
        summary=views.cart_text(summary, business, lang),
        address=checkout.get("address", ""),
        payment=checkout.get("payment_method", ""),
    )
    choices = [("order:confirm", t("btn_confirm", lang)), ("order:cancel", t("btn_cancel", lang))]
    return {"replies": [replies.buttons(body, choices)], "checkout": checkout}


async def place_order(state: State, runtime: Runtime[Context]) -> Update:
    ctx, services, business, lang = await begin(state, runtime)
    checkout = state.get("checkout") or Checkout(stage="confirm_order")
    address, method = checkout.get("address"), checkout.get("payment_method")
    if not address or not method:  # can't happen through the steps; never place half an order
        return await review(state, runtime)
    customer_id = state["customer_id"]
    async with services.session() as session:
        summary = await cart_tools.summary(session, business=business, customer_id=customer_id)
    if summary.empty:
        return {"replies": [replies.text(t("cart_empty", lang))], "checkout": None}
    if cart_signature(summary) != checkout.get("shown_cart"):
        # An owner's answer added an item, or a price changed, since the summary was shown:
        # the customer confirms what they will actually pay, never something else.
        update = await ask_confirm(state, runtime)
        update["replies"][0]["text"] = t("cart_changed", lang) + "\n" + update["replies"][0]["text"]
        return update
    placed = await order_tools.place_order(
        services.session,
        business_id=ctx.business_id,
        customer_id=customer_id,
        delivery_address=address,
        payment_method=method,
    )
    if isinstance(placed, order_tools.Refused):
        return _refused(placed, lang)
    body = t(
        "order_placed",
        lang,
        order=placed.number,  # the business's own number, not the global id
        total=money(placed.total, business.currency),
        address=address,
    )
    return {"replies": [replies.text(body)], "checkout": None}


async def pause(state: State, runtime: Runtime[Context]) -> Update:
    lang: Lang = state.get("lang", runtime.context.locale)
    return {
        "replies": [replies.buttons(t("checkout_paused", lang), views.cart_buttons(lang))],
        "checkout": None,
    }


def _refused(refused: order_tools.Refused, lang: Lang) -> Update:
    if refused.reason == "empty":
        return {"replies": [replies.text(t("cart_empty", lang))], "checkout": None}
    if refused.reason == "stock":
        body = t("order_failed_stock", lang, available=refused.available, name=refused.name)
    else:
        body = t("order_failed_unavailable", lang, name=refused.name)
    return {"replies": [replies.buttons(body, views.cart_buttons(lang))], "checkout": None}


def cart_signature(summary: cart_tools.CartSummary) -> str:
    lines = sorted(f"{line.sku}:{line.quantity}:{line.unit_price}" for line in summary.lines)
    return "|".join([*lines, str(summary.totals.total)])


def build_checkout() -> StateGraph[State, Context, State, State]:
    graph = StateGraph(State, context_schema=Context)
    for name, node in (
        ("review", review),
        ("ask_address", ask_address),
        ("ask_payment", ask_payment),
        ("ask_confirm", ask_confirm),
        ("place_order", place_order),
        ("pause", pause),
    ):
        graph.add_node(name, node)
        graph.add_edge(name, END)
    graph.add_conditional_edges(START, next_step)
    return graph


responder("checkout")(build_checkout().compile())
