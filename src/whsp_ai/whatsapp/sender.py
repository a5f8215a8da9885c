"""Delivers the outbox: claims due rows, posts them to the Graph API, records the outcome.

Retries 5xx, timeouts, 429 and Meta's throttling codes with exponential backoff and jitter;
records errors retrying can't fix. A business without an access token (the demo) sends
to the local sandbox instead. Outside the 24-hour window the business's template goes out
instead, carrying the message's words (whatsapp/templates.py); without one, or when Meta
answers 131047, the message is held until the recipient writes again, never dropped.
This is the one part of the code that reads the outbox across tenants, by design.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from whsp_ai.db.database import Database
from whsp_ai.db.models import Business
from whsp_ai.faults import crash_point
from whsp_ai.settings import Settings
from whsp_ai.whatsapp import templates
from whsp_ai.whatsapp.client import WINDOW_CLOSED, GraphClient, SendError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BASE_DELAY_S, MAX_DELAY_S = 1.0, 300.0
SERVICE_WINDOW = timedelta(hours=24)
HELD = "held"  # released by the recipient's next message (whatsapp/inbound.py)

# Each recipient's messages go out one at a time, oldest first: only the head of a
# recipient's line (its oldest queued or sending row) can be claimed, so a split reply or a
# retried message never overtakes the one before it. Other recipients' rows go in parallel.
# Each row comes with when its recipient last wrote (the 24-hour window), saving a query
# per message. One autocommit statement: it is its own transaction.
CLAIM_SQL = """
WITH heads AS (
    SELECT min(id) AS id FROM outbound_messages
    WHERE status IN ('queued', 'sending')
    GROUP BY business_id, to_wa_id
)
UPDATE outbound_messages o SET status = 'sending', attempts = o.attempts + 1, updated_at = now()
WHERE o.id IN (
    SELECT c.id FROM outbound_messages c JOIN heads USING (id)
    WHERE (c.status = 'queued' AND c.next_attempt_at <= now())
       OR (c.status = 'sending' AND c.attempts < %(max_attempts)s
           AND c.updated_at < now() - make_interval(secs => %(stuck)s))
    ORDER BY c.id
    LIMIT %(limit)s
    FOR UPDATE OF c SKIP LOCKED
)
RETURNING o.id, o.business_id, o.to_wa_id, o.payload, o.attempts,
    (SELECT max(i.received_at) FROM inbound_messages i
     WHERE i.business_id = o.business_id AND i.customer_wa_id = o.to_wa_id) AS last_inbound
"""

FINISH_SQL = """
UPDATE outbound_messages
SET status = %(status)s, wa_message_id = coalesce(%(wa_id)s, wa_message_id),
    error_code = %(code)s, last_error = %(error)s, next_attempt_at = %(next_at)s,
    updated_at = now()
WHERE id = %(id)s
"""


def backoff(attempt: int) -> float:
    """Exponential with full jitter: spreads retries of many messages after an outage."""
    return random.uniform(0, min(MAX_DELAY_S, BASE_DELAY_S * 2**attempt))


class OutboxSender:
    def __init__(
        self,
        db: Database,
        client: GraphClient,
        settings: Settings,
        business: Callable[[int], Awaitable[Business]],
    ) -> None:
        self.db = db
        self.client = client
        self.settings = settings
        self._business = business  # the engine's short-lived profile cache
        self.wake = asyncio.Event()
        self._stopping = False

    def stop(self) -> None:
        """Let `run` return after the pass in flight (see Channel.stop)."""
        self._stopping = True
        self.wake.set()

    async def run(self, idle_s: float = 0.25) -> None:
        while not self._stopping:
            # Cleared before the pass, so a wake-up that comes during it is not lost.
            self.wake.clear()
            try:
                sent = await self.drain()
            except Exception:
                log.exception("outbox sender pass failed")
                sent = 0
            if not sent and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout=idle_s)

    async def drain(self, limit: int = 50) -> int:
        """One pass: deliver what is due. Returns how many rows it handled."""
        params = {
            "limit": limit,
            "stuck": self.settings.sending_stuck_after_s,
            "max_attempts": MAX_ATTEMPTS,
        }
        async with self.db.pool.connection() as conn:
            rows: list[dict[str, Any]] = await (await conn.execute(CLAIM_SQL, params)).fetchall()
        await asyncio.gather(*(self._deliver_safely(row) for row in rows))
        return len(rows)

    async def _deliver_safely(self, row: dict[str, Any]) -> None:
        """Never leave a row 'sending' because of an error we did not foresee."""
        try:
            await self._deliver(row)
        except Exception as exc:
            log.exception("delivering outbox row %s failed unexpectedly", row["id"])
            await self._finish(row["id"], "failed", None, None, f"{type(exc).__name__}: {exc}")

    async def _deliver(self, row: dict[str, Any]) -> None:
        crash_point("before_send")  # claimed (status 'sending'), not yet delivered anywhere
        business = await self._business(row["business_id"])
        token = business.access_token or self.settings.whatsapp_access_token
        payload = row["payload"]
        is_receipt = payload.get("status") == "read"
        if not token:
            status = "read_receipt" if is_receipt else "sandbox"
            await self._finish(row["id"], status, None, None, None)
            return
        if not is_receipt and not _in_window(row["last_inbound"]):
            templated = templates.outside_window(business, self.settings, row["to_wa_id"], payload)
            if templated is None:
                await self._finish(row["id"], HELD, None, WINDOW_CLOSED, templates.HELD_REASON)
                return
            payload = templated
        try:
            if is_receipt:
                await self.client.mark_read(business.phone_number_id, token, payload["message_id"])
                wa_id = None
            else:
                wa_id = await self.client.send(business.phone_number_id, token, payload)
        except SendError as exc:
            await self._failed(row, exc)
            return
        crash_point("after_send")
        status = "read_receipt" if is_receipt else "sent"
        await self._finish(row["id"], status, wa_id or None, None, None)

    async def _failed(self, row: dict[str, Any], exc: SendError) -> None:
        if exc.retryable and row["attempts"] < MAX_ATTEMPTS:
            delay = backoff(row["attempts"])
            next_at = datetime.now(UTC) + timedelta(seconds=delay)
            log.warning("send failed, retrying in %.1fs: %s", delay, exc)
            await self._finish(row["id"], "queued", None, exc.code, str(exc), next_at)
            return
        if exc.code == WINDOW_CLOSED:  # Meta saw the window closed: kept for when they write
            log.warning("held outside the 24-hour window: %s", exc)
            await self._finish(row["id"], HELD, None, exc.code, str(exc))
            return
        status = "failed"
        log.error("send failed for good (%s): %s", status, exc, extra={"error_code": exc.code})
        await self._finish(row["id"], status, None, exc.code, str(exc))

    async def _finish(
        self,
        row_id: int,
        status: str,
        wa_id: str | None,
        code: int | None,
        error: str | None,
        next_at: datetime | None = None,
    ) -> None:
        params = {
            "id": row_id,
            "status": status,
            "wa_id": wa_id,
            "code": code,
            "error": error,
            "next_at": next_at or datetime.now(UTC),
        }
        async with self.db.pool.connection() as conn:
            await conn.execute(FINISH_SQL, params)


def _in_window(last_inbound: datetime | None) -> bool:
    """Inside the 24-hour customer-service window opened by the customer's last message."""
    return last_inbound is not None and datetime.now(UTC) - last_inbound < SERVICE_WINDOW
