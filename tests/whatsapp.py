"""Meta-shaped webhook payloads and a harness that drives the service like WhatsApp does."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from whsp_ai.channel import Channel
from whsp_ai.messages.cloud_api import to_reply
from whsp_ai.whatsapp import payloads
from whsp_ai.whatsapp.signature import sign

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "verify-me"
GRAPH = "https://graph.facebook.com/v23.0"
_ids = itertools.count(1)


def wamid() -> str:
    return f"wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjA{next(_ids):012d}AA=="


def text_message(sender: str, body: str, msg_id: str | None = None) -> dict[str, Any]:
    return payloads.text_message(sender, body, msg_id or wamid())


def tap(sender: str, reply_id: str, title: str = "x", kind: str = "button_reply") -> dict[str, Any]:
    message = payloads.tap_message(sender, reply_id, title, wamid(), kind)
    return {**message, "context": {"from": "15550000000", "id": wamid()}}


def envelope(
    phone_number_id: str,
    messages: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    names = {m["from"]: "Cliente" for m in messages or []}
    return payloads.envelope(phone_number_id, messages, statuses, names)


def signed(payload: dict[str, Any] | bytes) -> tuple[bytes, dict[str, str]]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return body, {"X-Hub-Signature-256": sign(APP_SECRET, body), "Content-Type": "application/json"}


@dataclass
class Phone:
    """A WhatsApp user: sends through the webhook, reads what the outbox delivered."""

    client: httpx.AsyncClient
    phone_number_id: str
    wa_id: str
    seen: int = 0
    inbox: list[dict[str, Any]] = field(default_factory=list)

    async def post(self, *messages: dict[str, Any]) -> httpx.Response:
        body, headers = signed(envelope(self.phone_number_id, list(messages)))
        return await self.client.post("/webhook", content=body, headers=headers)

    async def say(self, text: str) -> list[dict[str, Any]]:
        response = await self.post(text_message(self.wa_id, text))
        assert response.status_code == 200, response.text
        return await self.replies()

    async def tap(self, title: str) -> list[dict[str, Any]]:
        """Tap a button or row, by its title, of the messages received so far (newest first)."""
        for reply in reversed(self.inbox):
            for option in [*reply.get("buttons", []), *reply.get("rows", [])]:
                if option["title"] == title:
                    kind = "button_reply" if "buttons" in reply else "list_reply"
                    response = await self.post(tap(self.wa_id, option["id"], title, kind))
                    assert response.status_code == 200, response.text
                    return await self.replies()
        raise AssertionError(f"nothing titled {title!r} in {self.inbox[-3:]}")

    async def replies(self) -> list[dict[str, Any]]:
        await settle()
        from whsp_ai.db.repositories import outbox

        channel = running()
        async with channel.db.session() as session:
            from whsp_ai.db.repositories import businesses

            business = await businesses.by_phone_number_id(
                session, phone_number_id=self.phone_number_id
            )
            assert business is not None
            rows = await outbox.for_recipient(
                session, business_id=business.id or 0, to_wa_id=self.wa_id, after_id=self.seen
            )
        fresh = [to_reply(r.payload) for r in rows if r.payload.get("type")]
        self.seen = max([self.seen, *(r.id or 0 for r in rows)])
        self.inbox += fresh
        return fresh


async def settle() -> None:
    """Run every queued job, then deliver the outbox, as the background workers would."""
    await running().run_queued()
    while await running().sender.drain():
        pass


_running: list[Channel] = []  # the service fixture's channel, for the helpers above


def use_channel(channel: Channel | None) -> None:
    """The `service` fixture hands its app's channel to the helpers here."""
    _running[:] = [channel] if channel else []


def running() -> Channel:
    assert _running, "no service is running: use the `service` fixture"
    return _running[0]
