"""The cart node: several adds, removes and quantity changes in one message, with stock rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from langgraph.runtime import Runtime
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import ApprovalKind, Business, Product
from whsp_ai.db.repositories import carts, products
from whsp_ai.graph import views
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin, responder
from whsp_ai.graph.search import is_clear_winner
from whsp_ai.graph.services import Services, current
from whsp_ai.graph.state import Pending, ShownItem, State, Update, understanding_of
from whsp_ai.graph.voiced import turn_facts, voiced
from whsp_ai.messages import replies
from whsp_ai.nlu.models import CartAction
from whsp_ai.prompts.money import money
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.text.fold import fold
from whsp_ai.text.search import tokens
from whsp_ai.tools import asks
from whsp_ai.tools import cart as cart_tools
from whsp_ai.tools.cart import CartChange
from whsp_ai.tools.catalog import ProductHit, score_text, search_products
from whsp_ai.voice.facts import product_fact


@dataclass
class Turn:
    """What the cart node accumulates while it works through the actions."""

    lines: list[str] = field(default_factory=list)
    choices: list[ProductHit] = field(default_factory=list)
    new_approvals: list[int] = field(default_factory=list)
    focus: ShownItem | None = None
    pending: Pending | None = None
    changed: bool = False


@responder("cart")
async def cart(state: State, runtime: Runtime[Context]) -> Update:
    _, services, business, lang = await begin(state, runtime)
    u = understanding_of(state)
    turn = Turn(focus=state.get("focus"))
    actions = _with_pending(u.actions, state.get("pending"))

    async with services.session() as session:
        for action in actions:
            await _apply(session, action, state, turn, business, lang, state["customer_id"])
        summary = await cart_tools.summary(
            session, business=business, customer_id=state["customer_id"]
        )

    update: Update = {"new_approvals": turn.new_approvals, "pending": turn.pending}
    if turn.focus is not None:
        update["focus"] = turn.focus
    if turn.changed and state.get("checkout"):
        update["checkout"] = None  # the cart changed: checkout starts over from the review
    if not actions:
        turn.lines.append(await _ask(state, services, business, lang, t("which_product", lang)))
    if turn.choices:
        update["shown"] = [{"sku": h.sku, "name": h.name} for h in turn.choices]
        # "Which of these?" alone is a clarifying question: the persona may ask it.
        header = "" if turn.lines else t("search_did_you_mean", lang)
        if header:
            header = await _ask(state, services, business, lang, header, turn.choices)
        listing = views.product_list(turn.choices, business, lang, "search_did_you_mean", header)
        listing["text"] = "\n".join([*turn.lines, listing["text"]])
        update["replies"] = [listing]
        return update
    if not summary.empty:
        turn.lines.append(t("total", lang, amount=money(summary.totals.total, business.currency)))
        update["replies"] = [replies.buttons("\n".join(turn.lines), views.cart_buttons(lang))]
    else:
        update["replies"] = [replies.text("\n".join(turn.lines))]
    return update


async def _ask(
    state: State,
    services: Services,
    business: Business,
    lang: Lang,
    question: str,
    choices: list[ProductHit] | None = None,
) -> str:
    facts = await turn_facts(services, business, lang, state.get("customer_id"))
    facts = facts.adding(products=[product_fact(h, business, lang) for h in choices or []])
    return await voiced(facts, question, "clarify", lang, services, said=state.get("text", ""))


def _with_pending(actions: list[CartAction], pending: Pending | None) -> list[CartAction]:
    """'el segundo' after 'which one?': apply the waiting action to the pick."""
    if not pending or len(actions) != 1:
        return actions
    action = actions[0]
    picked = action.product.index is not None or action.product.last
    if picked and action.quantity is None:
        return [
            action.model_copy(update={"op": pending["op"], "quantity": pending.get("quantity")})
        ]
    return actions


async def _apply(
    session: AsyncSession,
    action: CartAction,
    state: State,
    turn: Turn,
    business: Business,
    lang: Lang,
    customer_id: int,
) -> None:
    assert business.id is not None
    product = await _resolve(session, action, state, turn, business, lang, customer_id)
    if product is None:
        return
    assert product.id is not None
    turn.focus = {"sku": product.sku, "name": product.name}
    if action.op == "add" and product.status == "unconfirmed":
        asked = await asks.ask(
            session,
            business_id=business.id,
            customer_id=customer_id,
            kind=ApprovalKind.unconfirmed_product,
            query=action.product.query or product.name,
            product_id=product.id,
            wants_add=True,
            quantity=action.quantity,
        )
        turn.new_approvals += [asked.started] if asked.started else []
        said = "requests_capped" if asked.capped else "checking_with_owner"
        turn.lines.append(t(said, lang, name=product.name, business=business.name))
        return
    common = {"business_id": business.id, "customer_id": customer_id, "product_id": product.id}
    if action.op == "add":
        change = await cart_tools.add(session, quantity=action.quantity or 1, **common)
    elif action.op == "remove":
        change = await cart_tools.remove(session, quantity=action.quantity or None, **common)
    elif action.quantity is None:  # "mejor que sean focos": how many is missing, not zero
        turn.lines.append(t("how_many", lang, name=product.name))
        return
    else:
        change = await cart_tools.set_quantity(session, quantity=action.quantity, **common)
    turn.changed = turn.changed or change.kind not in ("not_in_cart", "out_of_stock", "already_max")
    turn.lines.append(describe(change, lang))


async def _resolve(
    session: AsyncSession,
    action: CartAction,
    state: State,
    turn: Turn,
    business: Business,
    lang: Lang,
    customer_id: int,
) -> Product | None:
    """The product an action points at, or None after saying why (or asking which)."""
    assert business.id is not None
    ref = action.product
    shown = state.get("shown") or []
    sku: str | None = ref.sku
    if ref.index is not None:
        if ref.index > len(shown):
            turn.lines.append(t("bad_index", lang, index=ref.index, count=len(shown) or 1))
            return None
        sku = shown[ref.index - 1]["sku"]
    elif ref.last:
        focus = turn.focus or (shown[0] if len(shown) == 1 else None)
        if focus is None:
            if shown:
                turn.pending = {"op": action.op, "quantity": action.quantity}
                turn.lines.append(t("which_product", lang))
            else:
                turn.lines.append(t("which_product", lang))
            return None
        sku = focus["sku"]
    if sku is not None:
        product = await products.by_sku(session, business_id=business.id, sku=sku)
        if product is None or product.status == "rejected":
            turn.lines.append(t("which_product", lang))
            return None
        return product

    query = ref.query or ""
    if action.op in ("remove", "set"):
        in_cart = await _match_cart_line(session, business.id, customer_id, query)
        if in_cart is not None:
            return in_cart
    result = await search_products(
        session,
        business_id=business.id,
        query=query,
        limit=5,
        embedder=(await current()).embedder,
    )
    if is_clear_winner(result):
        return await products.by_id(session, business_id=business.id, product_id=result.hits[0].id)
    if result.hits:
        turn.choices = result.hits
        turn.pending = {"op": action.op, "quantity": action.quantity}
        return None
    if action.op == "add":
        asked = await asks.ask(
            session,
            business_id=business.id,
            customer_id=customer_id,
            kind=ApprovalKind.new_product,
            query=query,
            wants_add=True,
            quantity=action.quantity,
        )
        turn.new_approvals += [asked.started] if asked.started else []
        said = "requests_capped" if asked.capped else "search_none"
        turn.lines.append(t(said, lang, query=query, business=business.name))
    else:
        turn.lines.append(t("not_in_cart", lang, name=query))
    return None


async def _match_cart_line(
    session: AsyncSession, business_id: int, customer_id: int, query: str
) -> Product | None:
    """'quita la cinta' means the cinta in the cart, whatever else the catalog holds."""
    lines = await carts.lines(session, business_id=business_id, customer_id=customer_id)
    query_tokens, query_folded = tokens(query), fold(query)
    scored = sorted(
        ((score_text(query_tokens, query_folded, line.name), line) for line in lines),
        key=lambda pair: -pair[0],
    )
    if scored and scored[0][0] >= 0.62:
        return await products.by_id(
            session, business_id=business_id, product_id=scored[0][1].product_id
        )
    return None


def describe(change: CartChange, lang: Lang) -> str:
    name = change.name
    match change.kind:
        case "added":
            return t("added", lang, qty=change.quantity, name=name)
        case "added_partial":
            return t(
                "added_partial",
                lang,
                available=change.available,
                name=name,
                qty=change.quantity,
                asked=change.asked,
            )
        case "already_max":
            return t("already_max", lang, name=name, available=change.available)
        case "out_of_stock":
            return t("out_of_stock", lang, name=name)
        case "removed":
            return t("removed", lang, name=name)
        case "removed_some":
            return t("removed_some", lang, qty=change.quantity, name=name, left=change.available)
        case "not_in_cart":
            return t("not_in_cart", lang, name=name)
        case "quantity_set":
            return t("quantity_set", lang, qty=change.quantity, name=name)
        case "unavailable":
            return t("unavailable", lang, name=name)
    return ""
