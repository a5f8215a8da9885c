"""Opening hours in the business's own timezone: open now?, a day's hours, the next opening.

Pure: `now` is passed in, so tests pin the clock. The hours are info.hours as the business
file validated them (importer/knowledge.py): "HH:MM-HH:MM" ranges joined by "," or "closed";
a day left out is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from whsp_ai.text.hours import DAYS, day_ranges, hhmm


@dataclass(frozen=True)
class Now:
    open: bool
    closes: str | None  # "19:00" when open
    next_day: str | None  # "mon".."sun" of the next opening, when closed
    next_opens: str | None  # "08:00"
    today: str  # the weekday in the business's timezone


def week(hours: dict[str, str]) -> dict[str, list[tuple[int, int]]]:
    """Each weekday's ranges in minutes; a day left out (or unreadable) is closed."""
    result: dict[str, list[tuple[int, int]]] = {}
    for day in DAYS:
        try:
            result[day] = day_ranges(hours.get(day) or "closed")
        except ValueError:  # validated on the way in; an old row must not break a reply
            result[day] = []
    return result


def local_now(timezone: str | None, now: datetime) -> datetime:
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone)


def status(hours: dict[str, str], timezone: str | None, now: datetime) -> Now:
    """Open or closed at `now` in the business's timezone, and when it next opens."""
    local = local_now(timezone, now)
    days = week(hours)
    today = DAYS[local.weekday()]
    minute = local.hour * 60 + local.minute
    for start, end in days[today]:
        if start <= minute < end:
            return Now(True, hhmm(end), None, None, today)
    for offset in range(8):
        day = DAYS[(local.weekday() + offset) % 7]
        later = [s for s, _ in days[day] if offset or s > minute]
        if later:
            return Now(False, None, day, hhmm(later[0]), today)
    return Now(False, None, None, None, today)


def relative_day(word: str, timezone: str | None, now: datetime) -> str:
    """'today' / 'tomorrow' as the weekday in the business's timezone."""
    local = local_now(timezone, now)
    shift = 1 if word == "tomorrow" else 0
    return DAYS[(local + timedelta(days=shift)).weekday()]


def day_text(ranges: list[tuple[int, int]], joiner: str) -> str:
    """'08:00-13:00 y 14:00-21:00' ('' when closed)."""
    return f" {joiner} ".join(f"{hhmm(a)}–{hhmm(b)}" for a, b in ranges)
