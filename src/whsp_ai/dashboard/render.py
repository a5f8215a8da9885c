"""Jinja2 templates with autoescape on: everything customers wrote is shown as text."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse

from whsp_ai.dashboard.pages import PAGES
from whsp_ai.dashboard.session import CSRF_FIELD, CSRF_HEADER

HTMX = "htmx-2.0.11.min.js"  # vendored from the npm package htmx.org 2.0.11 (dist/htmx.min.js)

# autoescape=True for every template, whatever its extension: a template added later can't
# forget it. StrictUndefined: a misspelt variable fails the test instead of rendering blank.
env = Environment(
    loader=PackageLoader("whsp_ai.dashboard", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    enable_async=False,
)


def money(value: Decimal | float | int | None, currency: str = "") -> str:
    if value is None:
        return ""
    text = f"{Decimal(str(value)):,.2f}"
    return f"${text} {currency}".strip()


@lru_cache(maxsize=64)
def _zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (ValueError, ZoneInfoNotFoundError):
        return UTC


@pass_context
def when(context: Context, value: datetime | None) -> str:
    """A moment in the business's own time zone (its file's info.timezone; default UTC)."""
    if value is None:
        return ""
    owner = context.get("owner")
    info = owner.business.info if owner is not None else {}
    zone = _zone(info.get("timezone") if isinstance(info, dict) else None)
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


env.filters["money"] = money
env.filters["when"] = when
env.globals.update(CSRF_FIELD=CSRF_FIELD, CSRF_HEADER=CSRF_HEADER, HTMX=HTMX, pages=PAGES)


def page(
    request: Request,
    template: str,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render a template (a whole page, or a fragment for htmx) into a response."""
    context.setdefault("owner", None)
    context.setdefault("nav", "")
    html = env.get_template(template).render(request=request, **context)
    # no-store: pages show one business's data; a shared computer's back button must not.
    return HTMLResponse(
        html, status_code=status_code, headers={**(headers or {}), "Cache-Control": "no-store"}
    )
