"""A message held by a killed worker is retried soon after the stall threshold, not on the
minute tick, by a worker that was already running (no new worker starts to recover it)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlmodel import select

from tests.factories import make_business
from tests.whatsapp import Phone, text_message
from whsp_ai.channel import RECOVERY_CHECKS
from whsp_ai.db.database import Database
from whsp_ai.db.models import InboundMessage

PNID = "110000000000001"
WHSP = str(Path(sys.executable).with_name("whsp-ai"))
STALLED_AFTER_S = 4.0
# Staleness (the threshold), one check interval, and room for the retried turn itself.
WORST_CASE_S = STALLED_AFTER_S + STALLED_AFTER_S / RECOVERY_CHECKS + 2.5


def worker(database_url: str, fault: str | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "WHSP_FAULT"}
    env.update(
        DATABASE_URL=database_url,
        WHSP_STALLED_AFTER_S=str(STALLED_AFTER_S),
        WHSP_LOG_FORMAT="json",
        WHSP_LOG_LEVEL="WARNING",  # stderr is read only up to "worker running"
    )
    if fault:
        env["WHSP_FAULT"] = fault
    return subprocess.Popen(
        [WHSP, "worker", "--concurrency", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_running(proc: subprocess.Popen[str]) -> None:
    """Until the worker says it runs (its start-up recovery pass is behind it)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if "worker running" in line:
            return
    raise AssertionError(f"the worker exited ({proc.wait()})")


async def statuses(db: Database) -> list[str]:
    async with db.session() as s:
        return [m.status for m in (await s.execute(select(InboundMessage))).scalars()]


async def test_killed_workers_message_is_retried_near_the_stall_threshold(
    service: httpx.AsyncClient, db: Database, database_url: str
) -> None:
    await make_business(db, whatsapp={"phone_number_id": PNID})
    survivor = worker(database_url)
    doomed = worker(database_url, "turn_before_commit")  # dies holding its message
    try:
        wait_running(survivor)
        wait_running(doomed)
        # Both workers compete for messages; send until the doomed one has taken one.
        for n in range(20):
            wa_id = f"52155100{n:05d}"
            await Phone(service, PNID, wa_id).post(text_message(wa_id, "hola"))
            for _ in range(40):
                if doomed.poll() is not None:
                    break
                await asyncio.sleep(0.05)
            if doomed.poll() is not None:
                break
        died_at = time.monotonic()
        assert doomed.returncode == 137, "the doomed worker never took a message"

        while "received" in await statuses(db):
            assert time.monotonic() - died_at < 90, "never retried"
            await asyncio.sleep(0.05)
        recovered_after = time.monotonic() - died_at
    finally:
        for proc in (survivor, doomed):
            proc.terminate()
            proc.communicate(timeout=30)
    print(f"recovered {recovered_after:.1f}s after the kill (threshold {STALLED_AFTER_S}s)")
    assert recovered_after < WORST_CASE_S
