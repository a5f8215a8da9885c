"""The Docker image's entry point (gunicorn + uvicorn workers) serves the probes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import REPO
from tests.servers import free_port, wait_until_ready


def test_gunicorn_with_two_workers_becomes_ready(database_url: str) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WHSP_LOG_FORMAT": "json",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(
        [gunicorn, "--config", str(REPO / "gunicorn.conf.py"), "whsp_ai.api.asgi:app"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        ready = wait_until_ready(f"http://127.0.0.1:{port}/readyz", proc, timeout_s=60)
        assert ready, "gunicorn never became ready"
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json() == {"status": "ok"}
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output
