"""`whsp-ai chat`'s first second: find the business, then load the engine while the person types.

Loading the conversation engine (LangGraph, LangChain, SQLAlchemy, the job queue) takes
seconds. An unknown slug is told at once, with plain psycopg; for a known one the prompt
appears at once and the engine loads behind it; a message sent before it is ready waits,
and the person is told what it waits for.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import psycopg

from whsp_ai.db.embedded import EmbeddedPostgres
from whsp_ai.settings import Settings

if TYPE_CHECKING:
    from whsp_ai.chat.session import ChatSession
    from whsp_ai.db.database import Database

HELP = (
    "Type as a customer would. A number picks one of the choices shown.\n"
    "Owner commands: /approvals, /confirm N [price] [stock], /reject N. /quit to leave."
)
KNOWN_SHOWN = 10  # slugs listed after an unknown one

Say = Callable[[str], None]


def open_database(settings: Settings, say: Say) -> tuple[str, EmbeddedPostgres | None]:
    """A libpq URL of the configured database, starting the embedded server when needed."""
    if not settings.uses_embedded_db:
        return settings.database_url or "", None
    say(f"starting the {settings.database_label()}…")
    server = EmbeddedPostgres(settings.whsp_data_dir)
    server.start()
    return server.url(), server


def business_name(url: str, slug: str) -> tuple[str | None, list[str]]:
    """The business's name, or None and some slugs that do exist."""
    try:
        conn = psycopg.connect(url, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise ConnectionError(f"cannot connect to Postgres: {exc}") from exc
    with conn:
        try:
            row = conn.execute("SELECT name FROM businesses WHERE slug = %s", (slug,)).fetchone()
            if row is not None:
                return str(row[0]), []
            known = conn.execute(
                "SELECT slug FROM businesses ORDER BY slug LIMIT %s", (KNOWN_SHOWN,)
            ).fetchall()
        except psycopg.errors.UndefinedTable:  # a database nothing was imported into yet
            return None, []
    return None, [str(r[0]) for r in known]


async def converse(settings: Settings, slug: str, customer: str, say: Say) -> None:
    """The chat loop: the prompt at once, the engine loading behind it."""
    boot = asyncio.create_task(_boot(settings, slug, customer))
    database: Database | None = None
    session: ChatSession | None = None
    try:
        while True:
            try:
                line = await asyncio.to_thread(input, "you> ")
            except (EOFError, KeyboardInterrupt):
                break
            if session is None:
                if not boot.done():
                    say("(loading the conversation engine, a few seconds the first time…)")
                database, session = await boot
            if not await session.say(line):
                break
    finally:
        if session is None:  # left before the first message: let the loading finish, then close
            database, session = await boot
        await session.stop()
        if database is not None:
            await database.close()


async def _boot(settings: Settings, slug: str, customer: str) -> tuple[Database, ChatSession]:
    # The heavy imports run in a thread, so the prompt keeps answering meanwhile.
    log_config: Any = await asyncio.to_thread(importlib.import_module, "whsp_ai.log_config")
    log_config.configure_logging(settings.log_level, settings.log_format)
    chat: Any = await asyncio.to_thread(importlib.import_module, "whsp_ai.chat.session")
    db_module: Any = await asyncio.to_thread(importlib.import_module, "whsp_ai.db.database")
    from rich.console import Console

    database = db_module.Database(settings)
    await database.open()
    business = await chat.find_business(database, slug)
    if business is None:  # deleted in the second since we looked
        await database.close()
        raise LookupError(f"no business with slug {slug!r}")
    session = chat.ChatSession(database, business, customer, Console())
    await session.start()
    return database, session
