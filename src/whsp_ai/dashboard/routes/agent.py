"""The agent's settings: persona (name, tone, greeting, rules) and checkout, validated like the
business file, each error shown next to its field; effective from the next message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from whsp_ai.dashboard.deps import ChannelDep, DbDep, Owner, OwnerDep, WriterDep
from whsp_ai.dashboard.forms import FieldErrors, form_text
from whsp_ai.dashboard.render import page
from whsp_ai.db.models import Business
from whsp_ai.importer.schema import CheckoutSection, PersonaSection

router = APIRouter()
FIELDS = (
    "agent_name",
    "tone",
    "greeting",
    "rules",
    "payment_methods",
    "delivery_fee",
    "free_delivery_over",
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _values(business: Business) -> dict[str, str]:
    """The form's fields as text, from what is stored."""
    persona = business.persona or {}
    return {
        "agent_name": str(persona.get("agent_name") or ""),
        "tone": str(persona.get("tone") or ""),
        "greeting": str(persona.get("greeting") or ""),
        "rules": "\n".join(str(r) for r in persona.get("rules") or []),
        "payment_methods": "\n".join(business.payment_methods or []),
        "delivery_fee": "" if business.delivery_fee is None else f"{business.delivery_fee:.2f}",
        "free_delivery_over": (
            "" if business.free_delivery_over is None else f"{business.free_delivery_over:.2f}"
        ),
    }


def _form_values(form: FormData) -> dict[str, str]:
    return {name: form_text(form, name) for name in FIELDS}


def _errors(exc: ValidationError, errors: FieldErrors) -> None:
    for error in exc.errors():
        loc = error["loc"]
        field = str(loc[0]) if loc else "form"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing" or message.startswith("List should have at least 1"):
            message = "required"
        errors.setdefault(field, message if len(loc) < 2 else f"line {int(loc[1]) + 1}: {message}")


def _validate(values: dict[str, str]) -> tuple[dict[str, Any], FieldErrors]:
    errors = FieldErrors()
    persona: dict[str, Any] = {}
    checkout: dict[str, Any] = {}
    try:
        persona = PersonaSection.model_validate(
            {
                "agent_name": values["agent_name"],
                "tone": values["tone"],
                "greeting": values["greeting"].strip() or None,
                "rules": _lines(values["rules"]),
            }
        ).model_dump()
    except ValidationError as exc:
        _errors(exc, errors)
    raw_checkout: dict[str, Any] = {"payment_methods": _lines(values["payment_methods"])}
    for name in ("delivery_fee", "free_delivery_over"):
        text = values[name].strip().replace("$", "").replace(",", "")
        raw_checkout[name] = text or None
    try:
        checkout = CheckoutSection.model_validate(raw_checkout).model_dump()
    except ValidationError as exc:
        _errors(exc, errors)
    return {"persona": persona, **checkout}, errors


def _page(request: Request, owner: Owner, values: dict[str, str], **context: Any) -> Response:
    context.setdefault("errors", FieldErrors())
    context.setdefault("saved", False)
    return page(request, "agent.html", owner=owner, nav="agent", values=values, **context)


@router.get("/agent")
async def agent_page(request: Request, owner: OwnerDep) -> Response:
    saved = request.query_params.get("saved") == "1"
    return _page(request, owner, _values(owner.business), saved=saved)


@router.post("/agent")
async def save_agent(
    request: Request, owner: WriterDep, db: DbDep, channel: ChannelDep
) -> Response:
    values = _form_values(await request.form())
    fields, errors = _validate(values)
    if errors:
        return _page(request, owner, values, errors=errors, status_code=422)
    business = owner.business
    business.persona = fields["persona"]
    business.payment_methods = fields["payment_methods"]
    business.delivery_fee = fields["delivery_fee"]
    business.free_delivery_over = fields["free_delivery_over"]
    business.updated_at = datetime.now(UTC)
    db.add(business)
    await db.flush()
    await db.commit()
    channel.engine.services.forget(owner.id)  # this process: the very next message
    return RedirectResponse("/dashboard/agent?saved=1", status_code=303)
