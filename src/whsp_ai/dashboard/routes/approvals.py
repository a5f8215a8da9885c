"""Pending approvals: confirm (price, stock) or reject, through the same engine path as
POST /management/inventory_response, so the waiting customers are told on WhatsApp."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from whsp_ai.dashboard.deps import ChannelDep, DbDep, Owner, OwnerDep, WriterDep
from whsp_ai.dashboard.forms import (
    FieldErrors,
    count_field,
    form_text,
    is_htmx,
    money_field,
    page_number,
    path_id,
)
from whsp_ai.dashboard.render import page
from whsp_ai.db.models import (
    Approval,
    ApprovalCustomer,
    ApprovalStatus,
    Customer,
    Product,
)
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer

router = APIRouter()
PAGE_SIZE = 25


@dataclass
class PendingView:
    """One approval as the page shows it; `errors` and `values` redraw a refused answer."""

    approval: Approval
    product: Product | None
    customers: list[Customer]
    errors: FieldErrors = field(default_factory=FieldErrors)
    values: dict[str, str] = field(default_factory=dict)
    done: str = ""


async def _customers(
    db: AsyncSession, business_id: int, approval_ids: list[int]
) -> dict[int, list[Customer]]:
    """Everyone waiting on each approval: its first asker and those who joined it."""
    if not approval_ids:
        return {}
    waiting = union(
        select(col(Approval.id).label("aid"), col(Approval.customer_id).label("cid")).where(
            col(Approval.business_id) == business_id,
            col(Approval.id).in_(approval_ids),
            col(Approval.customer_id).is_not(None),
        ),
        select(
            col(ApprovalCustomer.approval_id).label("aid"),
            col(ApprovalCustomer.customer_id).label("cid"),
        ).where(
            col(ApprovalCustomer.business_id) == business_id,
            col(ApprovalCustomer.approval_id).in_(approval_ids),
        ),
    ).subquery()
    rows = await db.execute(
        select(waiting.c.aid, Customer)
        .join(Customer, col(Customer.id) == waiting.c.cid)
        .where(col(Customer.business_id) == business_id)
        .order_by(col(Customer.id))
    )
    found: dict[int, list[Customer]] = {}
    for aid, customer in rows.all():
        found.setdefault(aid, []).append(customer)
    return found


async def _views(
    db: AsyncSession, business_id: int, approvals: list[Approval]
) -> list[PendingView]:
    product_ids = [a.product_id for a in approvals if a.product_id is not None]
    products: dict[int, Product] = {}
    if product_ids:
        rows = await db.execute(
            select(Product).where(
                col(Product.business_id) == business_id, col(Product.id).in_(product_ids)
            )
        )
        products = {p.id or 0: p for p in rows.scalars()}
    waiting = await _customers(db, business_id, [a.id or 0 for a in approvals])
    return [
        PendingView(a, products.get(a.product_id or 0), waiting.get(a.id or 0, []))
        for a in approvals
    ]


@router.get("/approvals")
async def approvals_page(request: Request, owner: OwnerDep, db: DbDep) -> Response:
    number = page_number(request)
    pending = (
        col(Approval.business_id) == owner.id,
        col(Approval.status) == ApprovalStatus.pending.value,
    )
    total = await db.scalar(select(func.count()).select_from(Approval).where(*pending)) or 0
    rows = await db.execute(
        select(Approval)
        .where(*pending)
        .order_by(col(Approval.created_at), col(Approval.id))
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    views = await _views(db, owner.id, list(rows.scalars()))
    return approvals_view(request, owner, views, total=total, number=number)


def approvals_view(
    request: Request,
    owner: Owner,
    views: list[PendingView],
    *,
    status_code: int = 200,
    total: int | None = None,
    number: int = 1,
) -> Response:
    """The approvals page: a page of the pending ones, or a refused answer redrawn alone."""
    total = len(views) if total is None else total
    return page(
        request,
        "approvals.html",
        status_code=status_code,
        owner=owner,
        nav="approvals",
        views=views,
        total=total,
        number=number,
        pages_total=max(1, -(-total // PAGE_SIZE)),
    )


async def load_view(db: AsyncSession, owner: Owner, approval_id: int) -> PendingView:
    """One approval of this business, ready to draw; another business's is a 404."""
    approval = (
        await db.execute(
            select(Approval).where(
                col(Approval.business_id) == owner.id, col(Approval.id) == approval_id
            )
        )
    ).scalar_one_or_none()
    if approval is None:
        raise HTTPException(404, "no such approval")
    [view] = await _views(db, owner.id, [approval])
    return view


@router.post("/approvals/{approval_id}")
async def answer(
    request: Request, approval_id: str, owner: WriterDep, db: DbDep, channel: ChannelDep
) -> Response:
    """Confirm (with price and stock) or reject; the customers hear it on WhatsApp."""
    view = await load_view(db, owner, path_id(approval_id))
    form = await request.form()
    decision = form_text(form, "decision", max_length=10)
    errors = FieldErrors()
    answer: dict[str, Any] = {"decision": decision}
    if decision == "confirm":
        price = money_field(form, "price", errors, required=view.approval.kind == "new_product")
        stock = count_field(form, "stock", errors)
        name = " ".join(form_text(form, "name", max_length=200).split())
        answer |= {"price": str(price) if price is not None else None, "stock": stock}
        if name:
            answer["name"] = name
    elif decision != "reject":
        errors["decision"] = "Choose confirm or reject."
    if not errors:
        await db.commit()  # the engine answers in its own transaction; hold no locks meanwhile
        try:
            outcome = await channel.engine.answer_approval(
                business_id=owner.id, approval_id=view.approval.id or 0, answer=answer
            )
        except ApprovalNotFound:
            raise HTTPException(404, "no such approval") from None
        except AlreadyAnswered:
            view.done = "This request was already answered."
        except InvalidAnswer as exc:
            errors["price"] = str(exc)
        else:
            channel.sender.wake.set()
            view.done = _said(decision, outcome)
    view.errors = errors
    view.values = {k: form_text(form, k, max_length=200) for k in ("price", "stock", "name")}
    if is_htmx(request):  # htmx swaps 2xx answers only: the refused form comes back as a 200
        return page(request, "_approval.html", owner=owner, view=view)
    if errors:
        return approvals_view(request, owner, [view], status_code=422)
    return RedirectResponse("/dashboard/approvals", status_code=303)


def _said(decision: str, outcome: dict[str, Any]) -> str:
    if decision == "reject":
        return "Rejected. The customers were told."
    added = int(outcome.get("added_to_cart") or 0)
    tail = f" {added} added to a cart." if added else ""
    return f"Confirmed. The customers were told.{tail}"
