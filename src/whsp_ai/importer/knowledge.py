"""The business file's `info` and `faq` sections (CONTRACT §3): the facts questions are
answered from, validated so that a bad field names its path and nothing is imported."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator

from whsp_ai.db.fields import Line, Text
from whsp_ai.text.hours import CLOSED, DAYS, day_ranges, ranges_text


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InfoSection(_Strict):
    """Facts about the shop. Hours per weekday: a day left out is closed."""

    timezone: str = "UTC"
    address: Text | None = Field(default=None, max_length=500)
    hours: dict[str, str] = Field(default_factory=dict)
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
            if spec is False or spec is None:  # YAML reads a bare `no`/`~` this way
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

    q: Line = Field(min_length=1, max_length=500)
    a: Text = Field(min_length=1, max_length=2000)
