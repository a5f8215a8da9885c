"""The server's memory during a 48 MB unsigned chunked POST /webhook, refused at 3 MB:
`python -m tests.measure_webhook_upload`. Prints one JSON object.

uvicorn runs in a subprocess on a scratch database (PYTHONPATH passes through, so the
same command measures other code); its RSS is sampled while the upload runs.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import psutil
import psycopg
from psycopg import sql

from tests.conftest import TEST_DATA_DIR
from whsp_ai.db.embedded import EmbeddedPostgres

UPLOAD = 48 * 1024 * 1024
CHUNK = 64 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chunks(sent: list[int]) -> Iterator[bytes]:
    block = b"x" * CHUNK
    while sent[0] < UPLOAD:
        sent[0] += CHUNK
        yield block


def measure(url: str) -> dict[str, object]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WHATSAPP_")}
    env.update(DATABASE_URL=url, WHSP_LOG_LEVEL="warning")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "whsp_ai.api.asgi:app", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        process = psutil.Process(server.pid)
        httpx.post(f"{base}/webhook", content=b"{}")  # warm the route
        before = process.memory_info().rss
        peak = [before]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], process.memory_info().rss)
                time.sleep(0.005)

        sampler = threading.Thread(target=sample)
        sampler.start()
        sent = [0]
        started = time.perf_counter()
        try:
            status: object = httpx.post(
                f"{base}/webhook", content=_chunks(sent), timeout=60
            ).status_code
        except httpx.HTTPError as exc:  # the server may close the upload after refusing it
            status = type(exc).__name__
        elapsed = time.perf_counter() - started
        time.sleep(0.3)
        done.set()
        sampler.join()
        after = process.memory_info().rss
        mb = 1024 * 1024
        return {
            "status": status,
            "client_sent_mb": round(sent[0] / mb, 1),
            "seconds": round(elapsed, 2),
            "rss_before_mb": round(before / mb, 1),
            "rss_peak_growth_mb": round((peak[0] - before) / mb, 1),
            "rss_after_growth_mb": round((after - before) / mb, 1),
        }
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    pg = EmbeddedPostgres(TEST_DATA_DIR)
    pg.start()
    name = f"upload_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg.url("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        print(json.dumps(measure(pg.url(name)), indent=2))
    finally:
        with psycopg.connect(pg.url("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


if __name__ == "__main__":
    main()
