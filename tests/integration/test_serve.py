"""`whsp-ai serve --demo` on its own embedded Postgres: ready with demo data, clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import psycopg

from tests.servers import free_port, wait_until_ready
from whsp_ai.db.embedded import APP_DATABASE

WHSP = str(Path(sys.executable).with_name("whsp-ai"))


def test_serve_demo_answers_probes_and_stops_its_postgres(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(WHSP_DATA_DIR=str(data_dir), WHSP_LOG_FORMAT="json")
    proc = subprocess.Popen(
        [WHSP, "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_until_ready(f"http://127.0.0.1:{port}/readyz", proc)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
        socket_dir = (data_dir / "postmaster.pid").read_text().splitlines()[4]
        url = f"postgresql://postgres@/{APP_DATABASE}?host={socket_dir}"
        with psycopg.connect(url) as conn:
            slugs = [r[0] for r in conn.execute("SELECT slug FROM businesses ORDER BY slug")]
        assert slugs == ["ferreteria-don-pepe", "tea-and-kettle"]
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    # uvicorn re-raises the signal after a graceful shutdown, so "killed by SIGTERM" is clean
    assert proc.returncode in (0, -signal.SIGTERM), output
    assert "shutting down" in output and "Traceback" not in output
    assert "demo business created" in output
    deadline = time.monotonic() + 10
    while psutil.pid_exists(postmaster) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not psutil.pid_exists(postmaster), "the embedded Postgres outlived the service"
