"""compose.yaml runs the API and a separate worker, with commands the CLI really has.

Docker is not available where the suite runs, so this reads the file rather than starting it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from whsp_ai.cli import app

COMPOSE = Path(__file__).resolve().parents[2] / "compose.yaml"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded["services"]


def _check_command(argv: list[str]) -> None:
    """Parse argv with the real CLI, without running it: unknown commands or options fail."""
    assert argv[0] == "whsp-ai"
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    sub = commands[argv[1]]
    sub.make_context(argv[1], argv[2:])  # raises on an option the command doesn't have


def test_the_api_serves_http_only(services: dict[str, Any]) -> None:
    command = services["app"]["command"]
    assert command[:2] == ["whsp-ai", "serve"] and "--no-workers" in command
    assert "0.0.0.0" in command  # reachable from outside the container
    _check_command(command)


def test_a_worker_service_processes_the_messages(services: dict[str, Any]) -> None:
    worker = services["worker"]
    assert worker["command"][:2] == ["whsp-ai", "worker"]
    _check_command(worker["command"])
    assert worker["environment"] == services["app"]["environment"]  # the same database
    assert worker["environment"]["DATABASE_URL"].endswith("@db:5432/whsp")
    assert "ports" not in worker
    assert worker["healthcheck"] == {"disable": True}
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"


def test_every_service_restarts_and_the_database_is_kept(services: dict[str, Any]) -> None:
    assert set(services) == {"db", "app", "worker"}
    assert all(s["restart"] == "unless-stopped" for s in services.values())
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
