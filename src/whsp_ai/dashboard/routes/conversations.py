"""Conversations: customers by last message, newest first, and each one's messages in order.

Pages are keyset cursors in the query string (`before`, `id`); a cursor that doesn't parse
is a 400 with a reason, never a 500.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.dashboard import conversation_view
from whsp_ai.dashboard.deps import DbDep, Owner, OwnerDep
from whsp_ai.dashboard.forms import INT8_MAX
from whsp_ai.dashboard.render import page
from whsp_ai.db.models import Customer
from whsp_ai.db.repositories import conversations, customers

router = APIRouter()
PAGE_SIZE = 25
THREAD_SIZE = 50


def _cursor_time(request: Request) -> datetime | None:
    raw = request.query_params.get("before")
    if not raw:
        return None
    try:
        at = datetime.fromisoformat(raw)
    except ValueError:
        raise HTTPException(400, "`before` must be a time like 2026-12-01T10:00:00+00:00") from None
    if at.tzinfo is None:
        raise HTTPException(400, "`before` needs its UTC offset, e.g. +00:00")
    return at


def _cursor_id(request: Request) -> int:
    raw = request.query_params.get("id", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or int(raw) > INT8_MAX:
        raise HTTPException(400, "`id` must be a whole number")
    return int(raw)


def _wa_id(raw: str) -> str:
    # Anything a customers row can't hold is a customer we don't have: 404, like a missing one.
    if not 0 < len(raw) <= 64 or not raw.isprintable():
        raise HTTPException(404, "no such conversation")
    return raw


@router.get("/conversations")
async def conversations_page(request: Request, owner: OwnerDep, db: DbDep) -> Response:
    at = _cursor_time(request)
    before = (at, _cursor_id(request)) if at is not None else None
    found = await conversations.customers(
        db,
        business_id=owner.id,
        owner_phone=owner.business.owner_phone,
        limit=PAGE_SIZE,
        before=before,
    )
    rows = [(c, conversation_view.preview(c.last_type, c.last_payload)) for c in found.customers]
    return page(
        request,
        "conversations.html",
        owner=owner,
        nav="conversations",
        rows=rows,
        next=found.next,
        first_page=before is None,
    )


async def customer_of(db: AsyncSession, owner: Owner, wa_id: str) -> Customer:
    """The session's business's customer with this WhatsApp id; 404 for anyone else's."""
    found = await customers.by_wa_id(db, business_id=owner.id, wa_id=_wa_id(wa_id))
    if found is None:
        raise HTTPException(404, "no such conversation")
    return found


@router.get("/conversations/{wa_id}")
async def conversation_page(request: Request, wa_id: str, owner: OwnerDep, db: DbDep) -> Response:
    return await thread_page(request, owner, db, await customer_of(db, owner, wa_id))


async def thread_page(
    request: Request,
    owner: Owner,
    db: AsyncSession,
    customer: Customer,
    *,
    status_code: int = 200,
    error: str = "",
    draft: str = "",
) -> Response:
    """One customer's messages; `error` and `draft` redraw a refused reply next to its box."""
    before = _cursor_time(request) if request.method == "GET" else None
    found = await conversations.thread(
        db,
        business_id=owner.id,
        wa_id=customer.wa_id,
        limit=THREAD_SIZE,
        before=before,
    )
    bubbles = [(m, conversation_view.bubble(m)) for m in found.messages]
    return page(
        request,
        "conversation.html",
        status_code=status_code,
        owner=owner,
        nav="conversations",
        error=error,
        draft=draft,
        customer=customer,
        bubbles=bubbles,
        older=found.older,
        latest=before is None,
    )
