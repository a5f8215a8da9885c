"""The running service's parts, wired once: database, engine, Graph API client, sender, queue.

This is the composition root. The app lifespan (`whsp-ai serve`, kept on `app.state.channel`
for the routes), `whsp-ai worker` and `whsp-ai chat` each build one Channel; the queue's
jobs get its parts (`JobDeps`) through procrastinate's worker context. Nothing below it
looks the channel up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from whsp_ai.db.database import Database
from whsp_ai.graph import services as graph_services
from whsp_ai.graph.engine import Engine
from whsp_ai.nlu.factory import make_understander
from whsp_ai.search.embeddings import make_embedder
from whsp_ai.settings import Settings
from whsp_ai.whatsapp import queue
from whsp_ai.whatsapp.client import GraphClient
from whsp_ai.whatsapp.deps import JobDeps
from whsp_ai.whatsapp.sender import OutboxSender

log = logging.getLogger(__name__)

FETCH_POLL_S = 0.25
SENDER_GRACE_S = 15.0  # the Graph API client's timeout is 10 s
RECOVERY_CHECKS = 4  # stalled-job checks per WHSP_STALLED_AFTER_S


@dataclass
class Channel:
    db: Database
    settings: Settings
    engine: Engine
    client: GraphClient
    sender: OutboxSender
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _queue: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    @classmethod
    async def start(cls, db: Database, settings: Settings) -> Channel:
        services = graph_services.Services(
            db, make_understander(settings), settings, make_embedder(settings)
        )
        graph_services.install(services)
        engine = await Engine.create(services)
        client = GraphClient(settings)
        sender = OutboxSender(db, client, settings, services.business)
        channel = cls(db, settings, engine, client, sender)
        await channel._queue.enter_async_context(queue.opened(db.pool))
        return channel

    @property
    def deps(self) -> JobDeps:
        return JobDeps(self.db, self.engine, self.sender)

    async def run_queued(self) -> None:
        """Run the jobs queued now, in this process, then return (the chat and tests)."""
        await queue.run_queued(self.deps)

    def run_workers(self, concurrency: int = 8) -> None:
        """Process inbound jobs and deliver the outbox in this process, in the background."""

        async def worker() -> None:
            await queue.recover_stalled()
            await queue.app.run_worker_async(
                concurrency=concurrency,
                install_signal_handlers=False,
                delete_jobs="successful",
                # A message that arrives while its conversation's previous one is running is
                # skipped by the fetch its notification triggers (the lock is held), and no
                # notification comes when the lock frees: only this poll picks it up. At
                # procrastinate's default of 5 s, a customer's quick second message waited
                # up to 5 s; the poll is one cheap query.
                fetch_job_polling_interval=FETCH_POLL_S,
                update_heartbeat_interval=max(0.5, self.settings.stalled_after_s / 6),
                stalled_worker_timeout=self.settings.stalled_after_s,
                additional_context=self.deps.worker_context(),
            )

        self._tasks = [
            asyncio.create_task(worker(), name="whsp-worker"),
            asyncio.create_task(self.sender.run(), name="whsp-sender"),
            asyncio.create_task(self._recover_stalled(), name="whsp-recovery"),
        ]

    async def _recover_stalled(self) -> None:
        """Retry the jobs of dead workers a moment after their heartbeat goes stale.

        The minute cron alone let a message held by a killed worker wait up to a minute past
        the stall threshold (40.7 s seen at a 5 s threshold), with the customer's next
        message queued behind it. Checking every threshold/RECOVERY_CHECKS brings the worst
        case to 1.25 times the threshold; the check is one indexed query, in every worker
        process, so recovery does not depend on any one of them surviving.
        """
        every = self.settings.stalled_after_s / RECOVERY_CHECKS
        while True:
            await asyncio.sleep(every)
            try:
                await queue.recover_stalled()
            except Exception:
                log.exception("retrying stalled jobs failed; trying again in %.1fs", every)

    async def stop(self) -> None:
        # Let the sender finish the sends in flight: one cut off after Meta took it would
        # stay "sending" and go out again, a duplicate, after WHSP_SENDING_STUCK_AFTER_S.
        self.sender.stop()
        senders = [t for t in self._tasks if t.get_name() == "whsp-sender"]
        if senders:
            await asyncio.wait(senders, timeout=SENDER_GRACE_S)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        await self._queue.aclose()
        await self.client.aclose()
        for provider in (self.engine.services.understander, self.engine.services.embedder):
            close = getattr(provider, "aclose", None)
            if close is not None:  # Vertex keeps a pooled httpx client
                await close()
        graph_services.install(None)
