"""The floor: the least a checkpointed LangGraph turn can cost on this machine and database.

A one-node graph compiled with `AsyncPostgresSaver` on a psycopg pool built like ours,
one thread per conversation, `durability="exit"` (one checkpoint per turn, as our engine
writes). It runs the same number of conversations at once, each sending its turns one
after the other, as the load test's customers do. Our end-to-end p50 divided by its p50
is a ratio a noisy or slower machine can't fake.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, TypedDict

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, StateGraph
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from whsp_ai.db.database import APPLICATION_NAME


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
