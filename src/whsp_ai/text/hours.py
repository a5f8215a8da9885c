"""Opening-hours text: the business file's "HH:MM-HH:MM" ranges, read once for everyone."""

from __future__ import annotations

import re

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLOSED = "closed"
_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def day_ranges(value: str) -> list[tuple[int, int]]:
    """'08:00-13:00,14:00-20:00' as minutes since midnight; [] for 'closed'.

    Raises ValueError naming what is wrong, so the file's error says it."""
    text = value.strip()
    if text.casefold() == CLOSED:
        return []
    ranges: list[tuple[int, int]] = []
    for part in text.split(","):
        m = _RANGE.match(part.strip())
        if m is None:
            raise ValueError(f"{part.strip()!r} is not a range like 08:00-20:00 (or 'closed')")
        start = int(m[1]) * 60 + int(m[2])
        end = int(m[3]) * 60 + int(m[4])
        if end > 24 * 60 or end <= start:
            raise ValueError(f"{part.strip()!r} must end after it starts, by 24:00 at the latest")
        if ranges and start < ranges[-1][1]:
            raise ValueError(f"{part.strip()!r} overlaps or comes before the range before it")
        ranges.append((start, end))
    return ranges


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def ranges_text(ranges: list[tuple[int, int]]) -> str:
    """The stored form: '08:00-13:00,14:00-20:00', or 'closed'."""
    return ",".join(f"{hhmm(a)}-{hhmm(b)}" for a, b in ranges) or CLOSED
