"""Alembic environment: one connection, serialized by an advisory lock."""

from alembic import context
from sqlalchemy import create_engine, pool, text
from sqlmodel import SQLModel

from whsp_ai.db import models  # noqa: F401  (registers the tables on the metadata)
from whsp_ai.db.migrate import LOCK_HELD, MIGRATION_LOCK_KEY, include_name

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_engine(url, poolclass=pool.NullPool)
    # migrate.prepare_schema holds the lock on its own connection around every schema step.
    locking = not config.attributes.get(LOCK_HELD)
    with engine.connect() as connection:
        if locking:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            connection.commit()
        try:
            context.configure(
                connection=connection, target_metadata=target_metadata, include_name=include_name
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if locking:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
