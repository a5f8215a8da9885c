"""The chaos run's customers: scripted chats whose webhooks are delivered as Meta delivers
them: sent again until answered 200, and now and then delivered twice although answered."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

from whsp_ai.bench import scripts
from whsp_ai.bench.chaos_checks import Reference, record_step
from whsp_ai.bench.ledger import Ledger, Sent
from whsp_ai.bench.scripts import BenchBusiness
from whsp_ai.bench.service import SECRET
from whsp_ai.bench.wire import WebhookClient

POST_TIMEOUT_S = 15.0
MAX_RESEND_WAIT_S = 4.0
# A person waits for the answer (one that never comes is counted lost), so the script stays
# on track through kills and restarts that take a minute on a loaded machine.
REPLY_WAIT_S = 300.0
TAP_WAIT_S = 20.0


@dataclass
class Tally:
    worker_kills: int = 0
    api_kills: int = 0
    resends: int = 0  # webhooks sent again because no 200 came
    meta_duplicates: int = 0
    script_misses: dict[str, int] = field(default_factory=dict)
    reply_timeouts: dict[str, int] = field(default_factory=dict)
    turns: dict[tuple[str, str], int] = field(default_factory=dict)  # acked, per customer


class Customers:
    """Scripted customers whose webhooks are delivered the way Meta delivers them."""

    def __init__(
        self, client: WebhookClient, ledger: Ledger, tally: Tally, rng: random.Random
    ) -> None:
        self.client, self.ledger, self.tally, self.rng = client, ledger, tally, rng
        self.duplicate_share = 0.0  # of acknowledged webhooks, delivered a second time
        self.duplicates: list[asyncio.Task[None]] = []

    async def deliver(self, body: bytes, headers: dict[str, str], give_up_at: float) -> int:
        """POST until answered 200 (Meta retries for days; we until `give_up_at`)."""
        wait = 0.25
        while True:
            try:
                status = await asyncio.wait_for(self.client.post(body, headers), POST_TIMEOUT_S)
            except (OSError, asyncio.IncompleteReadError, TimeoutError):
                status = 0
            if status == 200 or time.monotonic() > give_up_at:
                return status
            self.tally.resends += 1
            await asyncio.sleep(wait)
            wait = min(MAX_RESEND_WAIT_S, wait * 2)

    async def _post(self, business: BenchBusiness, wa_id: str, wamid: str, message: Any) -> Sent:
        body, headers = scripts.signed_webhook(SECRET, business.phone_number_id, message)
        sent = Sent(wamid, business.phone_number_id, wa_id, "chaos", time.perf_counter())
        self.ledger.sent[wamid] = sent
        sent.status = await self.deliver(body, headers, time.monotonic() + 120)
        sent.ack_ms = (time.perf_counter() - sent.posted_at) * 1000
        if sent.status == 200 and self.rng.random() < self.duplicate_share:
            self.duplicates.append(asyncio.create_task(self._again(body, headers)))
        return sent

    async def _again(self, body: bytes, headers: dict[str, str]) -> None:
        await asyncio.sleep(self.rng.uniform(0.1, 5.0))
        self.tally.meta_duplicates += 1
        await self.deliver(body, headers, time.monotonic() + 60)

    async def chat(
        self,
        business: BenchBusiness,
        wa_id: str,
        until: float,
        reference: Reference | None = None,
        turns: int | None = None,
    ) -> None:
        """Play the business's cycle until `until` (or for `turns`), each message waiting
        for the reply to the one before; with `reference`, note the state after each."""
        cycle = scripts.CYCLES[business.language]
        key = (business.phone_number_id, wa_id)
        turn = 0
        while time.monotonic() < until and (turns is None or turn < turns):
            wamid = f"wamid.chaos.{wa_id}.{turn}"
            message = await self._next(business, wa_id, wamid, cycle[turn % len(cycle)])
            replied = self.ledger.expect(business.phone_number_id, wa_id, wamid)
            sent = await self._post(business, wa_id, wamid, message)
            turn += 1
            if sent.status != 200:
                continue
            self.tally.turns[key] = self.tally.turns.get(key, 0) + 1
            try:
                await asyncio.wait_for(replied, REPLY_WAIT_S)
            except TimeoutError:
                self.tally.reply_timeouts[wa_id] = self.tally.reply_timeouts.get(wa_id, 0) + 1
            if reference is not None:
                await record_step(reference, business, wa_id)

    async def _next(
        self, business: BenchBusiness, wa_id: str, wamid: str, step: scripts.Step
    ) -> dict[str, Any]:
        """The step's message; a tap waits a while for the reply that carries its button
        (a turn's second reply can come seconds after its first when a sender is killed)."""
        inbox = self.ledger.inbox[(business.phone_number_id, wa_id)]
        deadline = time.monotonic() + TAP_WAIT_S
        while True:
            message, as_scripted = scripts.step_message(
                step, wa_id, wamid, list(inbox), business.language
            )
            if as_scripted or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        if not as_scripted:
            self.tally.script_misses[wa_id] = self.tally.script_misses.get(wa_id, 0) + 1
        return message
