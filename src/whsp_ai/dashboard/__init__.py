"""The owners' dashboard (CONTRACT §7): server-rendered pages under /dashboard/."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from whsp_ai.dashboard.deps import LoginRequired
from whsp_ai.dashboard.render import page
from whsp_ai.dashboard.routes import (
    agent,
    approvals,
    conversations,
    handoff,
    home,
    order_status,
    orders,
    products,
    products_csv,
    questions,
    sales,
)

PREFIX = "/dashboard"
# Every page module; tests walk these to check every route (CSRF, tenant isolation).
MODULES = (
    home,
    approvals,
    questions,
    orders,
    order_status,
    products_csv,
    products,
    agent,
    conversations,
    handoff,
    sales,
)


def router() -> APIRouter:
    # Not in the OpenAPI document: these are pages for people, not the management API.
    root = APIRouter(prefix=PREFIX, include_in_schema=False)
    for module in MODULES:
        root.include_router(module.router)
    return root


async def _login_required(request: Request, exc: Exception) -> Response:
    if request.headers.get("hx-request"):
        # htmx swaps a redirect's body into the page; HX-Redirect makes it leave the page.
        return Response(status_code=204, headers={"HX-Redirect": f"{PREFIX}/login"})
    return RedirectResponse(f"{PREFIX}/login", status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Dashboard errors are pages a person reads; the API's stay JSON."""
    assert isinstance(exc, StarletteHTTPException)
    if not request.url.path.startswith(f"{PREFIX}/") or exc.status_code < 400:
        return await http_exception_handler(request, exc)
    return page(
        request,
        "error.html",
        status_code=exc.status_code,
        status=exc.status_code,
        message=exc.detail,
        headers=exc.headers,
    )


def install(app: FastAPI) -> None:
    """Serve the dashboard, its static files (htmx, CSS) and its HTML error pages."""

    async def bare(request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    app.add_api_route(PREFIX, bare, include_in_schema=False)
    app.include_router(router())
    app.mount(
        f"{PREFIX}/static",
        StaticFiles(packages=[("whsp_ai.dashboard", "static")]),
        name="dashboard-static",
    )
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(StarletteHTTPException, _http_error)
