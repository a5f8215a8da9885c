"""The service under test, deployed the way a 2-core machine runs it: an HTTP-only API
process (`whsp-ai serve --no-workers`) and `whsp-ai worker` processes beside it, on a
scratch database of the embedded Postgres, sending replies to the fake Graph API."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import psutil

from whsp_ai.bench.scripts import BenchBusiness
from whsp_ai.db.database import Database
from whsp_ai.importer.load import import_business
from whsp_ai.settings import Settings

SECRET = "bench-app-secret"  # noqa: S105  (signs loopback benchmark traffic only)
TOKEN = "bench-access-token"  # noqa: S105  (the fake Graph API's only accepted token)
API_VERSION = "v23.0"


async def prepare(url: str, businesses: list[BenchBusiness]) -> dict[str, int]:
    """Prepare the scratch database's schema (ours, the checkpointer's and the queue's) and
    import the businesses. Their ids by phone number id."""
    database = Database(Settings(DATABASE_URL=url))
    await database.open()
    try:
        ids = {}
        for business in businesses:
            async with database.session() as session:
                result = await import_business(session, business.file)
            ids[business.phone_number_id] = result.business_id
        return ids
    finally:
        await database.close()


class Service:
    """The API and worker processes; their logs go to a temporary directory."""

    def __init__(
        self,
        url: str,
        graph_port: int,
        workers: int,
        concurrency: int,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.url = url
        self.workers_n = workers
        self.concurrency = concurrency
        self.port = _free_port()
        self.logs = Path(tempfile.mkdtemp(prefix="whsp-bench-"))
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("WHATSAPP_", "GOOGLE_", "WHSP_FAULT"))
        }
        self.env.update(
            DATABASE_URL=url,
            LLM_PROVIDER="offline",
            WHATSAPP_APP_SECRET=SECRET,
            WHATSAPP_ACCESS_TOKEN=TOKEN,
            WHATSAPP_GRAPH_URL=f"http://127.0.0.1:{graph_port}",
            WHATSAPP_API_VERSION=API_VERSION,
            WHSP_LOG_FORMAT="json",
        )
        self.env.update(extra_env or {})
        self.api: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []
        self.spawns: dict[str, int] = {}

    def start(self) -> None:
        self.api = self._spawn("api")
        self.workers = [self._spawn(f"worker-{i}") for i in range(self.workers_n)]

    def _command(self, name: str) -> list[str]:
        whsp = str(Path(sys.executable).with_name("whsp-ai"))
        if name == "api":
            return [whsp, "serve", "--no-workers", "--host", "127.0.0.1", "--port", str(self.port)]
        return [whsp, "worker", "--concurrency", str(self.concurrency)]

    def _spawn(self, name: str) -> subprocess.Popen[bytes]:
        self.spawns[name] = self.spawns.get(name, 0) + 1
        log = (self.logs / f"{name}.log").open("ab")  # a restarted process appends
        return subprocess.Popen(  # noqa: S603
            self._command(name), env=self.env, stdout=log, stderr=log
        )

    def ready(self, name: str) -> bool:
        """Whether the latest start of this process got to serving (it says so in its log)."""
        said = "service ready" if name == "api" else "worker running"
        path = self.logs / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return text.count(said) >= self.spawns.get(name, 0)

    def kill(self, name: str) -> None:
        """SIGKILL one process (the chaos test): no cleanup, as an OOM kill or power cut."""
        process = self.processes()[name]
        if process.poll() is None:
            process.kill()
        process.wait()

    def respawn(self, name: str) -> None:
        """Start a process again in the place of a dead one."""
        if self.processes()[name].poll() is None:
            return
        if name == "api":
            self.api = self._spawn(name)
        else:
            self.workers[int(name.split("-")[1])] = self._spawn(name)

    async def wait_ready(self, timeout_s: float = 90) -> None:
        async with httpx.AsyncClient() as client:
            for _ in range(int(timeout_s / 0.2)):
                self._check_alive()
                try:
                    response = await client.get(f"http://127.0.0.1:{self.port}/readyz")
                    if response.status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"the API did not become ready; logs in {self.logs}")

    def _check_alive(self) -> None:
        for name, process in self.processes().items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}): {self.log_tail(name)}")

    def processes(self) -> dict[str, subprocess.Popen[bytes]]:
        named = {"api": self.api} if self.api is not None else {}
        return {**named, **{f"worker-{i}": w for i, w in enumerate(self.workers)}}

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.processes().items()}

    def log_tail(self, name: str, chars: int = 2000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def log_problems(self) -> int:
        """Lines logged at WARNING or above by any process (the service runs at WARNING)."""
        return sum(
            1
            for path in self.logs.glob("*.log")
            for line in path.read_text(errors="replace").splitlines()
            if '"level": "warning"' in line or '"level": "error"' in line or "Traceback" in line
        )

    def stop(self, keep_logs: bool = False) -> None:
        processes = list(self.processes().values())
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if not keep_logs:
            shutil.rmtree(self.logs, ignore_errors=True)

    def cpu_snapshot(self) -> dict[str, dict[int, float]]:
        """CPU seconds used so far, per process: ours, this one, and the Postgres backends
        serving the scratch database (other databases on the same server are not counted)."""
        snapshot = {name: {pid: _cpu(pid)} for name, pid in self.pids().items()}
        snapshot["bench"] = {os.getpid(): _cpu(os.getpid())}
        snapshot["postgres"] = {pid: _cpu(pid) for pid in backends(self.url)}
        return snapshot


def cpu_used(
    after: dict[str, dict[int, float]], before: dict[str, dict[int, float]]
) -> dict[str, float]:
    """Seconds of CPU per name between two snapshots (a process born in between counts from 0)."""
    return {
        name: sum(t - before.get(name, {}).get(pid, 0.0) for pid, t in pids.items())
        for name, pids in after.items()
    }


def backends(url: str) -> list[int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(row[0]) for row in rows]


def _cpu(pid: int) -> float:
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
