"""Products: search, pages of 25, price/stock/status edited in place, low stock shown, add one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import and_, func, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only
from sqlmodel import col, select

from whsp_ai.dashboard import product_input
from whsp_ai.dashboard.deps import DbDep, Owner, OwnerDep, WriterDep
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
from whsp_ai.db.models import Product, ProductCreate, ProductStatus
from whsp_ai.db.repositories import products as products_repo
from whsp_ai.text.search import tokens

router = APIRouter()
PAGE_SIZE = 25
CARD_FIELDS = ("id", "sku", "name", "price", "stock", "status", "category")
LOW_STOCK = 5  # at or below this many units (tracked) a product is shown as low on stock


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _back_to_list(request: Request) -> str:
    """The list page the form was on (its search and page kept), never another site."""
    referer = urlsplit(request.headers.get("referer", ""))
    same_host = referer.netloc == request.headers.get("host", "")
    if same_host and referer.path == "/dashboard/products":
        return f"{referer.path}?{referer.query}" if referer.query else referer.path
    return "/dashboard/products"


def _matches(q: str) -> Any:
    """Owners type as customers do: "cafe" finds "Café", "tornillos" finds "Tornillo 1/2"
    (every word, folded and singular, within the stored search names), and any part of the
    name or SKU as typed still does."""
    as_typed = or_(col(Product.name).ilike(_like(q)), col(Product.sku).ilike(_like(q)))
    words = tokens(q)[:6]
    if not words:
        return as_typed
    return or_(as_typed, and_(*(col(Product.search_names).like(_like(w)) for w in words)))


@router.get("/products")
async def products_page(request: Request, owner: OwnerDep, db: DbDep) -> Response:
    q = " ".join(request.query_params.get("q", "").replace("\x00", "").split())[:100]
    low = request.query_params.get("low") == "1"
    number = page_number(request)
    where: list[Any] = [col(Product.business_id) == owner.id]
    if q:
        where.append(_matches(q))
    if low:
        where += [col(Product.stock).is_not(None), col(Product.stock) <= LOW_STOCK]
    total = await db.scalar(select(func.count()).select_from(Product).where(*where)) or 0
    by_name = (col(Product.name), col(Product.id))
    # The page's ids first, then only the columns a card shows: the search vectors and
    # embeddings (kilobytes a row) are never read for a list.
    page_ids = (
        select(col(Product.id).label("id"))
        .where(*where)
        .order_by(*by_name)
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
        .subquery()
    )
    rows = await db.execute(
        select(Product)
        .options(load_only(*(getattr(Product, name) for name in CARD_FIELDS)))
        .join(page_ids, page_ids.c.id == col(Product.id))
        .order_by(*by_name)
    )
    params = urlencode({k: v for k, v in (("q", q), ("low", "1" if low else "")) if v})
    return listing(
        request,
        owner,
        products=list(rows.scalars()),
        q=q,
        low=low,
        total=total,
        number=number,
        pages_total=max(1, -(-total // PAGE_SIZE)),
        query_prefix=f"{params}&" if params else "",
    )


def listing(request: Request, owner: Owner, status_code: int = 200, **context: Any) -> Response:
    """The products page; a refused form or an import's outcome shows in it, without a list."""
    defaults: dict[str, Any] = {
        "products": [],
        "q": "",
        "low": False,
        "total": 0,
        "number": 1,
        "pages_total": 1,
        "query_prefix": "",
        "new_errors": FieldErrors(),
        "new_values": {},
        "problems": [],
        "imported": None,
    }
    return page(
        request,
        "products.html",
        status_code=status_code,
        owner=owner,
        nav="products",
        low_stock=LOW_STOCK,
        statuses=[s.value for s in ProductStatus],
        **(defaults | context),
    )


async def _product(db: AsyncSession, business_id: int, raw_id: str) -> Product:
    product = await products_repo.by_id(db, business_id=business_id, product_id=path_id(raw_id))
    if product is None:
        raise HTTPException(404, "no such product")
    return product


@router.post("/products/{product_id}")
async def edit_product(request: Request, product_id: str, owner: WriterDep, db: DbDep) -> Response:
    """Price, stock and status, changed in place; the agent quotes the new ones at once."""
    product = await _product(db, owner.id, product_id)
    form = await request.form()
    errors = FieldErrors()
    price = money_field(form, "price", errors, required=True)
    stock = count_field(form, "stock", errors)
    status = form_text(form, "status", max_length=20)
    if status not in {s.value for s in ProductStatus}:
        errors["status"] = "Choose a status."
    saved = False
    if not errors:
        await db.execute(
            update(Product)
            .where(col(Product.business_id) == owner.id, col(Product.id) == product.id)
            .values(price=price, stock=stock, status=status, updated_at=func.now())
        )
        await db.refresh(product)
        saved = True
    if not is_htmx(request):
        if errors:
            raise HTTPException(422, "; ".join(f"{k}: {v}" for k, v in errors.items()))
        return RedirectResponse(_back_to_list(request), status_code=303)
    values = {k: form_text(form, k, max_length=40) for k in ("price", "stock", "status")}
    return page(
        request,
        "_product.html",
        owner=owner,
        product=product,
        errors=errors,
        values=values if errors else {},
        saved=saved,
        low_stock=LOW_STOCK,
        statuses=[s.value for s in ProductStatus],
    )


@router.post("/products")
async def add_product(request: Request, owner: WriterDep, db: DbDep) -> Response:
    form = await request.form()
    raw = {f: form_text(form, f, max_length=4000) for f in product_input.FIELDS}
    product, errors = product_input.validate(product_input.from_text(raw, alias_separator=","))
    if product is not None:
        created = await products_repo.create(
            db, business_id=owner.id, product=ProductCreate.model_validate(product.model_dump())
        )
        if created is None:
            errors["sku"] = "A product with this SKU exists; edit it in the list."
        else:
            where = urlencode({"q": created.sku})
            return RedirectResponse(f"/dashboard/products?{where}", status_code=303)
    return listing(request, owner, status_code=422, new_errors=errors, new_values=raw)
