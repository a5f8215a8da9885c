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
from whsp_ai.messages.titles import row_titles


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
    """A list; titles are shortened together, so each keeps what tells it apart (titles.py)."""
    out: list[Row] = []
    shown = items[:ROWS_MAX]
    titles = row_titles([title for _, title, _ in shown], ROW_TITLE_MAX)
    for (row_id, _, description), title in zip(shown, titles, strict=True):
        row: Row = {"id": row_id, "title": title}
        if description:
            row["description"] = _clip(description, ROW_DESCRIPTION_MAX)
        out.append(row)
    return {"text": body, "rows": out, "list_button": _clip(button, LIST_BUTTON_MAX)}
