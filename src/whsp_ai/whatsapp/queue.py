"""Per-conversation FIFO processing on procrastinate, a maintained Postgres job queue.

Each inbound message is one job whose `lock` is its conversation: jobs with the same lock
run one at a time, oldest first, across every worker process and machine. `queueing_lock`
is never used for inbound messages: it would drop a message while another one waits.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, cast

import procrastinate
from psycopg_pool import AsyncConnectionPool

if TYPE_CHECKING:  # the jobs get these at run time; importing them here would be heavy
    from whsp_ai.whatsapp.deps import JobDeps

CONTEXT_KEY = "whsp"  # the worker context entry that holds the JobDeps

log = logging.getLogger(__name__)

app = procrastinate.App(connector=procrastinate.PsycopgConnector())


def conversation_lock(business_id: int, wa_id: str) -> str:
    return f"conversation:{business_id}:{wa_id}"


def deps(context: procrastinate.JobContext) -> JobDeps:
    """The service's parts, as the worker that runs this job was given them."""
    found = context.additional_context.get(CONTEXT_KEY)
    if found is None:
        raise RuntimeError("this worker was started without the service's parts")
    return cast("JobDeps", found)


@app.task(
    name="whsp.handle_inbound",
    retry=procrastinate.RetryStrategy(max_attempts=8, exponential_wait=2),
    pass_context=True,
)
async def handle_inbound(
    context: procrastinate.JobContext, business_id: int, inbound_id: int
) -> None:
    from whsp_ai.whatsapp.inbound import process

    await process(deps(context), business_id, inbound_id)


@app.periodic(cron="* * * * *")
@app.task(name="whsp.recover_stalled", queueing_lock="recover_stalled", pass_context=True)
async def recover_stalled_jobs(context: procrastinate.JobContext, timestamp: int) -> None:
    await recover_stalled()
    await deps(context).engine.start_pending_approvals()


@app.periodic(cron="* * * * *")
@app.task(name="whsp.search_maintenance", queueing_lock="search_maintenance", pass_context=True)
async def search_maintenance(context: procrastinate.JobContext, timestamp: int) -> None:
    """Embed new and changed products; give catalogs that grew large their HNSW indexes."""
    from whsp_ai.db.vector_indexes import ensure_all_vector_indexes
    from whsp_ai.search.embeddings import embed_pending

    services = deps(context).engine.services
    await ensure_all_vector_indexes(services.db)
    if services.embedder is not None:
        await embed_pending(services.db, services.embedder)


@app.periodic(cron="*/5 * * * *")
@app.task(name="whsp.handoff_expiry", queueing_lock="handoff_expiry", pass_context=True)
async def handoff_expiry(context: procrastinate.JobContext, timestamp: int) -> None:
    """Hand back conversations a person took over more than 24 hours ago, even when the
    customer never writes again (their next message would do it too)."""
    from whsp_ai.tools.handoff import expire_all

    async with deps(context).db.session() as session:
        await expire_all(session)
    deps(context).sender.wake.set()


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


async def run_queued(deps: JobDeps) -> None:
    """Run the jobs queued now, in this process, then return (the chat and tests)."""
    await app.run_worker_async(
        wait=False,
        install_signal_handlers=False,
        concurrency=1,
        additional_context=deps.worker_context(),
    )


async def open_queue(pool: AsyncConnectionPool[Any]) -> None:
    """Open the queue on the shared pool; its tables were made at startup, under the schema
    lock, with ours (db.migrate.prepare_schema)."""
    await app.open_async(pool=pool)
