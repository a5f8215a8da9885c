"""Engine benchmark, in one process without HTTP or queue: offline turn latency, the
checkpointer's share, checkpoint bytes just after a prune and just before the next, and
whether the saver's single lock caps throughput.

`whsp-ai bench engine` (or `make bench-engine`). It runs on a throwaway database on the
embedded Postgres with the demo businesses and prints figures; nothing is asserted.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)

from whsp_ai.bench.report import pct
from whsp_ai.db.database import Database
from whsp_ai.db.embedded import scratch_database
from whsp_ai.demo import import_demo_businesses
from whsp_ai.graph.engine import PRUNE_EVERY, Engine
from whsp_ai.graph.saver import TurnSaver
from whsp_ai.graph.services import Services, install
from whsp_ai.nlu.provider import OfflineUnderstander
from whsp_ai.settings import Settings

SCRIPT = [
    "hola",
    "¿tienen desarmador de cruz?",
    "agrega 2 desarmadores de cruz",
    "qué brochas tienen",
    "agrega 1 del segundo",
    "qué llevo",
    "quita la brocha",
    "mejor que sean 3 desarmadores",
    "quiero pagar",
    "sí",
    "Av. Reforma 123, Col. Juárez, CDMX",
    "efectivo",
    "cancelar",
]

# Live bytes of some threads' checkpoints, blobs and pending writes (whole rows).
CHECKPOINT_BYTES_SQL = """
SELECT (SELECT coalesce(sum(pg_column_size(c.*)), 0) FROM checkpoints c
        WHERE thread_id = ANY(%(threads)s))
     + (SELECT coalesce(sum(pg_column_size(b.*)), 0) FROM checkpoint_blobs b
        WHERE thread_id = ANY(%(threads)s))
     + (SELECT coalesce(sum(pg_column_size(w.*)), 0) FROM checkpoint_writes w
        WHERE thread_id = ANY(%(threads)s))
"""


async def conversation(engine: Engine, business_id: int, wa_id: str, turns: int) -> list[float]:
    latencies = []
    for i in range(turns):
        started = time.perf_counter()
        await engine.handle(
            business_id=business_id, customer_wa_id=wa_id, text=SCRIPT[i % len(SCRIPT)]
        )
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def thread_bytes(database: Database, thread_id: str) -> int:
    async with database.pool.connection() as conn:
        row = await (await conn.execute(CHECKPOINT_BYTES_SQL, {"threads": [thread_id]})).fetchone()
    return int(next(iter(row.values()))) if row else 0


class Timed(TurnSaver):
    """The same saver, with the time spent inside it added up."""

    spent_ms = 0.0
    prune_ms = 0.0

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        started = time.perf_counter()
        try:
            return await super().aget_tuple(config)
        finally:
            Timed.spent_ms += (time.perf_counter() - started) * 1000

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        started = time.perf_counter()
        try:
            return await super().aput(config, checkpoint, metadata, new_versions)
        finally:
            Timed.spent_ms += (time.perf_counter() - started) * 1000

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        started = time.perf_counter()
        try:
            return await super().aprune(thread_ids, strategy=strategy)
        finally:
            Timed.spent_ms += (time.perf_counter() - started) * 1000
            Timed.prune_ms += (time.perf_counter() - started) * 1000


async def run(turns: int, concurrency: int, data_dir: Path) -> None:
    with scratch_database(data_dir, "bench") as url:
        await _measure(url, turns, concurrency)


async def _measure(url: str, turns: int, concurrency: int) -> None:
    settings = Settings(DATABASE_URL=url, WHSP_DB_POOL_MAX=max(10, concurrency + 2))
    database = Database(settings)
    try:
        await database.open()
        ids = {r.slug: r.business_id for r in await import_demo_businesses(database)}
        store = ids["ferreteria-don-pepe"]
        services = Services(database, OfflineUnderstander(), settings)
        install(services)
        saver = Timed(database.pool)
        await saver.setup()
        engine = Engine(services, saver)

        await conversation(engine, store, "warmup", 5)
        Timed.spent_ms = Timed.prune_ms = 0.0
        latencies = await conversation(engine, store, "5215500000100", turns)
        per_turn_saver = Timed.spent_ms / turns
        bytes_100 = await thread_bytes(database, f"{store}:5215500000100")
        print(f"turns: {turns}")
        print(f"turn_p50_ms: {statistics.median(latencies):.1f}")
        print(f"turn_p95_ms: {pct(latencies, 0.95):.1f}")
        print(f"saver_ms_per_turn: {per_turn_saver:.1f}")
        print(f"of_which_prune_ms_per_turn: {Timed.prune_ms / turns:.1f}")
        print(f"checkpoint_bytes_after_{turns}_turns: {bytes_100}")
        # The worst case: just before the next prune.
        await conversation(engine, store, "5215500000100", PRUNE_EVERY - 1)
        worst = await thread_bytes(database, f"{store}:5215500000100")
        print(f"checkpoint_bytes_worst_case: {worst}")

        # AsyncPostgresSaver serializes all its queries behind one asyncio.Lock (langgraph
        # #7259). Several savers over the same pool, each with its own lock, show whether
        # that lock is what caps throughput.
        for savers in (1, 4):
            engines = [engine] + [Engine(services, Timed(database.pool)) for _ in range(savers - 1)]
            for n in sorted({1, concurrency}):
                started = time.perf_counter()
                await asyncio.gather(
                    *(
                        conversation(engines[i % savers], store, f"5{savers}{n:03d}{i:05d}", 26)
                        for i in range(n)
                    )
                )
                rate = n * 26 / (time.perf_counter() - started)
                print(f"throughput_{n}_conversations_{savers}_savers_msgs_per_s: {rate:.1f}")
    finally:
        install(None)
        await database.close()
