"""The bundled demo businesses: a Mexican hardware store (es, MXN) and a US tea shop (en, USD)."""

from pathlib import Path

import structlog

from whsp_ai.db.database import Database
from whsp_ai.db.repositories import businesses
from whsp_ai.importer.load import ImportResult, import_business
from whsp_ai.importer.schema import load_business_file

DEMO_DIR = Path(__file__).parent
log = structlog.get_logger(__name__)


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.yaml"))


async def import_demo_businesses(database: Database) -> list[ImportResult]:
    """Import each demo business that is absent; one that exists is kept exactly as it is.

    `make run` calls this on every start: importing again would reset what the owner
    changed since (a confirmed price, stock taken by orders) without a word.
    """
    results = []
    for path in demo_files():
        data = load_business_file(path)
        async with database.session() as session:
            existing = await businesses.by_slug(session, slug=data.slug)
            if existing is None:
                result = await import_business(session, data)
            else:
                result = ImportResult(data.slug, existing.id or 0, False, None, 0, 0, 0)
        results.append(result)
        if result.created:
            log.info("demo business created", business=result.slug, api_key=result.api_key)
        else:
            log.info(
                "demo business exists: kept as it is, the demo file was not imported again",
                business=result.slug,
                hint=f"to reset it: whsp-ai business import {path}; "
                "a new API key: add --rotate-key",
            )
    return results
