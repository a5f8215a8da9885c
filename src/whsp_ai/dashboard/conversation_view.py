"""How a stored WhatsApp message reads in the dashboard: its words, and what it offered.

Inbound payloads are Meta's message objects as recorded; outbound ones are the Cloud API
bodies we sent. Both are shown as plain text (templates escape it): a customer's
`<script>` is a line of text here like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whsp_ai.db.repositories.conversations import Message

# What a message without words was, in the owner's words.
_KINDS = {
    "image": "photo",
    "video": "video",
    "audio": "voice note",
    "document": "document",
    "sticker": "sticker",
    "location": "location",
    "contacts": "contact card",
    "order": "catalog order",
    "reaction": "reaction",
    "unknown": "message WhatsApp couldn't show us",
}


@dataclass(frozen=True, slots=True)
class Bubble:
    direction: str  # "in" from the customer, "out" from the shop (agent or owner)
    text: str
    options: list[str] = field(default_factory=list)  # buttons or list rows it offered
    note: str = ""  # "tapped", "photo", "template …", a failed send


def _dig(payload: dict[str, Any], *keys: str) -> str:
    value: Any = payload
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


def inbound(kind: str, payload: dict[str, Any]) -> Bubble:
    if kind == "text":
        return Bubble("in", _dig(payload, "text", "body"))
    if kind == "interactive":
        chosen = _dig(payload, "interactive", "button_reply", "title") or _dig(
            payload, "interactive", "list_reply", "title"
        )
        return Bubble("in", chosen, note="tapped")
    if kind == "button":
        return Bubble("in", _dig(payload, "button", "text"), note="tapped")
    if kind == "reaction":
        return Bubble("in", _dig(payload, "reaction", "emoji"), note="reaction")
    caption = _dig(payload, kind, "caption") if kind in _KINDS else ""
    return Bubble("in", caption, note=_KINDS.get(kind, kind))


def outbound(kind: str, payload: dict[str, Any], status: str) -> Bubble:
    failed = "not delivered" if status == "failed" else ""
    if kind == "text":
        return Bubble("out", _dig(payload, "text", "body"), note=failed)
    if kind == "template":
        name = _dig(payload, "template", "name")
        params = [
            str(p.get("text", ""))
            for c in payload.get("template", {}).get("components", [])
            if isinstance(c, dict)
            for p in c.get("parameters", [])
            if isinstance(p, dict)
        ]
        note = " ".join(filter(None, [f"template {name}", failed]))
        return Bubble("out", " · ".join(params), note=note)
    interactive = payload.get("interactive") or {}
    action = interactive.get("action") or {}
    options = [
        _dig(b, "reply", "title") for b in action.get("buttons", []) if isinstance(b, dict)
    ] + [
        str(r.get("title", ""))
        for s in action.get("sections", [])
        if isinstance(s, dict)
        for r in s.get("rows", [])
        if isinstance(r, dict)
    ]
    return Bubble("out", _dig(interactive, "body", "text"), options=options, note=failed)


def bubble(message: Message) -> Bubble:
    if message.direction == "in":
        return inbound(message.type, message.payload)
    return outbound(message.type, message.payload, message.status)


def preview(kind: str | None, payload: dict[str, Any] | None, limit: int = 80) -> str:
    """A customer's last message, one line, for the list of conversations."""
    if kind is None or payload is None:
        return ""
    b = inbound(kind, payload)
    line = " ".join((b.text or f"[{b.note}]").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
