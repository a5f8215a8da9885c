"""The Docker image's entry point (gunicorn + uvicorn workers) boots on an empty database.

A first `docker compose up` starts every worker at once on a database with no tables. Each
prepares the schema (ours, LangGraph's checkpointer's, procrastinate's); they must take
turns, or one dies on a UniqueViolation and gunicorn halts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import REPO
from tests.servers import free_port, wait_until_ready
from whsp_ai.db import migrate
from whsp_ai.db.embedded import EmbeddedPostgres

WORKERS = 2


@pytest.fixture
def fresh_database_url(embedded_pg: EmbeddedPostgres) -> Iterator[str]:
    """A database with nothing in it, as on a first deployment."""
    name = f"boot_{uuid.uuid4().hex[:10]}"
    admin = embedded_pg.url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield embedded_pg.url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_gunicorn_workers_boot_together_on_an_empty_database(
    fresh_database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database_url,
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WHSP_LOG_FORMAT": "json",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [gunicorn, "--config", str(REPO / "gunicorn.conf.py"), "whsp_ai.api.asgi:app"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        ready = wait_until_ready(f"http://127.0.0.1:{port}/readyz", proc, timeout_s=90)
        assert ready, log_path.read_text()
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json() == {"status": "ok"}
        # Every worker, not just the first, finished its lifespan and serves.
        deadline = time.monotonic() + 60
        while log_path.read_text().count('"service ready"') < WORKERS:
            assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    output = log_path.read_text()
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output
    assert "Worker exited" not in output and "UniqueViolation" not in output, output


def test_schema_steps_started_together_take_turns(fresh_database_url: str) -> None:
    """Four processes' worth of start-ups at once: every one gets a complete schema."""
    with ThreadPoolExecutor(4) as pool:
        for future in [pool.submit(migrate.prepare_schema, fresh_database_url) for _ in range(4)]:
            future.result()  # raises what a racing step raised
    with psycopg.connect(fresh_database_url) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables")}
    assert {"businesses", "checkpoints", "checkpoint_migrations", "procrastinate_jobs"} <= tables
