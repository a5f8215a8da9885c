"""Understand the message (tap ids directly, text through the provider) and route it."""

from __future__ import annotations

from langgraph.runtime import Runtime

from whsp_ai.db.repositories import products
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin
from whsp_ai.graph.services import Services
from whsp_ai.graph.state import State, Update
from whsp_ai.nlu import intents, lexicon
from whsp_ai.nlu.models import CartAction, ProductRef, SearchFilters, TurnInput, Understanding
from whsp_ai.text.fold import fold
from whsp_ai.tools import customers as customer_tools

_CART_INTENTS = {"add", "remove", "set_quantity", "cart_edit"}


async def understand(state: State, runtime: Runtime[Context]) -> Update:
    ctx, services, business, lang = await begin(state, runtime)
    checkout = state.get("checkout")
    action_id = state.get("action_id")
    if action_id:
        understanding = from_action(action_id, business.payment_methods)
    else:
        turn = TurnInput(
            text=state.get("text", ""),
            locale=lang,
            shown=[item["name"] for item in state.get("shown") or []],
            expecting=checkout["stage"] if checkout else None,
            payment_methods=list(business.payment_methods),
            categories=await services.categories(ctx.business_id),
            history=list(state.get("history") or []),
            business_prompt=await services.business_prompt(ctx.business_id),
        )
        understanding = await services.understander.understand(turn)
    understanding = answer_to_which(understanding, state)
    understanding = await picked_from_list(understanding, state, services, ctx.business_id)
    update: Update = {
        "understanding": understanding.model_dump(mode="json"),
        "lang": understanding.language or lang,
        "replies": [],
        "new_approvals": [],
    }
    if understanding.intent not in _CART_INTENTS:
        update["pending"] = None  # a "which one?" is answered by the next message or dropped
    if "customer_id" not in state:
        async with services.session() as session:
            update["customer_id"] = await customer_tools.customer_id(
                session, business_id=ctx.business_id, wa_id=ctx.customer_wa_id
            )
    return update


def route(state: State) -> str:
    """Pure: the responder this turn's intent names (nlu/intents.py); a checkout answer
    with no checkout waiting, or an intent nobody registered, is "other"."""
    understanding = state.get("understanding") or {}
    spec = intents.BY_NAME.get(understanding.get("intent", "other"))
    if spec is None or (spec.checkout_answer and not state.get("checkout")):
        return "other"
    if spec.name == "other" and state.get("checkout"):
        return "checkout"  # nothing clear while checkout waits: ask its question again
    return spec.responder


_OP_INTENTS = {"add": "add", "remove": "remove", "set": "set_quantity"}


def answer_to_which(understanding: Understanding, state: State) -> Understanding:
    """After "which one?", tapping one of the choices or naming it ('el plano', 'the milk
    oolong') picks it for the action that asked, instead of just showing it."""
    pending = state.get("pending")
    shown = state.get("shown") or []
    if not pending or not shown or understanding.intent != "search":
        return understanding
    if understanding.filters != SearchFilters():
        return understanding
    if understanding.sku:
        picked = [item for item in shown if item["sku"] == understanding.sku]
    else:
        said = [w for w in fold(understanding.search_query or "").split() if len(w) > 1]
        picked = [item for item in shown if said and _names(said, fold(item["name"]).split())]
    if len(picked) != 1 or pending.get("op") not in _OP_INTENTS:
        return understanding
    action = CartAction(
        op=pending["op"], product=ProductRef(sku=picked[0]["sku"]), quantity=pending.get("quantity")
    )
    return Understanding(
        intent=_OP_INTENTS[pending["op"]],
        actions=[action],
        language=understanding.language,
    )


# Words that only point: 'the glass one', 'el de 4 litros', 'la más barata'.
_POINTING = lexicon.words("one ones uno una el la los las lo the de del of that a an")


async def picked_from_list(
    understanding: Understanding, state: State, services: Services, business_id: int
) -> Understanding:
    """A product of the list just shown, named by what sets it apart: 'the glass one',
    'la más barata', 'the most expensive one'."""
    shown = state.get("shown") or []
    if len(shown) < 2 or understanding.intent not in _CART_INTENTS:
        return understanding
    if len(understanding.actions) != 1 or not understanding.actions[0].product.query:
        return understanding
    action = understanding.actions[0]
    said = [w for w in fold(action.product.query or "").split() if w not in _POINTING]
    phrase = " ".join(said)
    if not said:
        return understanding
    if lexicon.CHEAP_RE.fullmatch(phrase) or lexicon.PRICEY_RE.fullmatch(phrase):
        async with services.session() as session:
            found = [
                p
                for item in shown
                if (p := await products.by_sku(session, business_id=business_id, sku=item["sku"]))
            ]
        if not found:
            return understanding
        cheapest = lexicon.CHEAP_RE.fullmatch(phrase) is not None
        sku = (min if cheapest else max)(found, key=lambda p: p.price).sku
    else:
        picked = [item for item in shown if _names(said, fold(item["name"]).split())]
        if len(picked) != 1:
            return understanding
        sku = picked[0]["sku"]
    product = ProductRef(sku=sku)
    return understanding.model_copy(
        update={"actions": [action.model_copy(update={"product": product})]}
    )


def _names(said: list[str], name: list[str]) -> bool:
    """Every word said is (the start of) a word of the name: 'plano', 'milk oolong'."""
    return all(any(n.startswith(w.rstrip("s")) for n in name) for w in said)


def from_action(action_id: str, payment_methods: list[str]) -> Understanding:
    """A tapped button or list row: its id says exactly what to do."""
    kind, _, arg = action_id.partition(":")
    if kind == "add" and arg:
        sku, _, count = arg.partition(":")  # "add:SKU:3" from a "how many packs?" button
        quantity = int(count) if count.isdigit() and 0 < int(count) <= 999 else 1
        action = CartAction(op="add", product=ProductRef(sku=sku), quantity=quantity)
        return Understanding(intent="add", actions=[action])
    if kind == "product" and arg:
        return Understanding(intent="search", sku=arg)
    if kind == "category" and arg:
        return Understanding(intent="search", filters=SearchFilters(category=arg))
    if action_id == "cart:view":
        return Understanding(intent="view_cart")
    if action_id == "checkout:start":
        return Understanding(intent="checkout")
    if action_id in ("checkout:continue", "order:confirm"):
        return Understanding(intent="confirm")
    if action_id == "checkout:edit":
        return Understanding(intent="deny")
    if kind == "ask_owner" and arg:
        return Understanding(intent="search", search_query=arg)
    if action_id == "address:saved":
        return Understanding(intent="provide_address", same_address=True, is_address=True)
    if action_id == "order:cancel":
        return Understanding(intent="cancel")
    if kind == "pay" and arg.isdigit() and 0 <= int(arg) < len(payment_methods):
        return Understanding(intent="choose_payment", payment_method=payment_methods[int(arg)])
    return Understanding(intent="other")
