"""The chaos run's end-of-run checks, beyond the ledger's lost / duplicated / out of order.

- **outbox stuck**: rows still `queued` or `sending` once the run has settled, or `failed`.
- **carts and checkout stages that disagree**: a reference customer per business plays the
  script twice before any kill, noting the cart and checkout stage after each step. A chaos
  customer whose n messages were all answered must have the reference's cart and stage of
  step n (of the second cycle once past the first). Customers whose script drifted (a
  button that was not there, a reply that never came) are counted apart, not compared.
- **checkpoints behind**: per conversation, the `turns` its checkpoint remembers against
  the messages marked processed. Every scripted message is a turn, so the two are equal
  unless a turn committed without its checkpoint (or the other way round: ahead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg.rows import dict_row

from whsp_ai.bench import scripts
from whsp_ai.bench.scripts import BenchBusiness

CART_SQL = """
SELECT p.sku, i.quantity FROM cart_items i
JOIN carts c ON c.id = i.cart_id
JOIN customers u ON u.id = c.customer_id
JOIN products p ON p.id = i.product_id
WHERE u.business_id = %(business_id)s AND u.wa_id = %(wa_id)s
"""
PROCESSED_SQL = """
SELECT business_id, customer_wa_id, count(*) FILTER (WHERE status = 'processed') AS processed
FROM inbound_messages GROUP BY business_id, customer_wa_id
"""
STUCK_SQL = """
SELECT count(*) AS n FROM outbound_messages WHERE status IN ('queued', 'sending', 'failed')
"""

Step = tuple[dict[str, int], str | None]  # the cart, the checkout stage


@dataclass
class Reference:
    url: str
    ids: dict[str, int]  # business id by phone number id
    steps: dict[str, list[Step]] = field(default_factory=dict)  # by phone number id


async def _step(conn: psycopg.AsyncConnection[Any], business_id: int, wa_id: str) -> Step:
    rows = await (
        await conn.execute(CART_SQL, {"business_id": business_id, "wa_id": wa_id})
    ).fetchall()
    saver = AsyncPostgresSaver(conn)
    found = await saver.aget_tuple({"configurable": {"thread_id": f"{business_id}:{wa_id}"}})
    values = found.checkpoint["channel_values"] if found else {}
    checkout = values.get("checkout") or {}
    return {r["sku"]: r["quantity"] for r in rows}, checkout.get("stage")


async def _turns(conn: psycopg.AsyncConnection[Any], business_id: int, wa_id: str) -> int:
    saver = AsyncPostgresSaver(conn)
    found = await saver.aget_tuple({"configurable": {"thread_id": f"{business_id}:{wa_id}"}})
    return int(found.checkpoint["channel_values"].get("turns", 0)) if found else 0


async def _connect(url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(url, autocommit=True, row_factory=dict_row)


async def record_step(reference: Reference, business: BenchBusiness, wa_id: str) -> None:
    """After the reference customer's message was answered: its cart and stage now."""
    async with await _connect(reference.url) as conn:
        step = await _step(conn, reference.ids[business.phone_number_id], wa_id)
    reference.steps.setdefault(business.phone_number_id, []).append(step)


def expected(steps: list[Step], turns: int) -> Step:
    cycle = len(steps) // 2
    index = turns - 1 if turns <= cycle else cycle + (turns - 1) % cycle
    return steps[index]


async def check(
    url: str,
    ids: dict[str, int],
    businesses: list[BenchBusiness],
    reference: Reference,
    tally: Any,
) -> dict[str, Any]:
    """Outbox, carts, stages and checkpoints once the run has settled."""
    problems: list[str] = []
    carts_wrong = stages_wrong = off_script = behind = ahead = 0
    async with await _connect(url) as conn:
        stuck = (await (await conn.execute(STUCK_SQL)).fetchone() or {"n": 0})["n"]
        for b in businesses:
            steps = reference.steps.get(b.phone_number_id, [])
            for wa_id in _chaos_customers(b, tally):
                turns = tally.turns.get((b.phone_number_id, wa_id), 0)
                if not turns or not steps:
                    continue
                if tally.script_misses.get(wa_id) or tally.reply_timeouts.get(wa_id):
                    off_script += 1
                    continue
                cart, stage = await _step(conn, ids[b.phone_number_id], wa_id)
                want_cart, want_stage = expected(steps, turns)
                if cart != want_cart:
                    carts_wrong += 1
                    problems.append(f"{wa_id} after {turns}: cart {cart}, script {want_cart}")
                if stage != want_stage:
                    stages_wrong += 1
                    problems.append(f"{wa_id} after {turns}: stage {stage}, script {want_stage}")
        rows = await (await conn.execute(PROCESSED_SQL)).fetchall()
        for row in rows:
            turns = await _turns(conn, row["business_id"], row["customer_wa_id"])
            if turns < row["processed"]:
                behind += 1
                problems.append(
                    f"{row['business_id']}:{row['customer_wa_id']}: checkpoint at turn {turns}, "
                    f"{row['processed']} messages processed"
                )
            elif turns > row["processed"]:
                ahead += 1
    return {
        "outbox_stuck": stuck,
        "carts_wrong": carts_wrong,
        "stages_wrong": stages_wrong,
        "customers_off_script": off_script,
        "conversations": len(rows),
        "checkpoints_behind": behind,
        "checkpoints_ahead": ahead,
        "check_problems": problems[:20],
    }


def _chaos_customers(business: BenchBusiness, tally: Any) -> list[str]:
    prefix = scripts.customer_id(business.index, "conversations", 0)[:7]
    return sorted(
        wa for pnid, wa in tally.turns if pnid == business.phone_number_id and wa[:7] == prefix
    )


FAILING = (
    "lost",
    "duplicated",
    "out_of_order",
    "outbox_stuck",
    "carts_wrong",
    "stages_wrong",
    "checkpoints_behind",
    "checkpoints_ahead",
)


def failures(result: dict[str, Any]) -> dict[str, int]:
    """The counts that fail the run (duplicates in the send window do not)."""
    return {k: int(result[k]) for k in FAILING if result.get(k)}
