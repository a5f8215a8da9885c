"""What the load test sent and what the fake Graph API received, and the exactly-once check.

Definitions (per inbound message the webhook acknowledged with 200):

- **delivered exactly once**: the Graph API received its read receipt exactly once, the
  message is `processed`, it has at least one reply row in the outbox, and every one of
  those rows reached the Graph API exactly once: the WhatsApp id the fake answered is the
  one recorded on the row, with the right recipient and the same body.
- **lost**: a message for which any of that is missing (no 200, no receipt, not
  processed, no reply, or a reply row that never arrived). Counted once per message.
- **duplicated**: every delivery beyond one: a second read receipt, or a message POST
  whose WhatsApp id no outbox row recorded (sent again after it had been delivered).
  Those of an outbox row that was claimed again (attempts > 1: its sender died after the
  Graph API took it and before recording so) are the documented send window, counted
  apart as `duplicated_send_window`: sending is at least once, and only that gap repeats.
- **out of order**: per recipient, the deliveries must follow the inbound messages' order,
  each message's receipt first, then its replies in outbox order.

End-to-end latency of a message runs from the start of its webhook POST to the arrival of
its first reply at the fake Graph API.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row


@dataclass
class Sent:
    wamid: str
    phone_number_id: str
    wa_id: str
    phase: str
    posted_at: float
    ack_ms: float | None = None
    status: int | None = None


@dataclass
class Post:
    phone_number_id: str
    to: str
    body: dict[str, Any]
    at: float


@dataclass
class Verdict:
    messages: int = 0
    lost: int = 0
    duplicated: int = 0
    duplicated_send_window: int = 0
    out_of_order: int = 0
    failed_acks: int = 0
    stray_posts: int = 0  # to someone the load test never wrote as (an owner, say)
    e2e_ms: dict[str, list[float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class Ledger:
    """Fed by the webhook client and the fake Graph API; wakes customers waiting for replies."""

    def __init__(self) -> None:
        self.sent: dict[str, Sent] = {}
        self.receipts: defaultdict[str, list[float]] = defaultdict(list)
        self.posts: dict[str, Post] = {}  # by the WhatsApp id the fake answered
        self.other_posts = 0
        self._current: dict[tuple[str, str], str] = {}  # recipient -> wamid of latest receipt
        self._waiting: dict[tuple[str, str], tuple[str, asyncio.Future[None]]] = {}
        self.inbox: defaultdict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)

    def expect(self, phone_number_id: str, wa_id: str, wamid: str) -> asyncio.Future[None]:
        """A future done when the first reply to `wamid` arrives (after its receipt)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        key = (phone_number_id, wa_id)
        self._waiting[key] = (wamid, future)
        self.inbox[key] = []
        return future

    def on_post(
        self, phone_number_id: str, body: dict[str, Any], graph_id: str | None, at: float
    ) -> None:
        if graph_id is None:  # a read receipt: its message's replies come next
            message_id = str(body.get("message_id"))
            self.receipts[message_id].append(at)
            sent = self.sent.get(message_id)
            if sent is not None:
                self._current[(sent.phone_number_id, sent.wa_id)] = message_id
            return
        to = str(body.get("to"))
        key = (phone_number_id, to)
        self.posts[graph_id] = Post(phone_number_id, to, body, at)
        answering = self._current.get(key)
        waiting = self._waiting.get(key)
        if waiting is not None and waiting[0] == answering:
            self.inbox[key].append(body)
            if not waiting[1].done():
                waiting[1].set_result(None)

    def outstanding(self) -> int:
        """Acknowledged messages without a receipt yet (a cheap "still working" signal)."""
        return sum(
            1 for s in self.sent.values() if s.status == 200 and s.wamid not in self.receipts
        )


Rank = tuple[int, int, int]  # (inbound message order, 0 receipt | 1 reply, outbox row id)

