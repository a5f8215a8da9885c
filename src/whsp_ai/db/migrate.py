"""Alembic, driven from code: applied on startup and by `whsp-ai db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Held while migrating, so gunicorn workers or a CLI starting together migrate one at a time.
MIGRATION_LOCK_KEY = 7_270_001


def alembic_config(url: str) -> Config:
    from whsp_ai.db.database import sqlalchemy_url

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would choke on '%' in URL-encoded socket paths.
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return config


def upgrade_to_head(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate compares our tables only: LangGraph's checkpointer owns its own.

    The per-business HNSW indexes are made at run time (whsp_ai.search.indexes), not by
    migrations, so they are not schema drift either.
    """
    from sqlmodel import SQLModel

    from whsp_ai.search.indexes import PREFIXES

    if type_ == "index" and name and name.startswith(PREFIXES):
        return False
    return type_ != "table" or name in SQLModel.metadata.tables
