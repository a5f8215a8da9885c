"""Meta's webhook envelope as typed models; unknown extra fields are kept, not rejected.

Meta adds fields over time, so models allow extras; what we rely on is required.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _as_text(value: Any) -> Any:
    """Ids and timestamps are strings in Meta's payloads; accept numbers for them too."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Str = Annotated[str, BeforeValidator(_as_text)]


class _Meta(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Metadata(_Meta):
    display_phone_number: Str | None = None
    phone_number_id: Str


class Profile(_Meta):
    name: str | None = None


class Contact(_Meta):
    wa_id: Str
    profile: Profile | None = None


class Text(_Meta):
    body: str = Field(default="", max_length=65536)


class Reply(_Meta):
    id: str
    title: str | None = None
    description: str | None = None


class Interactive(_Meta):
    type: str
    button_reply: Reply | None = None
    list_reply: Reply | None = None

    @property
    def reply(self) -> Reply | None:
        return self.button_reply or self.list_reply


class Button(_Meta):
    """A quick-reply button of a template message."""

    payload: str | None = None
    text: str | None = None


class ErrorDetail(_Meta):
    code: int
    title: str | None = None
    message: str | None = None
    error_data: dict[str, Any] | None = None


class Identity(_Meta):
    """What makes a message recordable at all: its id (the dedupe key) and its sender
    (the conversation). Booleans are refused: `true` is no phone number."""

    id: Str = Field(min_length=1, max_length=512)
    from_: Str = Field(alias="from", min_length=1, max_length=64)


class Message(Identity):
    timestamp: Str | None = None
    type: str
    text: Text | None = None
    interactive: Interactive | None = None
    button: Button | None = None
    errors: list[ErrorDetail] = Field(default_factory=list)


class Status(_Meta):
    id: Str
    status: Literal["sent", "delivered", "read", "failed", "deleted", "warning"] | str
    timestamp: Str | None = None
    recipient_id: Str | None = None
    errors: list[ErrorDetail] = Field(default_factory=list)


class Value(_Meta):
    """One change's value. Messages and statuses stay raw here and are parsed one by one,
    so a single odd message can't make the whole batch disappear."""

    messaging_product: str | None = None
    metadata: Metadata
    contacts: list[Any] = Field(default_factory=list)
    messages: list[Any] = Field(default_factory=list)
    statuses: list[Any] = Field(default_factory=list)
    errors: list[Any] = Field(default_factory=list)


class Change(_Meta):
    field: str
    value: Value | dict[str, Any]


class Entry(_Meta):
    id: Str
    changes: list[Change] = Field(default_factory=list)


class WebhookPayload(_Meta):
    object: Literal["whatsapp_business_account"]
    entry: list[Entry] = Field(max_length=1000)


def envelope(
    phone_number_id: str,
    messages: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A webhook payload as Meta sends it, for messages that did not come from Meta
    (the terminal chat, the load script, tests)."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": phone_number_id},
    }
    if messages:
        value["contacts"] = [
            {"profile": {"name": (names or {}).get(m["from"], "")}, "wa_id": m["from"]}
            for m in messages
        ]
        value["messages"] = messages
    if statuses:
        value["statuses"] = statuses
    change = {"field": "messages", "value": value}
    return {"object": "whatsapp_business_account", "entry": [{"id": "0", "changes": [change]}]}


def text_message(sender: str, body: str, message_id: str) -> dict[str, Any]:
    return {
        "from": sender,
        "id": message_id,
        "timestamp": "0",
        "type": "text",
        "text": {"body": body},
    }


def tap_message(
    sender: str, reply_id: str, title: str, message_id: str, kind: str = "button_reply"
) -> dict[str, Any]:
    return {
        "from": sender,
        "id": message_id,
        "timestamp": "0",
        "type": "interactive",
        "interactive": {"type": kind, kind: {"id": reply_id, "title": title}},
    }
