"""Webhook load test over loopback: ack latency at a fixed request rate, end-to-end throughput.

`python -m whsp_ai.whatsapp.loadtest` (or `make bench-webhook`). It starts `whsp-ai serve`
on a throwaway database with the demo businesses in sandbox mode (no Meta), sends signed
webhook POSTs at a steady rate from many customers, and waits until every message has
been processed and its reply delivered to the sandbox. It prints figures; nothing is
asserted. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg

from whsp_ai.db.embedded import scratch_database
from whsp_ai.whatsapp.payloads import envelope, text_message
from whsp_ai.whatsapp.signature import sign

SECRET = "loadtest-secret"  # noqa: S105  (signs loopback test traffic only)
MESSAGES = [
    "hola",
    "¿tienen desarmador de cruz?",
    "agrega 2 desarmadores de cruz",
    "qué llevo",
    "quita el desarmador",
    "agrega una cinta de aislar",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _payload(pnid: str, wa_id: str, n: int, text: str) -> bytes:
    message = text_message(wa_id, text, f"wamid.load.{n}")
    return json.dumps(envelope(pnid, [message], names={wa_id: "Load"})).encode()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def load(
    base: str, url: str, rate: float, seconds: float, customers: int, processing: bool
) -> None:
    total = int(rate * seconds)
    acks: list[float] = []
    failures = 0
    counter = itertools.count()
    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=200)
    timeout = httpx.Timeout(60.0, pool=None)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:

        async def one(n: int) -> None:
            nonlocal failures
            body = _payload(
                "100000000000001",
                f"52155{n % customers:08d}",
                n,
                MESSAGES[(n // customers) % len(MESSAGES)],
            )
            headers = {
                "X-Hub-Signature-256": sign(SECRET, body),
                "Content-Type": "application/json",
            }
            started = time.perf_counter()
            response = await client.post("/webhook", content=body, headers=headers)
            acks.append((time.perf_counter() - started) * 1000)
            failures += response.status_code != 200

        started = time.perf_counter()
        tasks = []
        for i in range(total):  # open loop: a request every 1/rate seconds, whatever happens
            tasks.append(asyncio.create_task(one(next(counter))))
            delay = started + (i + 1) / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        await asyncio.gather(*tasks)
        sent_for = time.perf_counter() - started

    with psycopg.connect(url, autocommit=True) as conn:
        deadline = time.monotonic() + (600 if processing else 0)
        while time.monotonic() < deadline:
            done = conn.execute(
                "SELECT count(*) FROM inbound_messages WHERE status = 'processed'"
            ).fetchone()
            delivered = conn.execute(
                "SELECT count(DISTINCT inbound_message_id) FROM outbound_messages "
                "WHERE status = 'sandbox'"
            ).fetchone()
            if done and delivered and done[0] >= total and delivered[0] >= total:
                break
            await asyncio.sleep(0.2)
        finished = time.perf_counter() - started
        statuses = conn.execute(
            "SELECT status, count(*) FROM outbound_messages GROUP BY status ORDER BY status"
        ).fetchall()
        print("outbox:", ", ".join(f"{status} {n}" for status, n in statuses))
        inbound_rows = conn.execute("SELECT count(*) FROM inbound_messages").fetchone()
        dupes = conn.execute(
            "SELECT count(*) FROM (SELECT dedupe_key FROM outbound_messages GROUP BY dedupe_key "
            "HAVING count(*) > 1) d"
        ).fetchone()
    recorded = inbound_rows[0] if inbound_rows else 0
    print(f"requests: {total} at {rate:.0f}/s over {sent_for:.1f}s from {customers} customers")
    print(f"ack_p50_ms: {statistics.median(acks):.1f}")
    print(f"ack_p99_ms: {pct(acks, 0.99):.1f}")
    print(f"ack_failures: {failures}")
    if processing:
        print(f"end_to_end_msgs_per_s: {total / finished:.1f}")
    print(f"lost: {total - recorded} duplicated: {dupes[0] if dupes else 0}")


async def main_async(args: argparse.Namespace) -> None:
    with scratch_database(args.data_dir, "load") as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "WHATSAPP_APP_SECRET": SECRET,
            "WHSP_LOG_LEVEL": "WARNING",
            "WHSP_LOG_FORMAT": "json",
        }
        env.pop("WHATSAPP_ACCESS_TOKEN", None)
        port = _free_port()
        whsp = str(Path(sys.executable).with_name("whsp-ai"))
        # The deployment shape: an HTTP-only API process, and worker processes beside it.
        command = [whsp, "serve", "--demo", "--no-workers", "--port", str(port)]
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: ASYNC220, S603
        workers = [
            subprocess.Popen([whsp, "worker"], env=env, stderr=subprocess.DEVNULL)  # noqa: ASYNC220, S603
            for _ in range(args.workers)
        ]
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient() as client:
                for _ in range(300):
                    try:
                        if (await client.get(f"{base}/readyz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.2)
            await load(base, url, args.rate, args.seconds, args.customers, args.workers > 0)
        finally:
            for process in (server, *workers):
                process.terminate()
            for process in (server, *workers):
                process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200.0, help="webhook requests per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes beside the API (0: measure acks only)",
    )
    parser.add_argument("--data-dir", type=Path, default=Path(".whsp-data"))
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
