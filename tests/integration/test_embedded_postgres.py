"""The embedded Postgres: shared safely between processes, stopped by the last holder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import psycopg
import pytest

from tests.conftest import TEST_DATA_DIR
from whsp_ai.db.database import DatabaseConfigError, check_server
from whsp_ai.db.embedded import EmbeddedPostgres

WHSP = str(Path(sys.executable).with_name("whsp-ai"))


def embedded_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WHSP_DATA_DIR"] = str(data_dir)
    return env


def test_second_process_shares_the_running_server(embedded_pg: EmbeddedPostgres) -> None:
    postmaster = embedded_pg.server.get_pid()
    result = subprocess.run(
        [WHSP, "db", "upgrade"],
        env=embedded_env(TEST_DATA_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "database is at migration" in result.stderr
    # The other process let go, but we still hold the server: same postmaster, still serving.
    assert embedded_pg.server.get_pid() == postmaster
    assert psutil.pid_exists(postmaster)
    with psycopg.connect(embedded_pg.url()) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_last_holder_stops_the_server_even_after_a_killed_holder(tmp_path: Path) -> None:
    data_dir = tmp_path / "pg"
    killed = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from whsp_ai.db.embedded import EmbeddedPostgres
        EmbeddedPostgres(Path({str(data_dir)!r})).start()
        os.kill(os.getpid(), signal.SIGKILL)  # dies holding the server, skipping atexit
        """
    )
    proc = subprocess.run([sys.executable, "-c", killed], timeout=120, check=False)
    assert proc.returncode == -9
    server = EmbeddedPostgres(data_dir)
    server.start()
    postmaster = server.server.get_pid()
    assert postmaster is not None and psutil.pid_exists(postmaster)
    server.stop()
    process = psutil.Process(postmaster) if psutil.pid_exists(postmaster) else None
    if process is not None:
        process.wait(timeout=10)  # pg_ctl -w returned; the postmaster exits right after
    assert not psutil.pid_exists(postmaster) or psutil.Process(postmaster).status() == "zombie"


def test_external_database_without_pgvector_rights_gets_a_clear_error(
    embedded_pg: EmbeddedPostgres,
) -> None:
    admin = embedded_pg.url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS novector")
        conn.execute("DROP ROLE IF EXISTS plain_user")
        conn.execute("CREATE ROLE plain_user LOGIN NOSUPERUSER")
        conn.execute("CREATE DATABASE novector OWNER plain_user")
    url = embedded_pg.url("novector").replace("postgres@", "plain_user@", 1)
    try:
        with pytest.raises(DatabaseConfigError, match="CREATE EXTENSION vector"):
            check_server(url)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE novector WITH (FORCE)")
            conn.execute("DROP ROLE plain_user")


def test_unreachable_database_gets_a_clear_error() -> None:
    with pytest.raises(DatabaseConfigError, match="cannot connect"):
        check_server("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_cli_reports_a_bad_database_url_without_a_traceback(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"
    result = subprocess.run(
        [WHSP, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert "cannot connect to Postgres" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_handles_in_one_process_share_the_server(embedded_pg: EmbeddedPostgres) -> None:
    """A second handle (a scratch database, a benchmark) stopping must not stop the first's."""
    from whsp_ai.db.embedded import scratch_database

    with scratch_database(TEST_DATA_DIR, "handle") as url, psycopg.connect(url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    postmaster = embedded_pg.server.get_pid()
    assert postmaster is not None and psutil.pid_exists(postmaster)
    with psycopg.connect(embedded_pg.url()) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
