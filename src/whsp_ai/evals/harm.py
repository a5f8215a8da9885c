"""The harm count: wrong effects a misread caused, step by step, apart from pass or fail.

A failed reply check costs the customer a question; a harm costs them (or the owner) a
wrong effect: an approval for something that is not a product request, an order to
something that is not an address, an order without a clear yes to its summary, a cart
change the scenario didn't ask for. The conversation snapshots the business before and
after every customer message; `assess` reads the effects against the scenario.

The grader's idea of "not a product" and "an address" is its own, deliberately small and
independent of the understanding it grades (nlu/): a second opinion, not the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlmodel import col, select

from whsp_ai.db.database import Database
from whsp_ai.db.models import Approval, Product
from whsp_ai.db.repositories import orders
from whsp_ai.evals.grading import cart_of, matches, plain
from whsp_ai.evals.scenario import ApprovalExpect, Expect, OrderExpect

KINDS = ("junk_approvals", "non_address_orders", "unasked_cart_changes", "orders_without_yes")
# Labels under which asking the owner for a missing product is the right thing to do.
PRODUCT_INTENTS = {"search", "add", "remove", "set_quantity", "cart_edit"}

_QUESTION = re.compile(
    r"[?¿]|^(que|cuanto|cuantos|cuando|donde|como|aceptan|hacen|puedo|puedes|se puede|hay"
    r"|what|whats|when|where|how|do you|does|can i|can you|is it|is there|are you|accept)\b"
)
_SMALL_TALK_WORDS = frozenset(
    [
        "hola",
        "buenas",
        "buenos",
        "dias",
        "tardes",
        "noches",
        "gracias",
        "muchas",
        "ok",
        "oki",
        "va",
        "sale",
        "si",
        "no",
        "otra",
        "vez",
        "de",
        "nuevo",
        "jaja",
        "jeje",
        "hi",
        "hello",
        "hey",
        "again",
        "thanks",
        "thank",
        "you",
        "thx",
        "yes",
        "nope",
        "lol",
        "haha",
        "there",
        "yo",
    ]
)
_CHECKOUT_WORDS = re.compile(
    r"\b(total|envio|pagar|pago|tarjeta|efectivo|transferencia|direccion|la misma|el mismo"
    r"|checkout|shipping|delivery|address|same as|card|cash|paypal|the damage)\b"
)
_STREET = re.compile(
    r"\b(calle|av|avenida|blvd|bulevar|boulevard|col|colonia|cp|c\.p|privada|andador|carretera"
    r"|calzada|cerrada|manzana|mz|lote|lt|depto|interior|int|street|st|ave|avenue|road|rd"
    r"|lane|ln|drive|dr|way|court|ct|apt|suite|unit|highway|hwy|num|numero)\b"
)


def _folded(text: str) -> str:
    return " ".join(plain(text).casefold().split())


def _small_talk(folded: str) -> bool:
    words = re.findall(r"[a-z]+", folded)
    return not re.search(r"\d", folded) and all(w in _SMALL_TALK_WORDS for w in words)


def not_a_product(query: str) -> str | None:
    """Why words can't be a request for a product (a question, small talk, checkout talk,
    an address), or None when they might be one."""
    text = _folded(query)
    if _QUESTION.search(text):
        return "a question"
    if _small_talk(text):
        return "small talk"
    if re.search(r"\d", text) and _STREET.search(text):
        return "an address"
    if _CHECKOUT_WORDS.search(text):
        return "checkout talk"
    return None


def reads_as_address(text: str) -> bool:
    """At least three words with a number or a street word in them, and no question."""
    folded = _folded(text)
    if _QUESTION.search(folded) or _small_talk(folded):
        return False
    has_number = re.search(r"\d", folded) is not None
    has_street = _STREET.search(folded) is not None
    words = re.findall(r"[a-z0-9]+", folded)
    return (has_number and has_street) or ((has_number or has_street) and len(words) >= 3)


@dataclass(frozen=True)
class OrderSeen:
    id: int
    customer_id: int
    address: str
    items: dict[str, int]


@dataclass
class Snapshot:
    """What one business holds at a moment: the speaker's cart, approvals, orders."""

    cart: dict[str, int]
    approvals: dict[int, tuple[str, str, str | None]]  # id -> (kind, query, sku)
    orders: dict[int, OrderSeen]


async def snapshot(db: Database, business_id: int, wa_id: str) -> Snapshot:
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Approval, Product.sku)
                .join(Product, col(Product.id) == Approval.product_id, isouter=True)
                .where(Approval.business_id == business_id)
            )
        ).all()
        placed = await orders.list_orders(session, business_id=business_id)
    approvals: dict[int, tuple[str, str, str | None]] = {
        a.id: (a.kind, a.query, sku) for a, sku in rows if a.id is not None
    }
    seen = {
        o.id: OrderSeen(o.id, o.customer_id, o.delivery_address, {i.sku: i.quantity for i in items})
        for o, items in placed
        if o.id is not None
    }
    return Snapshot(await cart_of(db, business_id, wa_id), approvals, seen)


