"""The floor: the least a checkpointed LangGraph turn can cost on this machine and database.

A one-node graph compiled with `AsyncPostgresSaver` on a psycopg pool built like ours,
one thread per conversation, `durability="exit"` (one checkpoint per turn, as our engine
writes). It runs the same number of conversations at once, each sending its turns one
after the other, as the load test's customers do, in a process of its own at the workers'
CPU priority (`whsp-ai worker` lowers its own by 10), so other load on the machine weighs
on both alike. Our end-to-end p50 divided by its p50 is a ratio a noisy or slower machine
can't fake.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from typing import Any, TypedDict

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, StateGraph
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from whsp_ai.db.database import APPLICATION_NAME

WORKER_NICE = 10  # `whsp-ai worker`'s default --nice


class FloorState(TypedDict, total=False):
    text: str
    reply: str
    turns: int


def _answer(state: FloorState) -> dict[str, Any]:
    return {"reply": f"ok: {state.get('text', '')}", "turns": state.get("turns", 0) + 1}


async def run_floor(url: str, conversations: int, turns: int) -> list[float]:
    """Turn latencies in ms, `conversations` at once, `turns` each."""
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        url,
        min_size=2,
        max_size=10,
        kwargs={
            "autocommit": True,
            "row_factory": dict_row,
            "prepare_threshold": None,
            "application_name": APPLICATION_NAME,
        },
        open=False,
    )
    await pool.open(wait=True)
    try:
        saver = AsyncPostgresSaver(pool)
        await saver.setup()
        graph = (
            StateGraph(FloorState)
            .add_node("answer", _answer)
            .add_edge(START, "answer")
            .add_edge("answer", END)
            .compile(checkpointer=saver)
        )
        latencies: list[float] = []

        async def conversation(n: int) -> None:
            config: Any = {"configurable": {"thread_id": f"floor:{n}"}}
            for i in range(turns):
                started = time.perf_counter()
                await graph.ainvoke({"text": f"message {i}"}, config, durability="exit")
                latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(conversation(n) for n in range(conversations)))
        return latencies
    finally:
        await pool.close()


def floor_in_child(url: str, conversations: int, turns: int) -> tuple[list[float], float]:
    """run_floor in a child process at the workers' priority: turn latencies in ms, and
    the seconds the turns took."""
    command = [sys.executable, "-m", "whsp_ai.bench.floor", url, str(conversations), str(turns)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"the floor run failed: {done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return [float(v) for v in result["latencies_ms"]], float(result["seconds"])


async def _timed(url: str, conversations: int, turns: int) -> dict[str, Any]:
    started = time.perf_counter()
    latencies = await run_floor(url, conversations, turns)
    return {"latencies_ms": latencies, "seconds": time.perf_counter() - started}


if __name__ == "__main__":
    os.nice(WORKER_NICE)
    url, conversations, turns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(asyncio.run(_timed(url, conversations, turns))))
