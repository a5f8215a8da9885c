"""Liveness and readiness probes."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from whsp_ai.api.deps import DatabaseDep
from whsp_ai.db.migrate import head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up and serving HTTP."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=None,
    responses={503: {"description": "the database is unreachable or not yet migrated"}},
)
async def readyz(db: DatabaseDep) -> dict[str, Any] | JSONResponse:
    """The database answers and its schema is at the code's migration head."""
    head = head_revision()
    try:
        async with db.pool.connection(timeout=2) as conn:
            row = await (await conn.execute("SELECT version_num FROM alembic_version")).fetchone()
    except Exception as exc:
        return JSONResponse(
            status_code=503, content={"status": "unavailable", "reason": type(exc).__name__}
        )
    current = row["version_num"] if row else None
    if current != head:
        return JSONResponse(
            status_code=503,
            content={"status": "migrating", "migration": current, "expected": head},
        )
    return {"status": "ready", "migration": current}
