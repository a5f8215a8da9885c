"""`whsp-ai chat` answers an unknown slug before loading the engine, and chats with a known one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.db.models import ApprovalKind
from whsp_ai.db.repositories import approvals

WHSP = str(Path(sys.executable).with_name("whsp-ai"))
HEAVY = ("langgraph", "langchain_core", "sqlalchemy", "procrastinate", "alembic")

# The CLI in a fresh interpreter, then which heavy packages it had to import.
PROBE = f"""
import sys
from whsp_ai.cli import app
try:
    app(["chat", "no-such-shop"])
except SystemExit as exit:
    code = exit.code
print(code, *[name for name in {HEAVY!r} if name in sys.modules])
"""


def test_an_unknown_slug_is_told_before_the_engine_loads(
    db: Database, cli_env: dict[str, str]
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == ["2"], (result.stdout, result.stderr)  # nothing heavy
    assert "no business with slug 'no-such-shop'" in result.stderr
    assert "it has no businesses yet" in result.stderr


async def test_an_unknown_slug_lists_some_known_ones(db: Database, cli_env: dict[str, str]) -> None:
    await make_business(db)
    result = subprocess.run(
        [WHSP, "chat", "panaderia"], env=cli_env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "known: panaderia-rosa" in result.stderr


async def test_a_known_slug_chats_and_lists_requests_by_their_own_number(
    db: Database, cli_env: dict[str, str]
) -> None:
    other = await make_business(db, 2)
    mine = await make_business(db, 1)
    for business_id, query in ((other.business_id, "bolillo"), (mine.business_id, "mantecada")):
        async with db.session() as s:
            await approvals.create(
                s, business_id=business_id, kind=ApprovalKind.new_product, query=query
            )
    result = subprocess.run(
        [WHSP, "chat", "panaderia-rosa"],
        env=cli_env,
        input="hola\n/approvals\n/quit\n",
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "Chatting with Panadería Rosa" in result.stderr
    assert "Panadería Rosa:" in result.stdout  # the agent answered the greeting
    assert "#1 new_product: mantecada" in result.stdout  # its own #1, though the global id is 2


def test_an_unreachable_database_is_said_plainly(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = subprocess.run(
        [WHSP, "chat", "x"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "cannot connect to Postgres" in result.stderr and "Traceback" not in result.stderr
