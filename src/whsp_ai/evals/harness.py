"""The real service in this process, driven like WhatsApp drives it, for conversation evals.

The app runs its own lifespan (database, migrations, channel). Messages go in as signed
webhook POSTs; the queued jobs run on the procrastinate worker and the outbox sender
delivers replies to the WhatsApp Cloud API, which is faked at its own URL by an httpx
transport that records what arrives. Owners answer through the management API.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import time
from dataclasses import dataclass, field, fields
from typing import Any

import httpx
import psycopg
from psycopg import sql

from whsp_ai.api.app import create_app
from whsp_ai.channel import Channel
from whsp_ai.messages.cloud_api import to_reply
from whsp_ai.nlu.provider import Usage
from whsp_ai.settings import Settings
from whsp_ai.whatsapp import intake, payloads
from whsp_ai.whatsapp.signature import sign

GRAPH_URL = "https://graph.facebook.com"
APP_SECRET = "whsp-eval-app-secret"  # noqa: S105 - a fixed secret for in-process traffic
ACCESS_TOKEN = "EAAG-whsp-eval"  # noqa: S105
_SERIAL = itertools.count(1)
# Tables the migrations own; everything else is emptied between scenarios.
_KEEP = ("alembic_version", "checkpoint_migrations")


# Realistic bodies of the message types the engine does not read (Meta's webhook shapes).
OTHER_MESSAGES: dict[str, dict[str, Any]] = {
    "image": {
        "type": "image",
        "image": {"mime_type": "image/jpeg", "sha256": "Vx3k", "id": "1479537139650973"},
    },
    "audio": {"type": "audio", "audio": {"mime_type": "audio/ogg", "sha256": "Qm9v", "id": "2"}},
    "voice": {
        "type": "audio",
        "audio": {"mime_type": "audio/ogg; codecs=opus", "id": "3", "voice": True},
    },
    "video": {"type": "video", "video": {"mime_type": "video/mp4", "sha256": "dmlk", "id": "4"}},
    "document": {
        "type": "document",
        "document": {"filename": "lista.pdf", "mime_type": "application/pdf", "id": "5"},
    },
    "sticker": {
        "type": "sticker",
        "sticker": {"mime_type": "image/webp", "sha256": "c3Rp", "id": "6", "animated": False},
    },
    "location": {
        "type": "location",
        "location": {"latitude": 19.4326, "longitude": -99.1332, "name": "Zócalo"},
    },
    "contacts": {
        "type": "contacts",
        "contacts": [
            {
                "name": {"formatted_name": "Ana López", "first_name": "Ana"},
                "phones": [{"phone": "+52 55 1234 5678", "type": "CELL"}],
            }
        ],
    },
    "order": {
        "type": "order",
        "order": {
            "catalog_id": "1234567890",
            "product_items": [
                {"product_retailer_id": "X1", "quantity": 1, "item_price": 10, "currency": "MXN"}
            ],
        },
    },
    "reaction": {"type": "reaction", "reaction": {"message_id": "wamid.prev", "emoji": "👍"}},
    "unknown": {
        "type": "unsupported",
        "errors": [{"code": 131051, "title": "Message type unknown"}],
    },
}


@dataclass
class Delivered:
    """One message the service POSTed to the (fake) Cloud API."""

    at: float
    phone_number_id: str
    to: str
    body: dict[str, Any]

    @property
    def reply(self) -> dict[str, Any]:
        return dict(to_reply(self.body))


@dataclass
class FakeGraph:
    """`POST /{version}/{phone_number_id}/messages` as Meta answers it; anything else is 404."""

    api_version: str
    token: str = ACCESS_TOKEN
    sent: list[Delivered] = field(default_factory=list)
    read_receipts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        m = re.fullmatch(rf"/{re.escape(self.api_version)}/(\d+)/messages", request.url.path)
        if request.method != "POST" or m is None or request.url.host != "graph.facebook.com":
            self.refused.append(f"{request.method} {request.url}")
            return _graph_error(404, 100, "Unsupported request")
        if request.headers.get("authorization") != f"Bearer {self.token}":
            self.refused.append(f"bad token for {request.url}")
            return _graph_error(401, 190, "Invalid OAuth access token")
        body = json.loads(request.content)
        if body.get("status") == "read":
            self.read_receipts.append(str(body.get("message_id")))
            return httpx.Response(200, json={"success": True})
        to = str(body.get("to", ""))
        self.sent.append(Delivered(time.perf_counter(), m[1], to, body))
        return httpx.Response(
            200,
            json={
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.eval.{next(_SERIAL)}"}],
            },
        )

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


def _graph_error(status: int, code: int, message: str) -> httpx.Response:
    return httpx.Response(
        status, json={"error": {"message": message, "type": "OAuthException", "code": code}}
    )


def eval_settings(base: Settings, database_url: str, provider: str) -> Settings:
    """The service's settings for an eval: this database, signed webhooks, the fake Graph."""
    update: dict[str, Any] = {
        "database_url": database_url,
        "whatsapp_app_secret": APP_SECRET,
        "whatsapp_access_token": ACCESS_TOKEN,
        "whatsapp_graph_url": GRAPH_URL,
        "llm_provider": provider,
        "reengage_template": None,
    }
    if provider == "offline" and "embeddings_provider" in Settings.model_fields:
        update["embeddings_provider"] = "off"  # offline means no network at all
    return base.model_copy(update=update)


