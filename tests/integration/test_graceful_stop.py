"""Stopping the service lets the sends in flight finish instead of cutting them off.

A send cut off after Meta took it would stay "sending" and be sent again, a duplicate the
customer sees, once WHSP_SENDING_STUCK_AFTER_S had passed (every deploy, every worker).
"""

from __future__ import annotations

import asyncio

import httpx
import respx
from sqlmodel import select

from tests.factories import make_business
from tests.whatsapp import GRAPH, Phone, running, text_message
from whsp_ai.db.database import Database
from whsp_ai.db.models import OutboundMessage

PNID = "110000000000001"
CUSTOMER = "5215512348888"


async def test_stop_waits_for_the_send_in_flight(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    await make_business(db)
    answered = 0

    async def slow_meta(request: httpx.Request) -> httpx.Response:
        nonlocal answered
        await asyncio.sleep(0.5)
        answered += 1
        return httpx.Response(200, json={"messages": [{"id": f"wamid.slow{answered}"}]})

    respx_mock.post(f"{GRAPH}/{PNID}/messages").mock(side_effect=slow_meta)
    await Phone(service, PNID, CUSTOMER).post(text_message(CUSTOMER, "ayuda"))
    channel = running()
    await channel.run_queued()
    channel._tasks.append(asyncio.create_task(channel.sender.run(), name="whsp-sender"))

    async def statuses() -> list[str]:
        async with db.session() as s:
            return [m.status for m in (await s.execute(select(OutboundMessage))).scalars()]

    while "sending" not in await statuses():  # the read receipt is on its way to Meta
        await asyncio.sleep(0.02)
    await channel.stop()
    assert "sending" not in await statuses()
    assert answered >= 1
