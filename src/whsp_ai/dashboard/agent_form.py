"""The agent page's form: persona, checkout, info and faq as text fields, validated with the
business file's own sections, each error keyed by the form field it belongs to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from whsp_ai.dashboard.forms import FieldErrors, form_text
from whsp_ai.db.models import Business
from whsp_ai.importer.knowledge import FaqEntry, InfoSection
from whsp_ai.importer.schema import CheckoutSection, PersonaSection
from whsp_ai.text.hours import DAYS

SIMPLE = (
    "agent_name",
    "tone",
    "greeting",
    "rules",
    "payment_methods",
    "delivery_fee",
    "free_delivery_over",
    "info_timezone",
    "info_address",
    "info_delivery",
    "info_returns",
    *(f"hours_{day}" for day in DAYS),
)
MAX_FAQ = 500  # as PATCH /management/business takes


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def stored(business: Business) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The form's fields as text, and the faq as (q, a) rows, from what is stored."""
    persona = business.persona or {}
    info = business.info or {}
    hours = info.get("hours") or {}
    values = {
        "agent_name": str(persona.get("agent_name") or ""),
        "tone": str(persona.get("tone") or ""),
        "greeting": str(persona.get("greeting") or ""),
        "rules": "\n".join(str(r) for r in persona.get("rules") or []),
        "payment_methods": "\n".join(business.payment_methods or []),
        "delivery_fee": _money(business.delivery_fee),
        "free_delivery_over": _money(business.free_delivery_over),
        "info_timezone": str(info.get("timezone") or "UTC"),
        "info_address": str(info.get("address") or ""),
        "info_delivery": str(info.get("delivery") or ""),
        "info_returns": str(info.get("returns") or ""),
        **{f"hours_{day}": str(hours.get(day) or "") for day in DAYS},
    }
    faq = [{"q": str(e.get("q", "")), "a": str(e.get("a", ""))} for e in business.faq or []]
    return values, faq


def posted(form: FormData) -> tuple[dict[str, str], list[dict[str, str]]]:
    values = {name: form_text(form, name) for name in SIMPLE}
    faq = []
    for index in range(MAX_FAQ + 1):
        q, a = form_text(form, f"faq_q_{index}"), form_text(form, f"faq_a_{index}")
        if f"faq_q_{index}" not in form and f"faq_a_{index}" not in form:
            break
        faq.append({"q": q, "a": a})
    return values, faq


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _check(
    model: type[BaseModel], data: dict[str, Any], errors: FieldErrors, prefix: str = ""
) -> dict[str, Any]:
    """The model's dump, or {} with each error under `prefix` + its field name."""
    try:
        return model.model_validate(data).model_dump()
    except ValidationError as exc:
        for error in exc.errors():
            loc = error["loc"]
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] in ("missing", "string_too_short") or message.startswith(
                "List should have at least 1"
            ):
                message = "required"
            field = f"{prefix}{loc[0]}" if loc else prefix.rstrip("_")
            if len(loc) > 1 and isinstance(loc[1], int):
                message = f"line {loc[1] + 1}: {message}"
            errors.setdefault(field, message)
        return {}


def validate(
    values: dict[str, str], faq: list[dict[str, str]]
) -> tuple[dict[str, Any], FieldErrors]:
    """The columns to store, or the errors by form field (then nothing is stored)."""
    errors = FieldErrors()
    persona = _check(
        PersonaSection,
        {
            "agent_name": values["agent_name"],
            "tone": values["tone"],
            "greeting": values["greeting"].strip() or None,
            "rules": _lines(values["rules"]),
        },
        errors,
    )
    checkout = _check(
        CheckoutSection,
        {
            "payment_methods": _lines(values["payment_methods"]),
            **{
                name: values[name].strip().replace("$", "").replace(",", "") or None
                for name in ("delivery_fee", "free_delivery_over")
            },
        },
        errors,
    )
    hours = {day: values[f"hours_{day}"].strip() for day in DAYS if values[f"hours_{day}"].strip()}
    for day, spec in hours.items():  # each day on its own, so its error sits under its field
        day_errors = FieldErrors()
        _check(InfoSection, {"hours": {day: spec}}, day_errors)
        if day_errors:
            errors[f"hours_{day}"] = next(iter(day_errors.values())).removeprefix(f"{day}: ")
    info_raw: dict[str, Any] = {
        "timezone": values["info_timezone"].strip() or "UTC",
        "hours": hours,
        **{
            name: values[f"info_{name}"].strip() or None
            for name in ("address", "delivery", "returns")
        },
    }
    info_errors = FieldErrors()
    info = _check(InfoSection, info_raw, info_errors, prefix="info_")
    for field, message in info_errors.items():
        if field != "info_hours":  # shown per day above
            errors.setdefault(field, message)
    entries = []
    for index, entry in enumerate(faq):
        if not entry["q"].strip() and not entry["a"].strip():
            continue  # a blank row: the one offered for a new entry, or one emptied to remove it
        entries.append(_check(FaqEntry, entry, errors, prefix=f"faq_{index}_"))
    if errors:
        return {}, errors
    return {
        "persona": persona,
        "payment_methods": checkout["payment_methods"],
        "delivery_fee": checkout["delivery_fee"],
        "free_delivery_over": checkout["free_delivery_over"],
        "info": {k: v for k, v in info.items() if v is not None},  # as PATCH stores it
        "faq": entries,
    }, errors
