"""The bundled demo businesses: a Mexican hardware store (es, MXN) and a US tea shop (en, USD)."""

from pathlib import Path

import structlog

from whsp_ai.db.database import Database
from whsp_ai.importer.load import ImportResult, import_business
from whsp_ai.importer.schema import load_business_file

DEMO_DIR = Path(__file__).parent
log = structlog.get_logger(__name__)


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.yaml"))


async def import_demo_businesses(database: Database) -> list[ImportResult]:
    results = []
    for path in demo_files():
        data = load_business_file(path)
        async with database.session() as session:
            result = await import_business(session, data)
        results.append(result)
        if result.api_key:
            log.info("demo business created", business=result.slug, api_key=result.api_key)
        else:
            log.info(
                "demo business updated",
                business=result.slug,
                hint=f"new API key: whsp-ai business import {path} --rotate-key",
            )
    return results
