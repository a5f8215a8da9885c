"""The business file (CONTRACT §3) as pydantic models, and its loader with located errors.

Every text field uses the shared types of db.fields, so the file refuses exactly what the API
refuses (NUL, lone surrogates, control characters in one-line fields, unusable SKUs).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pycountry
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from whsp_ai.db.fields import Label, Line, Text
from whsp_ai.db.models import ProductCreate
from whsp_ai.importer.knowledge import FaqEntry, InfoSection

# libyaml's safe loader parses a 10,000-product file ~10x faster than the pure-Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _digits(value: Any) -> Any:
    """WhatsApp ids are digit strings; YAML turns an unquoted one into an int."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip().removeprefix("+")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TemplatesSection(_Strict):
    """Approved utility templates for outside the 24-hour window (docs/business-file.md):
    each has one body parameter, {{1}}, that carries the message's words."""

    owner_notice: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,512}$")
    customer_update: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,512}$")
    # the templates' language code as approved (es, es_MX, en_US); default: the business's
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}(?:_[A-Z]{2})?$")


class WhatsAppSection(_Strict):
    phone_number_id: str = Field(pattern=r"^\d{5,20}$")
    access_token: Line | None = Field(default=None, min_length=1)
    templates: TemplatesSection = Field(default_factory=TemplatesSection)

    _digits = field_validator("phone_number_id", mode="before")(_digits)


class PersonaSection(_Strict):
    agent_name: Label = Field(min_length=1, max_length=60)
    tone: Text = Field(default="", max_length=300)
    greeting: Text | None = Field(default=None, max_length=1000)
    rules: list[Text] = Field(default_factory=list)


class CheckoutSection(_Strict):
    payment_methods: list[Label] = Field(min_length=1, json_schema_extra={"uniqueItems": True})
    delivery_fee: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    free_delivery_over: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)

    @field_validator("payment_methods")
    @classmethod
    def _unique_methods(cls, methods: list[str]) -> list[str]:
        cleaned = [m.strip() for m in methods]
        if any(not m for m in cleaned):
            raise ValueError("payment methods must not be blank")
        if len({m.casefold() for m in cleaned}) != len(cleaned):
            raise ValueError("payment methods must be unique")
        return cleaned


class FileProduct(ProductCreate):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    @field_validator("sku", mode="before")
    @classmethod
    def _sku_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("price", mode="before")
    @classmethod
    def _quoted_price(cls, value: Any) -> Any:
        """A file may quote a price ("45.00"); the API takes numbers only, a file is kinder."""
        if isinstance(value, str):
            try:
                return Decimal(value.strip())
            except ArithmeticError:
                return value  # refused below, with the value shown
        return value

    @field_validator("aliases", mode="before")
    @classmethod
    def _no_aliases(cls, value: Any) -> Any:
        return [] if value is None else value  # `aliases:` left empty in YAML


class BusinessFile(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$", min_length=1, max_length=63)
    name: Label = Field(min_length=1, max_length=200)
    language: Literal["es", "en"]
    currency: str
    owner_phone: str = Field(pattern=r"^\d{6,20}$")
    whatsapp: WhatsAppSection
    persona: PersonaSection
    checkout: CheckoutSection
    products: list[FileProduct] = Field(default_factory=list)
    info: InfoSection = Field(default_factory=InfoSection)
    faq: list[FaqEntry] = Field(default_factory=list)

    _digits = field_validator("owner_phone", mode="before")(_digits)

    @field_validator("currency", mode="before")
    @classmethod
    def _iso_currency(cls, value: Any) -> Any:
        if isinstance(value, str) and pycountry.currencies.get(alpha_3=value.strip().upper()):
            return value.strip().upper()
        raise ValueError(f"unknown currency {value!r}: use an ISO 4217 code such as MXN or USD")

    @field_validator("info", "faq", mode="before")
    @classmethod
    def _empty_section(cls, value: Any, info: ValidationInfo) -> Any:
        """`info:` or `faq:` left empty in YAML is the same as left out."""
        if value is None:
            return {} if info.field_name == "info" else []
        return value


class BusinessFileError(Exception):
    """A business file that can't be imported; the message names the file and each bad field."""


def load_business_file(path: Path) -> BusinessFile:
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BusinessFileError(f"{path}: cannot read file: {exc}") from exc
    data = _parse(path, raw_text)
    if not isinstance(data, dict):
        raise BusinessFileError(
            f"{path}: expected a mapping at the top level, got {type(data).__name__}"
        )
    try:
        business = BusinessFile.model_validate(data)
    except ValidationError as exc:
        raise BusinessFileError(_describe(path, exc, data)) from None
    _check_unique_skus(path, business)
    return business


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise BusinessFileError(
                f"{path}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
    try:
        return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506  (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise BusinessFileError(f"{path}: malformed YAML{where}: {problem}") from None


def _describe(path: Path, exc: ValidationError, data: dict[str, Any]) -> str:
    lines = [f"{path}: invalid business file ({exc.error_count()} problem(s)):"]
    products: list[Any] = data["products"] if isinstance(data.get("products"), list) else []
    for error in exc.errors():
        loc = list(error["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "products" and isinstance(loc[1], int):
            index = loc[1]
            item = products[index] if index < len(products) else None
            sku = item.get("sku") if isinstance(item, dict) else None
            where = f"product #{index} (sku {sku!r})" if sku is not None else f"product #{index}"
            loc = loc[2:]
        field = ".".join(str(p) for p in loc) or "(whole entry)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required field is missing"
        elif error["type"] == "extra_forbidden":
            message = "unknown field"
        given = (
            "" if error["type"] in ("missing", "extra_forbidden") else f" (got {error['input']!r})"
        )
        prefix = f"{where}: " if where else ""
        lines.append(f"  - {prefix}field '{field}': {message}{given}")
    return "\n".join(lines)


def _check_unique_skus(path: Path, business: BusinessFile) -> None:
    first_seen: dict[str, int] = {}
    problems = []
    for index, product in enumerate(business.products):
        key = product.sku
        if key in first_seen:
            problems.append(
                f"  - product #{index} (sku {key!r}): field 'sku': duplicate of product "
                f"#{first_seen[key]}"
            )
        else:
            first_seen[key] = index
    if problems:
        raise BusinessFileError("\n".join([f"{path}: invalid business file:", *problems]))
