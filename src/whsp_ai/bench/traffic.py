"""The load test's traffic: customers in a closed loop, and a fixed-rate open-loop phase."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg

from whsp_ai.bench import scripts
from whsp_ai.bench.ledger import Ledger, Sent
from whsp_ai.bench.scripts import CYCLES, BenchBusiness
from whsp_ai.bench.service import SECRET
from whsp_ai.bench.wire import WebhookClient
from whsp_ai.whatsapp.payloads import text_message

REPLY_TIMEOUT_S = 60.0


@dataclass
class Traffic:
    client: WebhookClient
    ledger: Ledger
    script_misses: int = 0  # taps whose button was not in the replies (the script drifted)
    reply_timeouts: int = 0
    acks: dict[str, list[float]] = field(default_factory=dict)

    async def _post(
        self, business: BenchBusiness, wa_id: str, wamid: str, message: dict[str, Any], phase: str
    ) -> Sent:
        body, headers = scripts.signed_webhook(SECRET, business.phone_number_id, message)
        sent = Sent(wamid, business.phone_number_id, wa_id, phase, time.perf_counter())
        self.ledger.sent[wamid] = sent
        try:
            sent.status = await self.client.post(body, headers)
        except (OSError, asyncio.IncompleteReadError):
            sent.status = 0
        sent.ack_ms = (time.perf_counter() - sent.posted_at) * 1000
        self.acks.setdefault(phase, []).append(sent.ack_ms)
        return sent

    async def customer(self, business: BenchBusiness, wa_id: str, turns: int, phase: str) -> None:
        """One customer: each message waits for the reply to the one before (closed loop)."""
        cycle = scripts.CYCLES[business.language]
        last: list[dict[str, Any]] = []
        key = (business.phone_number_id, wa_id)
        for turn in range(turns):
            wamid = f"wamid.bench.{wa_id}.{turn}"
            message, as_scripted = scripts.step_message(
                cycle[turn % len(cycle)], wa_id, wamid, last, business.language
            )
            self.script_misses += not as_scripted
            replied = self.ledger.expect(business.phone_number_id, wa_id, wamid)
            sent = await self._post(business, wa_id, wamid, message, phase)
            if sent.status != 200:
                continue
            try:
                await asyncio.wait_for(replied, REPLY_TIMEOUT_S)
            except TimeoutError:
                self.reply_timeouts += 1
            last = list(self.ledger.inbox[key])

    async def conversations(
        self, businesses: list[BenchBusiness], customers: int, turns: int, phase: str
    ) -> None:
        await asyncio.gather(
            *(
                self.customer(b, scripts.customer_id(b.index, phase, c), turns, phase)
                for b in businesses
                for c in range(customers)
            )
        )

    async def fixed_rate(
        self, businesses: list[BenchBusiness], rate: float, seconds: float, customers: int
    ) -> float:
        """Open loop: a message every 1/rate s whatever happens, from `customers` customers
        taking turns, each typing its script's text steps in order. Returns the seconds taken."""
        total = int(rate * seconds)
        texts = {lang: [a for kind, a in steps if kind == "say"] for lang, steps in CYCLES.items()}
        tasks = []
        started = time.perf_counter()
        for n in range(total):
            k = n % customers
            business = businesses[k % len(businesses)]
            wa_id = scripts.customer_id(business.index, "rate", k)
            said = texts[business.language][(n // customers) % len(texts[business.language])]
            wamid = f"wamid.bench.{wa_id}.r{n}"
            message = text_message(wa_id, said, wamid)
            tasks.append(asyncio.create_task(self._post(business, wa_id, wamid, message, "rate")))
            delay = started + (n + 1) / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        await asyncio.gather(*tasks)
        return time.perf_counter() - started


DONE_SQL = """
SELECT (SELECT count(*) FROM inbound_messages WHERE status <> 'processed') AS inbound,
       (SELECT count(*) FROM outbound_messages WHERE status IN ('queued', 'sending')) AS outbound
"""


async def drained(url: str, ledger: Ledger, timeout_s: float) -> bool:
    """Wait until every message is processed and every reply delivered (or time runs out)."""
    deadline = time.monotonic() + timeout_s
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            if not ledger.outstanding():
                row = await (await conn.execute(DONE_SQL)).fetchone()
                if row is not None and row[0] == 0 and row[1] == 0:
                    return True
            await asyncio.sleep(0.25)
    return False
