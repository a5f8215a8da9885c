"""The embedded PostgreSQL 16 + pgvector (pgserver), used whenever DATABASE_URL is unset."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import uuid
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote

import psutil
import psycopg
from psycopg import sql

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI) and falls back to
    # /tmp/runtime-$UID, which is exactly where pgserver's lock file belongs anyway.
    warnings.simplefilter("ignore")
    from pgserver import PostgresServer, get_server  # type: ignore[attr-defined]

log = logging.getLogger(__name__)

APP_DATABASE = "whsp"


class EmbeddedPostgres:
    """A handle on the shared pgserver instance for one data directory.

    pgserver runs one postmaster per data directory and lets every process that asks for
    it share it; the last process to let go stops it. Postgres's own postmaster.pid
    interlock makes a second postmaster on the same directory impossible, so sharing can
    not corrupt the data.
    """

    # pgserver counts holders per process, not per handle: two handles in one process (a
    # benchmark inside a running service, a test's scratch database) must not let the
    # first one to stop take the server away from the other.
    _holders: ClassVar[Counter[Path]] = Counter()

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.expanduser().resolve()
        self._server: PostgresServer | None = None

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _forget_dead_holders(self.data_dir)
        try:
            self._server = get_server(self.data_dir, cleanup_mode="stop")
        except Exception as exc:
            log_file = self.data_dir / "log"
            tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            raise RuntimeError(
                f"could not start the embedded Postgres in {self.data_dir}: {exc}\n{tail}"
            ) from exc
        EmbeddedPostgres._holders[self.data_dir] += 1
        self._ensure_database(APP_DATABASE)

    def stop(self) -> None:
        """Release this handle; the server stops when no handle of any process holds it."""
        if self._server is None:
            return
        EmbeddedPostgres._holders[self.data_dir] -= 1
        if EmbeddedPostgres._holders[self.data_dir] <= 0:
            del EmbeddedPostgres._holders[self.data_dir]
            self._server.cleanup()
        self._server = None

    @property
    def server(self) -> PostgresServer:
        if self._server is None:
            raise RuntimeError("embedded Postgres is not started")
        return self._server

    def url(self, database: str = APP_DATABASE) -> str:
        """A libpq URL over the server's unix socket."""
        info = self.server.get_postmaster_info()
        if info.socket_dir is None:  # pgserver only uses TCP on Windows
            return f"postgresql://postgres@{info.hostname}:{info.port}/{database}"
        return f"postgresql://postgres@/{database}?host={quote(str(info.socket_dir), safe='/')}"

    def _ensure_database(self, name: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                # another process may create it between our check and our CREATE
                with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _forget_dead_holders(data_dir: Path) -> None:
    """Drop pids of processes that died without letting go (SIGKILL, OOM) from pgserver's list.

    pgserver counts holders in `.handle_pids.json` and only the last one stops the server;
    a killed holder would otherwise keep the server running forever after every clean exit.
    """
    holders = data_dir / ".handle_pids.json"
    with PostgresServer._lock:
        if not holders.exists():
            return
        try:
            pids = json.loads(holders.read_text())
        except ValueError:
            pids = []
        alive = [p for p in pids if p == os.getpid() or psutil.pid_exists(p)]
        if alive != pids:
            log.info(
                "embedded postgres: forgetting dead holders %s", sorted(set(pids) - set(alive))
            )
            holders.write_text(json.dumps(alive))


@contextmanager
def scratch_database(data_dir: Path, prefix: str = "scratch") -> Iterator[str]:
    """A throwaway database on the embedded server (benchmarks): its URL, dropped after."""
    server = EmbeddedPostgres(data_dir)
    server.start()
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = server.url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server.url(name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        server.stop()
