"""Persistence: the embedded or external Postgres, tables, migrations and repositories."""
