"""Understand the message (tap ids directly, text through the provider) and route it."""

from __future__ import annotations

from langgraph.runtime import Runtime

from whsp_ai.db.models import Business
from whsp_ai.db.repositories import products
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin
from whsp_ai.graph.pick import pick
from whsp_ai.graph.question import as_question
from whsp_ai.graph.services import Services
from whsp_ai.graph.state import State, Update
from whsp_ai.graph.voiced import turn_facts
from whsp_ai.nlu import intents, lexicon
from whsp_ai.nlu.models import CartAction, ProductRef, SearchFilters, TurnInput, Understanding
from whsp_ai.prompts.texts import Lang
from whsp_ai.text.fold import fold
from whsp_ai.tools import customers as customer_tools
from whsp_ai.voice.facts import business_facts

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
            facts=await _turn_facts(services, state, business, lang),
        )
        understanding = await services.understander.understand(turn)
        understanding = await as_question(
            understanding, turn.text, services, business, turn.expecting, state.get("shown")
        )
    understanding = answer_to_which(understanding, state)
    understanding = ranked_from_list(understanding, state)
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
    written = understanding.language
    if written and written != state.get("locale_saved"):  # only when it changes: no write a turn
        async with services.session() as session:
            await customer_tools.remember_locale(
                session,
                business_id=ctx.business_id,
                customer_id=update.get("customer_id") or state["customer_id"],
                locale=written,
            )
        update["locale_saved"] = written
    return update


async def _turn_facts(services: Services, state: State, business: Business, lang: Lang) -> str:
    """This turn's facts for a model (the shop's time, the cart); the business's own facts
    are in its system prompt. Empty offline."""
    if services.writer is None:
        return ""
    facts = await turn_facts(services, business, lang, state.get("customer_id"))
    now = [f for f in facts.figures if f not in business_facts(business, lang).figures]
    return "FACTS this turn:\n" + facts.but(rules=(), entries=(), figures=now).render()


_RANKS = (lexicon.CHEAP_RE, lexicon.PRICEY_RE, lexicon.BIGGEST_RE, lexicon.SMALLEST_RE)


def ranked_from_list(understanding: Understanding, state: State) -> Understanding:
    """'cuál es la más larga' right after a list: a pick from it (the search node picks)."""
    if understanding.intent != "other" or not state.get("shown"):
        return understanding
    said = fold(state.get("text", ""))
    if not any(rx.search(said) for rx in _RANKS):
        return understanding
    return Understanding(intent="search", language=understanding.language)


def route(state: State) -> str:
    """Pure: the responder this turn's intent names (nlu/intents.py); a checkout answer
    with no checkout waiting, or an intent nobody registered, is "other"."""
    understanding = state.get("understanding") or {}
    spec = intents.BY_NAME.get(understanding.get("intent", "other"))
    if spec is None or (spec.checkout_answer and not state.get("checkout")):
        return "other"
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
        if len(picked) == 1:
            sku = picked[0]["sku"]
        else:  # 'the smoky one', 'la más grande': by another name, the description or size
            async with services.session() as session:
                chosen = await pick(
                    session, business_id=business_id, text=action.product.query or "", shown=shown
                )
            if chosen is None or len(chosen.products) != 1:
                return understanding
            sku = chosen.products[0].sku
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
        action = CartAction(op="add", product=ProductRef(sku=arg), quantity=1)
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
    if action_id == "order:cancel":
        return Understanding(intent="cancel")
    if kind == "pay" and arg.isdigit() and 0 <= int(arg) < len(payment_methods):
        return Understanding(intent="choose_payment", payment_method=payment_methods[int(arg)])
    return Understanding(intent="other")
