"""Kill the worker at injected points, restart it, and check cart, orders and outbox.

A real process is killed (os._exit, as SIGKILL or a power cut would) at each point; a
fresh worker must then finish the work exactly once.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from tests.factories import make_business
from tests.whatsapp import Phone, tap
from whsp_ai.db.database import Database
from whsp_ai.db.models import InboundMessage, OutboundMessage
from whsp_ai.db.repositories import carts, customers

PNID = "110000000000001"
CUSTOMER = "5215512347777"
WHSP = str(Path(sys.executable).with_name("whsp-ai"))


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


async def state(
    db: Database, business_id: int
) -> tuple[dict[str, int], list[OutboundMessage], str]:
    async with db.session() as s:
        customer = await customers.by_wa_id(s, business_id=business_id, wa_id=CUSTOMER)
        cart = {}
        if customer is not None and customer.id is not None:
            cart = {
                line.sku: line.quantity
                for line in await carts.lines(s, business_id=business_id, customer_id=customer.id)
            }
        sent = list(
            (
                await s.execute(select(OutboundMessage).where(OutboundMessage.to_wa_id == CUSTOMER))
            ).scalars()
        )
        [message] = (await s.execute(select(InboundMessage))).scalars().all()
    return cart, sent, message.status


@pytest.mark.parametrize("fault", ["turn_before_commit", "turn_after_commit", "before_send"])
async def test_killed_worker_work_is_finished_exactly_once(
    fault: str, service: httpx.AsyncClient, db: Database, database_url: str
) -> None:
    business_id = (await make_business(db, whatsapp={"phone_number_id": PNID})).business_id
    phone = Phone(service, PNID, CUSTOMER)
    assert (await phone.post(tap(CUSTOMER, "add:CONCHA", "Agregar"))).status_code == 200  # acked

    crashed = worker(database_url, fault)
    output, _ = crashed.communicate(timeout=90)
    assert crashed.returncode == 137, output  # it died at the injected point
    time.sleep(1.5)  # its heartbeat goes stale

    restarted = worker(database_url)
    try:

        async def done() -> bool:
            _, sent, status = await state(db, business_id)
            replies = [m for m in sent if m.payload.get("type")]
            return (
                status == "processed"
                and bool(replies)
                and all(m.status == "sandbox" for m in sent if m.status != "read_receipt")
            )

        await wait_for(done)
        await asyncio.sleep(1.0)  # room for a duplicate to appear, if there were one
    finally:
        restarted.terminate()
        restarted.communicate(timeout=30)
    cart, sent, _ = await state(db, business_id)
    assert cart == {"CONCHA": 1}, "the message was applied once"
    replies = [m for m in sent if m.payload.get("type")]
    assert len(replies) == 1, "one reply, delivered once"
    assert replies[0].status == "sandbox"
    # the row the dead sender had claimed (the read receipt goes first) was claimed again
    assert max(m.attempts for m in sent) == (2 if fault == "before_send" else 1)