def reset_database(url: str) -> None:
    """Empty every table and restart every id, as a brand-new database after migrating.

    DELETE with foreign-key triggers off (session_replication_role, a superuser setting the
    embedded server allows) takes ~30 ms where TRUNCATE of twenty tables takes ~400 ms;
    elsewhere it falls back to TRUNCATE.
    """
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
            if row[0] not in _KEEP and "version" not in row[0]
        ]
        sequences = [
            row[0]
            for row in conn.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        ]
        try:
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                for table in tables:
                    conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
                for sequence in sequences:
                    conn.execute(
                        sql.SQL("ALTER SEQUENCE {} RESTART").format(sql.Identifier(sequence))
                    )
        except psycopg.errors.InsufficientPrivilege:
            names = sql.SQL(", ").join(sql.Identifier(t) for t in tables)
            conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(names))


class Service:
    """One life of the service: start it, send it messages, let its workers settle, stop it."""

    def __init__(self, settings: Settings, graph: FakeGraph) -> None:
        self.settings = settings
        self.graph = graph
        self.usage = Usage()  # model use, summed over every life of the service
        self._stack: contextlib.AsyncExitStack | None = None
        self._http: httpx.AsyncClient | None = None
        self._channel: Channel | None = None

    @property
    def channel(self) -> Channel:
        assert self._channel is not None, "the service is not running"
        return self._channel

    @property
    def http(self) -> httpx.AsyncClient:
        assert self._http is not None, "the service is not running"
        return self._http

    async def start(self) -> None:
        intake._tenants.clear()  # the previous life's phone-number cache is not this one's
        app = create_app(self.settings, workers=False)
        stack = contextlib.AsyncExitStack()
        await stack.enter_async_context(app.router.lifespan_context(app))
        self._channel = app.state.channel
        self._stack = stack
        client = self.channel.client
        await client.http.aclose()
        client.http = httpx.AsyncClient(transport=self.graph.transport())
        self._http = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://whsp.eval")
        )

    async def stop(self) -> None:
        if self._stack is None:
            return
        used = self.channel.engine.services.understander.usage
        for counter in fields(Usage):  # calls, tokens, fallbacks, writer calls, guard blocks
            name = counter.name
            setattr(self.usage, name, getattr(self.usage, name) + getattr(used, name))
        stack, self._stack, self._http = self._stack, None, None
        await stack.aclose()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def post(self, phone_number_id: str, message: dict[str, Any], name: str = "") -> int:
        """POST one message as Meta would (signed); the webhook's status code."""
        envelope = payloads.envelope(phone_number_id, [message], names={message["from"]: name})
        body = json.dumps(envelope).encode()
        headers = {
            "X-Hub-Signature-256": sign(APP_SECRET, body),
            "Content-Type": "application/json",
        }
        response = await self.http.post("/webhook", content=body, headers=headers)
        return response.status_code

    async def settle(self) -> None:
        """Run every queued job, then deliver the outbox, as the background workers would."""
        await self.channel.run_queued()
        while await self.channel.sender.drain():
            pass

    async def understood_intent(self, business_id: int, wa_id: str) -> str | None:
        """The router's reading of the conversation's latest message, from its checkpoint."""
        config: Any = {"configurable": {"thread_id": f"{business_id}:{wa_id}"}}
        snapshot = await self.channel.engine.sales.aget_state(config)
        understanding = snapshot.values.get("understanding") or {}
        intent = understanding.get("intent")
        return str(intent) if intent else None
