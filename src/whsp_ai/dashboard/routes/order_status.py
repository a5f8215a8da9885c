"""Moving an order along pending → paid → shipped → delivered, or to cancelled: the same
tool as PATCH /management/orders/{id}, so the customer is told on WhatsApp in their language
and an impossible change is refused (409)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from whsp_ai.dashboard.deps import ChannelDep, DbDep, WriterDep
from whsp_ai.dashboard.forms import form_text, is_htmx
from whsp_ai.dashboard.render import page
from whsp_ai.dashboard.routes.orders import load_order, order_context
from whsp_ai.tools import orders as order_tools

router = APIRouter()


@router.post("/orders/{order_id}/status")
async def change_status(
    request: Request, order_id: str, owner: WriterDep, db: DbDep, channel: ChannelDep
) -> Response:
    order = await load_order(db, owner.id, order_id)
    wanted = form_text(await request.form(), "status", max_length=20)
    error = None
    try:
        await order_tools.change_status(
            db, business_id=owner.id, order_id=order.id or 0, status=wanted
        )
    except order_tools.OrderNotFound:
        raise HTTPException(404, "no such order") from None
    except order_tools.ImpossibleChange as exc:
        error = f"Not changed: {exc}."
    except ValueError:
        error = "Not changed: choose one of the statuses shown."
    await db.refresh(order)
    context = await order_context(db, owner, order)
    context.update(error=error, saved=error is None)
    if error is not None:
        template = "_order_status.html" if is_htmx(request) else "order.html"
        # htmx swaps 2xx answers only: its refusal comes back as a 200 fragment
        return page(request, template, status_code=200 if is_htmx(request) else 409, **context)
    response: Response = (
        page(request, "_order_status.html", **context)
        if is_htmx(request)
        else RedirectResponse(f"/dashboard/orders/{order.id}", status_code=303)
    )
    await db.commit()  # before the sender looks: the customer's update goes out now
    channel.sender.wake.set()
    return response
