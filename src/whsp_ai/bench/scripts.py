"""The load test's businesses and customers: scripted conversations over the demo catalogs.

Business `i` is demo file `i % 2` under a new slug, WhatsApp number and owner, with stock
scaled up so that hundreds of customers can check out over and over. Each customer plays
its language's cycle (browse, add, change a quantity, view the cart, check out with an
address, pay, confirm) in a loop, typing some steps and tapping the buttons and list rows
of the replies it received for others, as people do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from whsp_ai.demo import demo_files
from whsp_ai.importer.schema import BusinessFile, load_business_file
from whsp_ai.whatsapp.payloads import envelope, tap_message, text_message
from whsp_ai.whatsapp.signature import sign

STOCK_SCALE = 100_000
# ("say", text) types a message; ("tap", id_prefix) taps the first button or list row of the
# last replies whose id starts with the prefix.
Step = tuple[str, str]

CYCLES: dict[str, list[Step]] = {
    "es": [
        ("say", "hola"),
        ("say", "¿tienen desarmador de cruz?"),
        ("tap", "add:"),
        ("say", "qué brochas tienen"),
        ("tap", "product:"),
        ("tap", "add:"),
        ("say", "mejor que sean 3 desarmadores"),
        ("say", "agrega 2 focos led de 9 w"),
        ("say", "quita los focos"),
        ("say", "qué llevo"),
        ("tap", "checkout:start"),
        ("tap", "checkout:continue"),
        ("say", "Av. Reforma 123, Col. Juárez, CDMX"),
        ("tap", "pay:"),
        ("tap", "order:confirm"),
    ],
    "en": [
        ("say", "Hi there!"),
        ("say", "do you have earl grey?"),
        ("tap", "add:"),
        ("say", "what green teas do you have?"),
        ("tap", "product:"),
        ("tap", "add:"),
        ("say", "make it 3 earl grey"),
        ("say", "add 2 chamomile"),
        ("say", "remove the chamomile"),
        ("say", "show my cart"),
        ("tap", "checkout:start"),
        ("tap", "checkout:continue"),
        ("say", "742 Evergreen Terrace, Springfield"),
        ("tap", "pay:"),
        ("tap", "order:confirm"),
    ],
}
# A tap whose button is missing (the script drifted from the engine) types this instead.
FALLBACK = {"es": "ayuda", "en": "help"}


@dataclass(frozen=True)
class BenchBusiness:
    index: int
    slug: str
    phone_number_id: str
    language: str
    file: BusinessFile


def businesses(n: int) -> list[BenchBusiness]:
    """N businesses cloned from the demo files, each with its own slug, number and owner."""
    files = [load_business_file(path) for path in demo_files()]
    out = []
    for i in range(n):
        base = files[i % len(files)]
        pnid = f"1990000{i:08d}"
        products = [
            p.model_copy(update={"stock": None if p.stock is None else p.stock * STOCK_SCALE})
            for p in base.products
        ]
        copy = base.model_copy(
            update={
                "slug": f"bench-{i}-{base.slug}"[:63],
                "owner_phone": f"1990999{i:08d}",
                "whatsapp": base.whatsapp.model_copy(update={"phone_number_id": pnid}),
                "products": products,
            }
        )
        out.append(BenchBusiness(i, copy.slug, pnid, copy.language, copy))
    return out


def customer_id(business: int, phase: str, n: int) -> str:
    """A WhatsApp id unique across businesses and phases (phase is one letter code)."""
    code = {"warmup": 1, "conversations": 2, "rate": 3}[phase]
    return f"52{code}{business:04d}{n:06d}"


def step_message(
    step: Step, wa_id: str, wamid: str, last_replies: list[dict[str, Any]], lang: str
) -> tuple[dict[str, Any], bool]:
    """The webhook message for a step, and whether it went as scripted (a tap found)."""
    kind, arg = step
    if kind == "say":
        return text_message(wa_id, arg, wamid), True
    for body in reversed(last_replies):
        for reply_id, title, list_kind in _options(body):
            if reply_id.startswith(arg):
                return tap_message(wa_id, reply_id, title, wamid, list_kind), True
    return text_message(wa_id, FALLBACK[lang], wamid), False


def _options(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    interactive = body.get("interactive") or {}
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        return [
            (b["reply"]["id"], b["reply"]["title"], "button_reply")
            for b in action.get("buttons", [])
        ]
    if interactive.get("type") == "list":
        return [
            (row["id"], row["title"], "list_reply")
            for section in action.get("sections", [])
            for row in section.get("rows", [])
        ]
    return []


def signed_webhook(
    secret: str, phone_number_id: str, message: dict[str, Any]
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(envelope(phone_number_id, [message], names={message["from"]: "Bench"}))
    raw = body.encode()
    return raw, {"Content-Type": "application/json", "X-Hub-Signature-256": sign(secret, raw)}
