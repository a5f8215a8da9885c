"""`whsp-ai eval capture`: recorded conversations become draft scenarios, for review.

Each customer's messages since a date (from `inbound_messages`), the owner's answers to
their approvals, and what the agent replied (from `outbound_messages`, kept as `observed`)
become one scenario file. Its expectations are drafted from the database as it is now: a
reviewer corrects them to what SHOULD have happened, drops `draft: true`, and moves the file
into the scenario set. That is how a production mistake becomes a test.

Privacy: a customer's number becomes a keyed hash (HMAC-SHA256 with the business's API key
hash, which never leaves the database), so it is stable but can't be reversed by hashing
every phone number; phone numbers and e-mails inside messages are masked; delivery
addresses are replaced by a placeholder, in what the customer said and in the replies.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

import yaml
from sqlmodel import col, select

from whsp_ai.db.database import Database
from whsp_ai.db.models import (
    Approval,
    Business,
    Customer,
    InboundMessage,
    Order,
    OutboundMessage,
    Product,
)
from whsp_ai.db.repositories import businesses, carts, orders
from whsp_ai.evals.scenario import OtherType
from whsp_ai.messages.cloud_api import to_reply
from whsp_ai.nlu import lexicon
from whsp_ai.prompts.texts import TEXTS

PLACEHOLDER_ADDRESS = {
    "es": "Calle Ejemplo 123, Col. Centro, Ciudad de México",
    "en": "123 Example St, Springfield, IL 62701",
}
_PHONE = re.compile(r"(?<![\w/])\+?\d[\d\s().-]{6,}\d(?![\w/])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# The questions after which a customer's next message is their address.
_ASKS_ADDRESS = {
    TEXTS[k][lang] for k in ("ask_address", "ask_address_again") for lang in ("es", "en")
}
# What a `send` step can be: the scenario format's own list ("voice" and "unknown" are
# chosen in _step, not copied from the message type).
_OTHER_TYPES = frozenset(get_args(OtherType))


class CaptureError(LookupError):
    pass


@dataclass
class _Event:
    at: datetime
    order: int
    step: dict[str, Any]


@dataclass
class _Conversation:
    wa_id: str
    events: list[_Event] = field(default_factory=list)
    addresses: set[str] = field(default_factory=set)


def pseudonym(business: Business, wa_id: str) -> str:
    """A stable stand-in for a customer's number: 12 hex digits of a keyed hash."""
    digest = hmac.new(business.api_key_hash.encode(), wa_id.encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


def mask(text: str, addresses: set[str], lang: str) -> str:
    """Addresses to the placeholder, phone numbers and e-mails to tags."""
    for address in sorted(addresses, key=len, reverse=True):
        if address:
            text = text.replace(address, PLACEHOLDER_ADDRESS[lang])
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub(lambda m: m[0] if _is_price_or_size(m[0]) else "[phone]", text)


def _is_price_or_size(found: str) -> bool:
    return sum(ch.isdigit() for ch in found) < 8


@dataclass
class Draft:
    filename: str
    text: str


async def capture(db: Database, slug: str, since: datetime | None) -> list[Draft]:
    """One draft scenario per customer who wrote since `since`."""
    async with db.session() as session:
        business = await businesses.by_slug(session, slug=slug)
        if business is None or business.id is None:
            raise CaptureError(f"no business with slug {slug!r}")
        conversations = await _conversations(session, business, since)
        expectations = {
            wa_id: await _expectations(session, business, wa_id, since, c.addresses)
            for wa_id, c in conversations.items()
        }
    drafts = []
    when = f" since {since:%Y-%m-%d}" if since else ""
    header = (
        f"# Draft captured from {business.name}'s recorded messages{when}.\n"
        "# Review it: correct `expect` to what SHOULD have happened (it was drafted from the\n"
        "# database as it is now), delete `draft: true`, then move it into\n"
        "# src/whsp_ai/evals/scenarios/. `observed` is what the agent answered then.\n"
    )
    for wa_id, conversation in conversations.items():
        pseudo = pseudonym(business, wa_id)
        scenario = {
            "id": f"captured-{slug}-{pseudo}",
            "title": f"Captured: customer {pseudo}{when}",
            "business": slug,
            "tags": ["captured"],
            "draft": True,
            "steps": [e.step for e in sorted(conversation.events, key=lambda e: (e.at, e.order))],
            "expect": expectations[wa_id],
        }
        body = yaml.safe_dump(
            {"scenarios": [scenario]}, allow_unicode=True, sort_keys=False, width=100
        )
        drafts.append(Draft(f"{slug}-{pseudo}.yaml", header + body))
    return drafts


def write(drafts: list[Draft], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for draft in drafts:
        path = out / draft.filename
        path.write_text(draft.text, encoding="utf-8")
        paths.append(path)
    return paths


async def _conversations(
    session: Any, business: Business, since: datetime | None
) -> dict[str, _Conversation]:
    lang = business.language
    stmt = select(InboundMessage).where(
        InboundMessage.business_id == business.id,
        InboundMessage.customer_wa_id != business.owner_phone,
    )
    if since is not None:
        stmt = stmt.where(col(InboundMessage.received_at) >= since)
    inbound = list((await session.execute(stmt.order_by(col(InboundMessage.id)))).scalars())
    by_customer: dict[str, _Conversation] = {}
    for message in inbound:
        by_customer.setdefault(message.customer_wa_id, _Conversation(message.customer_wa_id))
    if not by_customer:
        return {}
    outbound = (
        await session.execute(
            select(OutboundMessage)
            .where(
                OutboundMessage.business_id == business.id,
                col(OutboundMessage.to_wa_id).in_(list(by_customer)),
            )
            .order_by(col(OutboundMessage.id))
        )
    ).scalars()
    replies: dict[int, list[str]] = defaultdict(list)
    last_reply: dict[str, str] = {}
    for row in outbound:
        if row.payload.get("type") and row.inbound_message_id is not None:
            replies[row.inbound_message_id].append(to_reply(row.payload)["text"])
    placed = (
        await session.execute(
            select(Customer.wa_id, col(Order.delivery_address))
            .join(Customer, col(Customer.id) == Order.customer_id)
            .where(Order.business_id == business.id)
        )
    ).all()
    for wa_id, address in placed:
        if wa_id in by_customer:
            by_customer[wa_id].addresses.add(address)
    # First pass: which messages were addresses (answers to "what's the address?").
    for message in inbound:
        text = (message.payload.get("text") or {}).get("body")
        conversation = by_customer[message.customer_wa_id]
        if text and last_reply.get(message.customer_wa_id) in _ASKS_ADDRESS:
            conversation.addresses.add(text.strip())
        strong = lexicon.ADDRESS_STRONG_RE.search(text or "")
        if strong and text and text[strong.end() :].strip():
            conversation.addresses.add(text[strong.end() :].strip())
        said = replies.get(message.id or 0)
        if said:
            last_reply[message.customer_wa_id] = said[-1]
    for n, message in enumerate(inbound):
        conversation = by_customer[message.customer_wa_id]
        step = _step(message, conversation.addresses, lang)
        step["observed"] = [
            mask(r, conversation.addresses, lang) for r in replies.get(message.id or 0, [])
        ]
        if not step["observed"]:
            del step["observed"]
        assert message.received_at is not None
        conversation.events.append(_Event(message.received_at, n, step))
    await _owner_answers(session, business, since, by_customer)
    return by_customer


def _step(message: InboundMessage, addresses: set[str], lang: str) -> dict[str, Any]:
    payload = message.payload
    kind = message.type
    if kind == "text":
        return {"say": mask((payload.get("text") or {}).get("body", ""), addresses, lang)}
    if kind == "interactive":
        interactive = payload.get("interactive") or {}
        chosen = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return {"tap": chosen.get("title") or chosen.get("id", "")}
    if kind == "button":
        button = payload.get("button") or {}
        return {"say": mask(button.get("text") or button.get("payload") or "", addresses, lang)}
    if kind == "audio" and (payload.get("audio") or {}).get("voice"):
        return {"send": "voice"}
    return {"send": kind if kind in _OTHER_TYPES else "unknown"}


async def _owner_answers(
    session: Any,
    business: Business,
    since: datetime | None,
    by_customer: dict[str, _Conversation],
) -> None:
    """The owner's answers to these customers' approvals, at the moment they came."""
    stmt = (
        select(Approval, Customer.wa_id, Product.sku)
        .join(Customer, col(Customer.id) == Approval.customer_id)
        .join(Product, col(Product.id) == Approval.product_id, isouter=True)
        .where(Approval.business_id == business.id, col(Approval.resolved_at).is_not(None))
    )
    if since is not None:
        stmt = stmt.where(col(Approval.resolved_at) >= since)
    for approval, wa_id, sku in (await session.execute(stmt)).all():
        if wa_id not in by_customer or approval.resolved_at is None:
            continue
        resolution = approval.resolution or {}
        owner: dict[str, Any] = {
            "decision": resolution.get("decision") or "confirm",
            "approval": sku or approval.query,
        }
        if resolution.get("price") is not None:
            owner["price"] = float(Decimal(resolution["price"]))
        for name in ("stock", "name"):
            if resolution.get(name) is not None:
                owner[name] = resolution[name]
        by_customer[wa_id].events.append(_Event(approval.resolved_at, 10**9, {"owner": owner}))


async def _expectations(
    session: Any,
    business: Business,
    wa_id: str,
    since: datetime | None,
    addresses: set[str],
) -> dict[str, Any]:
    """The customer's final state today, in the scenario's expectation format."""
    assert business.id is not None
    customer = (
        await session.execute(
            select(Customer).where(Customer.business_id == business.id, Customer.wa_id == wa_id)
        )
    ).scalar_one_or_none()
    if customer is None or customer.id is None:
        return {"cart": {}}
    lines = await carts.lines(session, business_id=business.id, customer_id=customer.id)
    expect: dict[str, Any] = {"cart": {line.sku: line.quantity for line in lines}}
    placed = [
        (order, items)
        for order, items in reversed(await orders.list_orders(session, business_id=business.id))
        if order.customer_id == customer.id
        and (since is None or (order.created_at is not None and order.created_at >= since))
    ]
    expect["orders"] = [
        {
            "items": {
                i.sku: {"quantity": i.quantity, "unit_price": float(i.unit_price)} for i in items
            },
            "total": float(order.total),
            "payment": order.payment_method,
            "address": mask(order.delivery_address, addresses, business.language),
        }
        for order, items in placed
    ]
    asked = (
        await session.execute(
            select(Approval, Product.sku)
            .join(Product, col(Product.id) == Approval.product_id, isouter=True)
            .where(Approval.business_id == business.id, Approval.customer_id == customer.id)
            .order_by(col(Approval.id))
        )
    ).all()
    expect["approvals"] = [
        {"kind": a.kind, "status": a.status, **({"sku": sku} if sku else {"query": a.query})}
        for a, sku in asked
        if since is None or (a.created_at is not None and a.created_at >= since)
    ]
    return expect
