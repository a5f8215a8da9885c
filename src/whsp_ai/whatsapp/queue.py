"""Per-conversation FIFO processing on procrastinate, a maintained Postgres job queue.

Each inbound message is one job whose `lock` is its conversation: jobs with the same lock
run one at a time, oldest first, across every worker process and machine. `queueing_lock`
is never used for inbound messages: it would drop a message while another one waits.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import procrastinate
from psycopg_pool import AsyncConnectionPool

log = logging.getLogger(__name__)

app = procrastinate.App(connector=procrastinate.PsycopgConnector())


def conversation_lock(business_id: int, wa_id: str) -> str:
    return f"conversation:{business_id}:{wa_id}"


@app.task(
    name="whsp.handle_inbound",
    retry=procrastinate.RetryStrategy(max_attempts=8, exponential_wait=2),
)
async def handle_inbound(business_id: int, inbound_id: int) -> None:
    from whsp_ai.whatsapp.inbound import process

    await process(business_id, inbound_id)


@app.periodic(cron="* * * * *")
@app.task(name="whsp.recover_stalled", queueing_lock="recover_stalled")
async def recover_stalled_jobs(timestamp: int) -> None:
    from whsp_ai.channel import current

    await recover_stalled()
    await current().engine.start_pending_approvals()


@app.periodic(cron="* * * * *")
@app.task(name="whsp.search_maintenance", queueing_lock="search_maintenance")
async def search_maintenance(timestamp: int) -> None:
    """Embed new and changed products; give catalogs that grew large their HNSW indexes."""
    from whsp_ai.channel import current
    from whsp_ai.search.embeddings import embed_pending
    from whsp_ai.search.indexes import ensure_all_vector_indexes

    services = current().engine.services
    await ensure_all_vector_indexes(services.db)
    if services.embedder is not None:
        await embed_pending(services.db, services.embedder)


async def recover_stalled() -> int:
    """Put back the jobs of workers that died (SIGKILL, OOM) so their conversations go on."""
    from whsp_ai.settings import get_settings

    silent_for = get_settings().stalled_after_s
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=silent_for))
    retried = 0
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except procrastinate.exceptions.ConnectorException:
            # Every worker process checks: another one put this job back a moment ago.
            log.info("job %s of a stalled worker was retried elsewhere", job.id)
            continue
        log.warning("retried job %s of a stalled worker (lock %s)", job.id, job.lock)
        retried += 1
    return retried


async def enqueue(
    business_id: int, wa_id: str, inbound_id: int, *, connection: Any | None = None
) -> None:
    """Queue a message's job; with `connection`, inside that connection's transaction."""
    await handle_inbound.configure(
        lock=conversation_lock(business_id, wa_id), connection=connection
    ).defer_async(business_id=business_id, inbound_id=inbound_id)


@contextlib.asynccontextmanager
async def opened(pool: AsyncConnectionPool[Any]) -> AsyncIterator[procrastinate.App]:
    """The queue on the shared pool (a fresh connector per service lifetime)."""
    with app.replace_connector(procrastinate.PsycopgConnector()):
        await open_queue(pool)
        try:
            yield app
        finally:
            await app.close_async()


async def open_queue(pool: AsyncConnectionPool[Any]) -> None:
    """Open the queue on the shared pool; its tables were made at startup, under the schema
    lock, with ours (db.migrate.prepare_schema)."""
    await app.open_async(pool=pool)