VERIFY_SQL = """
SELECT i.wa_message_id, i.id AS inbound_id, i.status AS inbound_status,
       o.id AS outbound_id, o.to_wa_id, o.payload, o.status, o.wa_message_id AS graph_id
FROM inbound_messages i
LEFT JOIN outbound_messages o ON o.inbound_message_id = i.id
ORDER BY i.id, o.id
"""


# Rows sent more than once on purpose: a sender died mid-send and the row was claimed again.
RECLAIMED_SQL = "SELECT to_wa_id, payload FROM outbound_messages WHERE attempts > 1"


def verify(ledger: Ledger, url: str) -> Verdict:
    """The exactly-once check and end-to-end latencies, from the ledger and the database."""
    verdict = Verdict()
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        rows = conn.execute(VERIFY_SQL).fetchall()
        reclaimed = conn.execute(RECLAIMED_SQL).fetchall()
    resent_receipts = {r["payload"].get("message_id") for r in reclaimed}
    resent_bodies = {(r["to_wa_id"], _canonical(r["payload"])) for r in reclaimed}
    by_message: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    inbound_order: dict[str, int] = {}
    for row in rows:
        inbound_order[row["wa_message_id"]] = row["inbound_id"]
        if row["outbound_id"] is not None:
            by_message[row["wa_message_id"]].append(row)
    statuses = {row["wa_message_id"]: row["inbound_status"] for row in rows}
    recorded_ids = {row["graph_id"] for row in rows if row["graph_id"]}
    # Each delivery, in arrival order, per recipient: (inbound order, 0 receipt | 1 reply, row)
    arrivals: defaultdict[tuple[str, str], list[tuple[float, Rank]]] = defaultdict(list)

    for wamid, sent in ledger.sent.items():
        verdict.messages += 1
        key = (sent.phone_number_id, sent.wa_id)
        if sent.status != 200:
            verdict.failed_acks += 1
            verdict.lost += 1
            verdict.problems.append(f"{wamid}: webhook answered {sent.status}")
            continue
        receipts = ledger.receipts.get(wamid, [])
        extra = max(0, len(receipts) - 1)
        if wamid in resent_receipts:
            verdict.duplicated_send_window += extra
        else:
            verdict.duplicated += extra
        order = inbound_order.get(wamid, 0)
        arrivals[key] += [(at, (order, 0, 0)) for at in receipts]
        replies = by_message.get(wamid, [])
        missing = []
        if not receipts:
            missing.append("read receipt")
        if statuses.get(wamid) != "processed":
            missing.append(f"processing (status {statuses.get(wamid)})")
        if not replies:
            missing.append("any reply")
        first: float | None = None
        for row in replies:
            post = ledger.posts.get(row["graph_id"] or "")
            if post is None or row["status"] != "sent":
                missing.append(f"reply row {row['outbound_id']} ({row['status']})")
                continue
            if post.to != sent.wa_id or _canonical(post.body) != _canonical(row["payload"]):
                missing.append(f"reply row {row['outbound_id']} (a different body arrived)")
                continue
            arrivals[key].append((post.at, (order, 1, row["outbound_id"])))
            first = post.at if first is None else min(first, post.at)
        if missing:
            verdict.lost += 1
            verdict.problems.append(f"{wamid}: no {', '.join(missing)}")
        elif first is not None:
            verdict.e2e_ms.setdefault(sent.phase, []).append((first - sent.posted_at) * 1000)

    known = {(s.phone_number_id, s.wa_id) for s in ledger.sent.values()}
    for graph_id, post in ledger.posts.items():
        if (post.phone_number_id, post.to) not in known:
            verdict.stray_posts += 1
        elif graph_id not in recorded_ids:
            if (post.to, _canonical(post.body)) in resent_bodies:
                verdict.duplicated_send_window += 1
                continue
            verdict.duplicated += 1
            verdict.problems.append(f"{graph_id} to {post.to}: delivered but not on record")
    for deliveries in arrivals.values():
        ranks = [rank for _, rank in sorted(deliveries)]
        verdict.out_of_order += sum(1 for a, b in itertools.pairwise(ranks) if b < a)
    return verdict


def _canonical(body: Any) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False)
