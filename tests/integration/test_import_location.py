"""`whsp-ai business import` run away from the project writes where the service reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import yaml
from psycopg.conninfo import conninfo_to_dict

from tests.conftest import TEST_DATA_DIR
from tests.factories import business_dict
from whsp_ai.db.embedded import APP_DATABASE, EmbeddedPostgres

WHSP = str(Path(sys.executable).with_name("whsp-ai"))


def _import(env: dict[str, str], cwd: Path, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WHSP, "business", "import", str(path)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture
def unique_business(embedded_pg: EmbeddedPostgres) -> Iterator[dict[str, object]]:
    """A business that only this test writes, removed from the server's app database after."""
    tag = uuid.uuid4().int % 10**8
    data = business_dict(slug=f"loc-{tag}")
    data["whatsapp"] = {"phone_number_id": f"99{tag:010d}"}
    yield data
    with psycopg.connect(embedded_pg.url(APP_DATABASE), autocommit=True) as conn:
        exists = conn.execute("SELECT to_regclass('businesses')").fetchone()
        if exists and exists[0]:
            conn.execute("DELETE FROM businesses WHERE slug = %s", (data["slug"],))


def test_import_from_a_sub_folder_writes_to_the_projects_database(
    embedded_pg: EmbeddedPostgres, unique_business: dict[str, object], tmp_path: Path
) -> None:
    # A checkout whose service database is the suite's embedded server (linked, not copied).
    project = tmp_path / "shop"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "whsp-ai"\n')
    (project / ".whsp-data").symlink_to(TEST_DATA_DIR)
    catalogs = project / "catalogs"
    catalogs.mkdir()
    path = catalogs / "shop.yaml"
    path.write_text(yaml.safe_dump(unique_business, allow_unicode=True), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "WHSP_DATA_DIR")}
    env["WHSP_LOG_FORMAT"] = "json"

    result = _import(env, catalogs, path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["created"] is True
    assert not (catalogs / ".whsp-data").exists(), "a second database was started here"
    assert f"embedded Postgres at {TEST_DATA_DIR}" in result.stderr
    with psycopg.connect(embedded_pg.url(APP_DATABASE)) as conn:
        row = conn.execute(
            "SELECT name FROM businesses WHERE slug = %s", (unique_business["slug"],)
        ).fetchone()
    assert row == (unique_business["name"],)


def test_import_to_an_external_database_names_it_without_a_password(
    cli_env: dict[str, str], db: object, tmp_path: Path
) -> None:
    path = tmp_path / "biz.yaml"
    path.write_text(yaml.safe_dump(business_dict(), allow_unicode=True), encoding="utf-8")
    dbname = conninfo_to_dict(cli_env["DATABASE_URL"])["dbname"]

    result = _import(cli_env, tmp_path, path)

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1  # CONTRACT §1: stdout is the JSON alone
    assert f"wrote to Postgres database {dbname} on postgres@" in result.stderr
