"""A product typed into a form or a CSV row, validated like the business file's products."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from whsp_ai.dashboard.forms import FieldErrors
from whsp_ai.importer.schema import FileProduct

FIELDS = ("sku", "name", "description", "price", "stock", "category", "aliases", "status")


def _stock(raw: str) -> Any:
    """Blank is "not tracked"; digits are a count; anything else goes on to be refused."""
    raw = raw.strip()
    if not raw:
        return None
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else raw


def from_text(raw: dict[str, str], *, alias_separator: str) -> dict[str, Any]:
    """The business file's shape from text cells; blank optional cells are left out."""
    data: dict[str, Any] = {
        "sku": raw.get("sku", "").strip(),
        "name": raw.get("name", ""),
        "price": raw.get("price", "").strip().replace("$", "").replace(",", ""),
    }
    if raw.get("description", "").strip():
        data["description"] = raw["description"]
    if "stock" in raw:
        data["stock"] = _stock(raw["stock"])
    if raw.get("category", "").strip():
        data["category"] = raw["category"]
    if raw.get("aliases", "").strip():
        data["aliases"] = [a for a in raw["aliases"].split(alias_separator) if a.strip()]
    if raw.get("status", "").strip():
        data["status"] = raw["status"].strip().lower()
    return data


def validate(data: dict[str, Any]) -> tuple[FileProduct | None, FieldErrors]:
    """The product, or what is wrong with each field, in words for the owner."""
    try:
        return FileProduct.model_validate(data), FieldErrors()
    except ValidationError as exc:
        errors = FieldErrors()
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "product"
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "missing" or (field == "price" and data.get("price") == ""):
                message = "required"
            elif error["type"] == "extra_forbidden":
                message = "unknown field"
            errors.setdefault(field, message)
        return None, errors
