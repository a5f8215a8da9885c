"""The agent's settings: persona (name, tone, greeting, rules), checkout, info (time zone,
address, hours, delivery, returns) and faq, validated like the business file, each error
shown next to its field; effective from the next message."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, update
from sqlmodel import col

from whsp_ai.dashboard import agent_form
from whsp_ai.dashboard.deps import ChannelDep, DbDep, Owner, OwnerDep, WriterDep
from whsp_ai.dashboard.forms import FieldErrors
from whsp_ai.dashboard.render import page
from whsp_ai.db.models import Business
from whsp_ai.text.hours import DAYS
from whsp_ai.tools.knowledge_index import rebuild

router = APIRouter()


def _page(
    request: Request,
    owner: Owner,
    values: dict[str, str],
    faq: list[dict[str, str]],
    **context: Any,
) -> Response:
    context.setdefault("errors", FieldErrors())
    context.setdefault("saved", False)
    return page(
        request,
        "agent.html",
        owner=owner,
        nav="agent",
        values=values,
        faq=[*faq, {"q": "", "a": ""}],  # one blank entry to add a question
        days=DAYS,
        **context,
    )


@router.get("/agent")
async def agent_page(request: Request, owner: OwnerDep) -> Response:
    values, faq = agent_form.stored(owner.business)
    return _page(request, owner, values, faq, saved=request.query_params.get("saved") == "1")


@router.post("/agent")
async def save_agent(
    request: Request, owner: WriterDep, db: DbDep, channel: ChannelDep
) -> Response:
    values, faq = agent_form.posted(await request.form())
    columns, errors = agent_form.validate(values, faq)
    if errors:
        return _page(request, owner, values, faq, errors=errors, status_code=422)
    await db.execute(
        update(Business)
        .where(col(Business.id) == owner.id)
        .values(**columns, updated_at=func.now())
    )
    await db.refresh(owner.business)
    await rebuild(db, business=owner.business)  # the answers to questions, from the new text
    await db.commit()
    channel.engine.services.forget(owner.id)  # this process: the very next message
    return RedirectResponse("/dashboard/agent?saved=1", status_code=303)
