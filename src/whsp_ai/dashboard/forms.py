"""Reading HTML form posts: text fields made safe for Postgres, numbers, ids from paths."""

from __future__ import annotations

from decimal import Decimal

from fastapi import HTTPException
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import FormData
from starlette.requests import Request

from whsp_ai.db.fields import Int4, MoneyIn

INT8_MAX = 2**63 - 1


def form_text(form: FormData, name: str, *, max_length: int = 4000) -> str:
    """A text field; a file where text was expected, or nothing, reads as empty.

    Characters Postgres refuses (NUL, lone surrogates) are dropped here, at the edge.
    """
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    value = value.replace("\x00", "")
    value = value.encode("utf-8", "ignore").decode("utf-8") if _has_surrogates(value) else value
    return value[:max_length]


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def path_id(raw: str) -> int:
    """An id from the URL; anything that can't be one of ours is a 404, as a missing row."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        raise HTTPException(404, "not found")
    value = int(raw)
    if not 0 < value <= INT8_MAX:
        raise HTTPException(404, "not found")
    return value


class FieldErrors(dict[str, str]):
    """Field name → what is wrong with it, shown next to the field."""


_MONEY = TypeAdapter(MoneyIn)
_COUNT = TypeAdapter(Int4)


def money_field(
    form: FormData, name: str, errors: FieldErrors, *, required: bool
) -> Decimal | None:
    """A price typed by a person: "1200", "1,200.50" and "$45" all read; blank is None."""
    raw = form_text(form, name, max_length=40).strip().replace("$", "").replace(",", "")
    if not raw:
        if required:
            errors[name] = "Enter a price."
        return None
    try:
        return _MONEY.validate_python(Decimal(raw))
    except (ArithmeticError, ValidationError):
        errors[name] = "Enter a price of 0 or more, with at most 2 decimals."
        return None


def count_field(form: FormData, name: str, errors: FieldErrors) -> int | None:
    """A stock count; blank is None (not tracked)."""
    raw = form_text(form, name, max_length=20).strip()
    if not raw:
        return None
    try:
        return _COUNT.validate_python(int(raw))
    except (ValueError, ValidationError):
        errors[name] = "Enter a whole number of 0 or more, or leave it blank."
        return None


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def page_number(request: Request) -> int:
    """?page=N (1-based); anything else is the first page."""
    raw = request.query_params.get("page", "1")
    if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6:
        return max(1, int(raw))
    return 1
