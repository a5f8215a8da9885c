"""What the agent sends back: text, reply buttons or a list, as plain serializable dicts.

Tap ids carry what the engine needs (`add:SKU`, `pay:2`, `order:confirm`), so a tap is
understood without guessing. Replies are clipped to Meta's limits here, so a long product
name never makes a message Meta refuses; cloud_api.py checks them again at the edge.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

from whsp_ai.messages.limits import (
    BUTTON_TITLE_MAX,
    BUTTONS_MAX,
    LIST_BUTTON_MAX,
    ROW_DESCRIPTION_MAX,
    ROW_TITLE_MAX,
    ROWS_MAX,
)


class Button(TypedDict):
    id: str
    title: str


class Row(TypedDict):
    id: str
    title: str
    description: NotRequired[str]


class Reply(TypedDict):
    text: str
    buttons: NotRequired[list[Button]]
    rows: NotRequired[list[Row]]
    list_button: NotRequired[str]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _clip_title(text: str, limit: int) -> str:
    """Clip a product's title keeping its closing size ('Pintura vinílica b… 19 L'): two
    sizes of one product must not read the same in a list."""
    if len(text) <= limit:
        return text
    words = text.split()
    for n in (2, 1):
        tail = " ".join(words[-n:])
        sized = any(ch.isdigit() for ch in tail) and not any(ch in tail for ch in "()")
        if len(words) > n and sized and len(tail) <= limit // 3:
            head = text[: limit - len(tail) - 2].rstrip()
            return f"{head}… {tail}"
    return _clip(text, limit)


def text(body: str) -> Reply:
    return {"text": body}


def buttons(body: str, choices: list[tuple[str, str]]) -> Reply:
    out: list[Button] = []
    for button_id, title in choices[:BUTTONS_MAX]:
        label = _clip(title, BUTTON_TITLE_MAX)
        n = 2
        while any(b["title"] == label for b in out):  # Meta refuses repeated titles
            label = f"{_clip(title, BUTTON_TITLE_MAX - 3)} {n}"
            n += 1
        out.append({"id": button_id, "title": label})
    return {"text": body, "buttons": out}


def rows(body: str, button: str, items: list[tuple[str, str, str]]) -> Reply:
    out: list[Row] = []
    for row_id, title, description in items[:ROWS_MAX]:
        row: Row = {"id": row_id, "title": _clip_title(title, ROW_TITLE_MAX)}
        if description:
            row["description"] = _clip(description, ROW_DESCRIPTION_MAX)
        out.append(row)
    return {"text": body, "rows": out, "list_button": _clip(button, LIST_BUTTON_MAX)}
