"""The FastAPI app factory and its lifespan: database up (and migrated) before traffic."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from whsp_ai import __version__, dashboard
from whsp_ai.api import errors
from whsp_ai.api.routes import business, health, management, owner, questions, sandbox, webhook
from whsp_ai.channel import Channel
from whsp_ai.db.database import Database
from whsp_ai.settings import Settings, get_settings

log = structlog.get_logger(__name__)


def create_app(
    settings: Settings | None = None, *, demo: bool = False, workers: bool = True
) -> FastAPI:
    """The service. With `workers`, this process also processes messages and sends replies."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not settings.whatsapp_app_secret:
            log.warning(
                "WHATSAPP_APP_SECRET is unset: webhook signatures are NOT checked. "
                "Set it before exposing this service to the internet."
            )
        database = Database(settings)
        await database.open()
        app.state.db = database
        app.state.settings = settings
        channel = await Channel.start(database, settings)
        app.state.channel = channel
        if workers:
            channel.run_workers()
        try:
            if demo:
                from whsp_ai.demo import import_demo_businesses

                await import_demo_businesses(database)
            log.info(
                "service ready",
                database="embedded" if settings.uses_embedded_db else "external",
                llm_provider=settings.provider,
            )
            yield
        finally:
            log.info("shutting down")
            await channel.stop()
            await database.close()

    # FastAPIOffline is FastAPI with /docs and /redoc pointed at Swagger UI and ReDoc files the
    # package ships and the app serves: FastAPI's defaults load them from a CDN, a blank page
    # on a machine without internet.
    app = FastAPIOffline(
        title="WHSP-AI",
        version=__version__,
        lifespan=lifespan,
        description="WhatsApp webhook, owner management API (Bearer API key) and demo sandbox.",
        # Swagger UI's spec validator badge is an image from an outside host: off.
        swagger_ui_parameters={"validatorUrl": None},
    )
    errors.install(app)
    app.include_router(health.router)
    app.include_router(webhook.router)
    app.include_router(management.router)
    app.include_router(questions.router)
    app.include_router(owner.router)
    app.include_router(business.router)
    app.include_router(sandbox.router)
    dashboard.install(app)
    return app
