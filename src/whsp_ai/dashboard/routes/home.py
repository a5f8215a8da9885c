"""Logging in and out, and the home page that links to every other page."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func
from sqlmodel import col, select

from whsp_ai.dashboard.deps import CodecDep, DbDep, MaybeOwnerDep, WriterDep
from whsp_ai.dashboard.forms import form_text
from whsp_ai.dashboard.render import page
from whsp_ai.dashboard.session import SessionCodec
from whsp_ai.db.api_keys import hash_api_key
from whsp_ai.db.models import Approval, ApprovalStatus, Order, OrderStatus, Product
from whsp_ai.db.repositories import businesses
from whsp_ai.tools.notices import held_notices

router = APIRouter()

LOW_STOCK = 5  # at or below this many units a product is shown as low on stock
HELD_SHOWN = 20


@router.get("/", name="dashboard_home")
async def home(request: Request, owner: MaybeOwnerDep, db: DbDep) -> Response:
    """The pages, once logged in; the log-in form (200) before: GET /dashboard/ is the
    owners' web page (CONTRACT §7) whether or not they have a session yet."""
    if owner is None:
        return page(request, "login.html", error=None)
    pending = await db.scalar(
        select(func.count())
        .select_from(Approval)
        .where(
            col(Approval.business_id) == owner.id,
            col(Approval.status) == ApprovalStatus.pending.value,
        )
    )
    low = await db.scalar(
        select(func.count())
        .select_from(Product)
        .where(
            col(Product.business_id) == owner.id,
            col(Product.stock).is_not(None),
            col(Product.stock) <= LOW_STOCK,
            col(Product.status) != "rejected",
        )
    )
    open_orders = await db.scalar(
        select(func.count())
        .select_from(Order)
        .where(col(Order.business_id) == owner.id, col(Order.status) == OrderStatus.pending.value)
    )
    counts = {"approvals": pending or 0, "products": low or 0, "orders": open_orders or 0}
    # Messages kept outside WhatsApp's 24-hour window (no template): sent when the
    # recipient writes again, never lost, and shown here meanwhile.
    held = await held_notices(db, business_id=owner.id, limit=HELD_SHOWN)
    return page(request, "home.html", owner=owner, counts=counts, held=held, nav="home")


@router.get("/login")
async def login_page(request: Request, codec: CodecDep) -> Response:
    if codec.read(request) is not None:
        return RedirectResponse("/dashboard/", status_code=303)
    return page(request, "login.html", error=None)


def _cross_site(request: Request) -> bool:
    """A login posted from another site's page (login CSRF): its Origin names another host.

    The login form has no session to bind a CSRF token to, and CONTRACT §7 lets a plain
    client POST the key alone; a browser always sends Origin on a cross-site POST.
    """
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin == "null"
    # Behind a reverse proxy that rewrites Host, the browser's host is X-Forwarded-Host.
    hosts = {request.headers.get("host", "").lower()}
    hosts |= {h.strip().lower() for h in request.headers.get("x-forwarded-host", "").split(",")}
    return urlsplit(origin).netloc.lower() not in hosts - {""}


@router.post("/login")
async def login(request: Request, db: DbDep, codec: CodecDep) -> Response:
    if _cross_site(request):
        raise HTTPException(403, "log in from the dashboard's own page")
    key = form_text(await request.form(), "api_key", max_length=200).strip()
    business = None
    if key:
        digest = hash_api_key(key)
        found = await businesses.by_api_key_hash(db, api_key_hash=digest)
        # The lookup is by hash; comparing again in constant time keeps timing flat.
        if found is not None and hmac.compare_digest(found.api_key_hash, digest):
            business = found
    if business is None or business.id is None:
        return page(request, "login.html", error="That API key is not valid.")
    response = RedirectResponse("/dashboard/", status_code=303)
    codec.open(response, request, business_id=business.id, key_hash=business.api_key_hash)
    return response


@router.post("/logout")
async def logout(request: Request, owner: WriterDep) -> Response:
    response = RedirectResponse("/dashboard/login", status_code=303)
    SessionCodec.close(response, request)
    return response
