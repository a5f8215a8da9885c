"""The business file's `info` and `faq` sections (CONTRACT §3): the facts questions are
answered from, validated so that a bad field names its path and nothing is imported."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator

from whsp_ai.db.fields import Label, Paragraph, Text
from whsp_ai.text.hours import CLOSED, DAYS, day_ranges, ranges_text


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone_schema(schema: dict[str, Any]) -> None:
    """The OpenAPI document lists the zones, so a client knows what is accepted."""
    schema["enum"] = sorted(_zones())


# What the OpenAPI document says of hours; that a range ends after it starts, and ranges
# don't overlap, is checked by the validator (a regular expression can't say it).
_RANGE = r"([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]"
HOURS_PATTERN = rf"^(closed|{_RANGE}(,{_RANGE})*)$"


def _hours_schema(schema: dict[str, Any]) -> None:
    schema.pop("additionalProperties", None)
    day = {"anyOf": [{"type": "string", "pattern": HOURS_PATTERN}, {"type": "null"}]}
    schema["properties"] = dict.fromkeys(DAYS, day)  # null: closed, as a day left out
    schema["additionalProperties"] = False
    schema["type"] = ["object", "null"]  # `hours:` left empty is the same as none


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InfoSection(_Strict):
    """Facts about the shop. Hours per weekday: a day left out is closed."""

    timezone: str = Field(default="UTC", json_schema_extra=_zone_schema)
    address: Text | None = Field(default=None, max_length=500)
    hours: dict[str, str] = Field(default_factory=dict, json_schema_extra=_hours_schema)
    delivery: Text | None = Field(default=None, max_length=2000)
    returns: Text | None = Field(default=None, max_length=2000)

    @field_validator("timezone")
    @classmethod
    def _iana(cls, value: str) -> str:
        # ZoneInfo also opens paths like "../x"; only the IANA names are zones to us.
        if value not in _zones():
            raise ValueError(f"unknown timezone {value!r}: use an IANA name such as America/Bogota")
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - listed above
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("hours", mode="before")
    @classmethod
    def _hours(cls, value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValueError("hours must map mon..sun to 'HH:MM-HH:MM' ranges or 'closed'")
        cleaned: dict[str, str] = {}
        for day, spec in value.items():
            key = str(day).strip().lower()
            if key not in DAYS:
                raise ValueError(f"unknown day {day!r}: use mon, tue, wed, thu, fri, sat, sun")
            if spec is None:  # `sun:` left empty in YAML
                spec = CLOSED
            if not isinstance(spec, str):
                raise ValueError(f"{key}: {spec!r} is not a range like 08:00-20:00 or 'closed'")
            try:
                ranges = day_ranges(spec)
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
            cleaned[key] = ranges_text(ranges)
        return cleaned


class FaqEntry(_Strict):
    """One of the owner's own answers, quoted as written."""

    q: Label = Field(max_length=500)
    a: Paragraph = Field(max_length=2000)
