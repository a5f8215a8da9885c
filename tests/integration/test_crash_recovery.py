"""Kill the worker at injected points, restart it, and check everything a turn leaves behind.

A real process is killed (os._exit, as SIGKILL or a power cut would) at each point; a
fresh worker must then finish the work exactly once: the cart, the replies and the outbox,
and the conversation's state (checkout stage, last list shown, turn count), which must
match a twin conversation that never crashed, before and after the customer's next message.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from sqlmodel import col, select

from tests.factories import make_business
from tests.whatsapp import Phone, settle, tap, text_message
from whsp_ai.db.database import Database
from whsp_ai.db.models import Approval, InboundMessage, OutboundMessage
from whsp_ai.db.repositories import carts, customers
from whsp_ai.graph.graph import builder

PNID = "110000000000001"
CUSTOMER = "5215512347777"
TWIN = "5215512346666"  # the same messages, never crashed
ADDRESS = "Av. Reforma 123, Col. Juárez, CDMX"
WHSP = str(Path(sys.executable).with_name("whsp-ai"))
# What a turn leaves in the checkpoint that the customer was told about.
STATE_KEYS = ("checkout", "shown", "turns", "focus", "pending", "lang")


def worker(database_url: str, fault: str | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "WHSP_FAULT"}
    env.update(
        DATABASE_URL=database_url,
        WHSP_STALLED_AFTER_S="1",
        WHSP_SENDING_STUCK_AFTER_S="1",
        WHSP_LOG_FORMAT="json",
    )
    if fault:
        env["WHSP_FAULT"] = fault
    return subprocess.Popen(
        [WHSP, "worker", "--concurrency", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def wait_for(check, timeout_s: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.2)
    raise AssertionError("timed out")


async def cart_of(db: Database, business_id: int, wa_id: str) -> dict[str, int]:
    async with db.session() as s:
        customer = await customers.by_wa_id(s, business_id=business_id, wa_id=wa_id)
        assert customer is not None and customer.id is not None
        lines = await carts.lines(s, business_id=business_id, customer_id=customer.id)
    return {line.sku: line.quantity for line in lines}


async def last_message(db: Database, wa_id: str) -> tuple[InboundMessage, list[OutboundMessage]]:
    """The customer's latest inbound message and the outbox rows it produced."""
    async with db.session() as s:
        message = (
            (
                await s.execute(
                    select(InboundMessage)
                    .where(InboundMessage.customer_wa_id == wa_id)
                    .order_by(col(InboundMessage.id).desc())
                )
            )
            .scalars()
            .first()
        )
        assert message is not None
        rows = list(
            (
                await s.execute(
                    select(OutboundMessage).where(
                        OutboundMessage.inbound_message_id == message.id
                        # the read receipt carries no inbound id: it is keyed 'read:<id>'
                    )
                )
            ).scalars()
        )
        receipt = (
            await s.execute(
                select(OutboundMessage).where(OutboundMessage.dedupe_key == f"read:{message.id}")
            )
        ).scalar_one_or_none()
    return message, rows + ([receipt] if receipt is not None else [])


async def conversation_state(db: Database, business_id: int, wa_id: str) -> dict[str, Any]:
    graph = builder.compile(checkpointer=AsyncPostgresSaver(db.pool))
    snapshot = await graph.aget_state({"configurable": {"thread_id": f"{business_id}:{wa_id}"}})
    return {k: snapshot.values.get(k) for k in STATE_KEYS}


@pytest.mark.parametrize("fault", ["turn_before_commit", "turn_after_commit", "before_send"])
async def test_killed_worker_work_is_finished_exactly_once(
    fault: str, service: httpx.AsyncClient, db: Database, database_url: str
) -> None:
    business_id = (await make_business(db, whatsapp={"phone_number_id": PNID})).business_id
    phones = {wa: Phone(service, PNID, wa) for wa in (CUSTOMER, TWIN)}
    for phone in phones.values():  # a cart, a list shown, checkout asking to confirm the cart
        await phone.say("conchas")
        for action in ("add:CONCHA", "checkout:start"):
            await phone.post(tap(phone.wa_id, action))
            await settle()
    await phones[TWIN].post(tap(TWIN, "checkout:continue"))
    await settle()  # the twin is asked for the address, uncrashed

    acked = await phones[CUSTOMER].post(tap(CUSTOMER, "checkout:continue"))
    assert acked.status_code == 200
    crashed = worker(database_url, fault)
    output, _ = crashed.communicate(timeout=90)
    assert crashed.returncode == 137, output  # it died at the injected point
    time.sleep(1.5)  # its heartbeat goes stale

    restarted = worker(database_url)
    try:

        async def done() -> bool:
            message, rows = await last_message(db, CUSTOMER)
            return (
                message.status == "processed"
                and any(r.payload.get("type") for r in rows)
                and all(r.status in ("sandbox", "read_receipt") for r in rows)
            )

        await wait_for(done)
        await asyncio.sleep(1.0)  # room for a duplicate to appear, if there were one
    finally:
        restarted.terminate()
        restarted.communicate(timeout=30)

    assert await cart_of(db, business_id, CUSTOMER) == {"CONCHA": 1}, "applied once"
    _, rows = await last_message(db, CUSTOMER)
    replies = [r for r in rows if r.payload.get("type")]
    assert len(replies) == 1, "one reply, delivered once"
    assert replies[0].status == "sandbox"
    # the row the dead sender had claimed (the read receipt goes first) was claimed again
    assert max(r.attempts for r in rows) == (2 if fault == "before_send" else 1)

    twin, crashed_state = [await conversation_state(db, business_id, wa) for wa in (TWIN, CUSTOMER)]
    assert crashed_state["checkout"] == {"stage": "address"}
    assert crashed_state == twin, "the state remembers the turn the customer was answered"

    # The customer answers what they were asked: an address, not a product to look for.
    for phone in phones.values():
        await phone.post(text_message(phone.wa_id, ADDRESS))
    await settle()
    twin, crashed_state = [await conversation_state(db, business_id, wa) for wa in (TWIN, CUSTOMER)]
    assert crashed_state["checkout"] is not None
    assert crashed_state["checkout"]["stage"] == "payment"
    assert crashed_state == twin
    async with db.session() as s:
        assert (await s.execute(select(Approval))).first() is None, "no junk approval"