@dataclass
class StepEffects:
    """One customer message and what it did to its business."""

    step: int
    business: str
    said: str
    label: str | None  # the scenario's intent label, if any
    stage: str | None  # the checkout step that was waiting when it arrived
    before: Snapshot
    after: Snapshot
    declared_cart: dict[str, int] | None = None  # the step's `cart:`, if any


@dataclass
class Harm:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, kind: str, note: str) -> None:
        self.counts[kind] += 1
        self.notes.append(f"harm ({kind.replace('_', ' ')}): {note}")


def assess(effects: list[StepEffects], expect: Expect) -> Harm:
    """Every wrong effect in one trial of the main business."""
    harm = Harm()
    wanted_approvals = _new_product_expectations(expect.approvals)
    wanted_orders = list(expect.orders) if expect.orders is not None else None
    cart_harmed = False
    for fx in effects:
        where = f"step {fx.step} ({fx.said[:40]!r})"
        for aid in sorted(set(fx.after.approvals) - set(fx.before.approvals)):
            kind, query, _ = fx.after.approvals[aid]
            if kind != "new_product":
                continue  # a catalog product to confirm, or a question: not a product guess
            why = _junk_reason(fx, query, wanted_approvals)
            if why:
                harm.add("junk_approvals", f"{where} asked the owner for {query!r}: {why}")
        for oid in sorted(set(fx.after.orders) - set(fx.before.orders)):
            order = fx.after.orders[oid]
            _judge_order(harm, where, fx, order, wanted_orders)
        if (
            fx.declared_cart is not None
            and fx.after.cart != fx.before.cart
            and fx.after.cart != fx.declared_cart
        ):
            cart_harmed = True
            harm.add(
                "unasked_cart_changes",
                f"{where} made the cart {fx.after.cart}, expected {fx.declared_cart}",
            )
    if expect.cart is not None and effects and not cart_harmed:
        # Lines changed at steps that declare no cart are judged by the final cart; a line
        # that is merely not what was asked, with no change to blame, is a miss, not a harm.
        loose = {
            sku
            for fx in effects
            if fx.declared_cart is None
            for sku in set(fx.before.cart) | set(fx.after.cart)
            if fx.before.cart.get(sku) != fx.after.cart.get(sku)
        }
        final = effects[-1].after.cart
        wrong = {s: q for s, q in final.items() if s in loose and expect.cart.get(s) != q}
        if wrong:
            harm.add("unasked_cart_changes", f"the cart ends with {wrong}, expected {expect.cart}")
    return harm


def _new_product_expectations(wanted: list[ApprovalExpect] | None) -> list[ApprovalExpect] | None:
    if wanted is None:
        return None
    return [a for a in wanted if a.kind == "new_product"]


def _junk_reason(fx: StepEffects, query: str, wanted: list[ApprovalExpect] | None) -> str | None:
    if fx.stage is not None:
        return f"raised while checkout waited at {fx.stage}"
    if fx.label is not None and fx.label not in PRODUCT_INTENTS:
        return f"raised by a message labeled {fx.label}"
    reason = not_a_product(query)
    if reason:
        return reason
    if wanted is not None:
        for n, exp in enumerate(wanted):
            if exp.query is None or matches(exp.query, query):
                del wanted[n]
                return None
        return "the scenario expects no such approval"
    return None


def _judge_order(
    harm: Harm, where: str, fx: StepEffects, order: OrderSeen, wanted: list[OrderExpect] | None
) -> None:
    if fx.stage != "confirm_order":
        harm.add("orders_without_yes", f"{where} placed order {order.id} from stage {fx.stage}")
    elif fx.label is not None and fx.label != "confirm":
        harm.add("orders_without_yes", f"{where} placed order {order.id} on a {fx.label}")
    exp = wanted.pop(0) if wanted else None
    if wanted is not None and exp is None:
        harm.add("orders_without_yes", f"{where} placed order {order.id}, which is not expected")
    if not reads_as_address(order.address):
        harm.add("non_address_orders", f"{where} sent order {order.id} to {order.address!r}")
    elif exp is not None and exp.address is not None and not matches(exp.address, order.address):
        harm.add(
            "non_address_orders",
            f"{where} sent order {order.id} to {order.address!r}, not {exp.address!r}",
        )
    if exp is not None:
        asked = {sku: v if isinstance(v, int) else v.quantity for sku, v in exp.items.items()}
        if order.items != asked:
            harm.add("unasked_cart_changes", f"{where} ordered {order.items}, expected {asked}")
