"""Loopback HTTP for the load test: a fake Graph API server and a keep-alive webhook client.

Both are a few dozen lines of asyncio over raw HTTP/1.1 on purpose: the load generator
shares the machine's two cores with the service it measures, so every millisecond it
spends in a general-purpose HTTP stack is a millisecond taken from the service.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import httptools

# Called for every message the fake Graph API accepts: (phone_number_id, body, id, time).
OnPost = Callable[[str, dict[str, Any], str | None, float], None]


@dataclass
class GraphStats:
    requests: int = 0
    refused: int = 0  # wrong path, method or token: the service would see an error


class FakeGraph:
    """`POST /{version}/{phone_number_id}/messages`, answered the way Meta answers.

    A message gets `{"messaging_product": "whatsapp", "contacts": [...], "messages":
    [{"id": "wamid..."}]}` with a fresh id; a read receipt gets `{"success": true}`.
    """

    def __init__(self, token: str, version: str, on_post: OnPost) -> None:
        self.token = f"Bearer {token}".encode()
        self.prefix = f"/{version}/".encode()
        self.on_post = on_post
        self.stats = GraphStats()
        self._ids = itertools.count(1)
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _GraphProtocol(self), "127.0.0.1", 0, backlog=1024
        )
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def answer(self, method: bytes, url: bytes, auth: bytes, body: bytes) -> tuple[int, bytes]:
        self.stats.requests += 1
        if method != b"POST" or not url.startswith(self.prefix) or not url.endswith(b"/messages"):
            self.stats.refused += 1
            return 404, b'{"error": {"message": "unknown path", "code": 100}}'
        if auth != self.token:
            self.stats.refused += 1
            return 401, b'{"error": {"message": "invalid token", "code": 190}}'
        phone_number_id = url[len(self.prefix) : -len(b"/messages")].decode()
        payload = json.loads(body)
        now = time.perf_counter()
        if payload.get("status") == "read":
            self.on_post(phone_number_id, payload, None, now)
            return 200, b'{"success": true}'
        wamid = f"wamid.bench.{next(self._ids)}"
        self.on_post(phone_number_id, payload, wamid, now)
        to = payload.get("to", "")
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}],
        }
        return 200, json.dumps(answer).encode()


class _GraphProtocol(asyncio.Protocol):
    def __init__(self, graph: FakeGraph) -> None:
        self.graph = graph
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self._reset()

    def _reset(self) -> None:
        self.url = b""
        self.auth = b""
        self.body: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if self.transport is not None:
                self.transport.close()

    # httptools callbacks
    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"authorization":
            self.auth = value

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        status, out = self.graph.answer(
            self.parser.get_method(), self.url, self.auth, b"".join(self.body)
        )
        reason = b"OK" if status == 200 else b"Error"
        head = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
        if self.transport is not None:
            self.transport.write(head % (status, reason, len(out)) + out)
        self._reset()


@dataclass
class _Conn:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    used_at: float


class WebhookClient:
    """POSTs webhook bodies over a pool of keep-alive connections; returns the status code."""

    IDLE_S = 3.0  # below uvicorn's 5 s keep-alive, so the server never closes one under us

    def __init__(self, host: str, port: int, path: str = "/webhook") -> None:
        self.host, self.port = host, port
        self.head = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n".encode()
        self._idle: list[_Conn] = []
        self.retries = 0

    async def post(self, body: bytes, headers: dict[str, str]) -> int:
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode()
        request = self.head + extra + b"Content-Length: %d\r\n\r\n" % len(body) + body
        conn = self._take()
        if conn is not None:
            try:
                return await self._exchange(conn, request)
            except (ConnectionError, asyncio.IncompleteReadError):
                # The server closed a kept-alive connection: send again, as Meta would.
                self.retries += 1
        reader, writer = await asyncio.open_connection(self.host, self.port)
        return await self._exchange(_Conn(reader, writer, 0.0), request)

    def _take(self) -> _Conn | None:
        now = time.monotonic()
        while self._idle:
            conn = self._idle.pop()
            if now - conn.used_at < self.IDLE_S:
                return conn
            conn.writer.close()
        return None

    async def _exchange(self, conn: _Conn, request: bytes) -> int:
        conn.writer.write(request)
        head = await conn.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, close = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        if length:
            await conn.reader.readexactly(length)
        if close:
            conn.writer.close()
        else:
            conn.used_at = time.monotonic()
            self._idle.append(conn)
        return status

    async def aclose(self) -> None:
        for conn in self._idle:
            conn.writer.close()
        self._idle.clear()
