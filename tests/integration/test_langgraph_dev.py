"""`langgraph dev` loads both graphs from langgraph.json and runs a turn through its HTTP API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO
from tests.factories import make_business
from tests.servers import free_port, wait_until_ready
from whsp_ai.db.database import Database


@pytest.fixture
def langgraph_dev(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LANGSMITH_TRACING": "false",
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGCHAIN_TRACING_V2": "false",
    }
    log = (tmp_path / "langgraph-dev.log").open("w")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("langgraph")),
            "dev",
            "--no-browser",
            "--no-reload",
            "--port",
            str(port),
            "--config",
            str(REPO / "langgraph.json"),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_until_ready(f"{base}/ok", proc):
            raise AssertionError((tmp_path / "langgraph-dev.log").read_text()[-3000:])
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


async def test_studio_server_runs_a_sales_turn(db: Database, langgraph_dev: str) -> None:
    business_id = (await make_business(db)).business_id
    async with httpx.AsyncClient(base_url=langgraph_dev, timeout=60) as client:
        assistants = (await client.post("/assistants/search", json={})).json()
        assert {a["graph_id"] for a in assistants} >= {"sales", "approvals"}
        thread = (await client.post("/threads", json={})).json()
        response = await client.post(
            f"/threads/{thread['thread_id']}/runs/wait",
            json={
                "assistant_id": "sales",
                "input": {"text": "", "action_id": "product:CONCHA"},
                "context": {"business_id": business_id, "customer_wa_id": "5215599990000"},
            },
        )
        assert response.status_code == 200, response.text
        replies = response.json()["replies"]
    assert "Concha de vainilla" in replies[0]["text"]
    assert replies[0]["buttons"][0]["id"] == "add:CONCHA"
