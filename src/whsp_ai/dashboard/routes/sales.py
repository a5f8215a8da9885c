"""The sales page: orders and revenue per day, top products, open carts, open questions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from whsp_ai.dashboard import sales_view
from whsp_ai.dashboard.deps import DbDep, OwnerDep
from whsp_ai.dashboard.render import page

router = APIRouter()


@router.get("/sales")
async def sales_page(request: Request, owner: OwnerDep, db: DbDep) -> Response:
    figures = await sales_view.build(db, owner.business)
    return page(request, "sales.html", owner=owner, nav="sales", sales=figures)
