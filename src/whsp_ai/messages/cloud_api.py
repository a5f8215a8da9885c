"""Cloud API message bodies, with Meta's limits enforced (a violation raises LimitError)."""

from __future__ import annotations

from typing import Any

from whsp_ai.messages.limits import (
    BODY_MAX,
    BUTTON_ID_MAX,
    BUTTON_TITLE_MAX,
    BUTTONS_MAX,
    CTA_TEXT_MAX,
    LIST_BUTTON_MAX,
    ROW_DESCRIPTION_MAX,
    ROW_ID_MAX,
    ROW_TITLE_MAX,
    ROWS_MAX,
    SECTION_TITLE_MAX,
    SECTIONS_MAX,
    TEXT_MAX,
)
from whsp_ai.messages.replies import Reply

Body = dict[str, Any]


class LimitError(ValueError):
    """A message that Meta would refuse; the message says which limit."""


def _check(condition: bool, problem: str) -> None:
    if not condition:
        raise LimitError(problem)


def _envelope(to: str, kind: str, content: dict[str, Any]) -> Body:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": kind,
        kind: content,
    }


def split_text(body: str, limit: int = TEXT_MAX) -> list[str]:
    """Split at paragraph, then line, then word boundaries so no part exceeds `limit`."""
    parts: list[str] = []
    rest = body.strip()
    while len(rest) > limit:
        cut = max(
            rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit)
        )
        cut = cut if cut > limit // 2 else limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def text(to: str, body: str) -> list[Body]:
    _check(bool(body.strip()), "text body must not be empty")
    return [
        _envelope(to, "text", {"preview_url": False, "body": part}) for part in split_text(body)
    ]


def buttons(to: str, body: str, choices: list[tuple[str, str]]) -> Body:
    _check(
        1 <= len(choices) <= BUTTONS_MAX, f"reply buttons: 1 to {BUTTONS_MAX}, got {len(choices)}"
    )
    _check(0 < len(body) <= BODY_MAX, f"button body: 1 to {BODY_MAX} characters")
    titles = [title for _, title in choices]
    _check(len(set(titles)) == len(titles), "button titles must be unique")
    for button_id, title in choices:
        _check(
            0 < len(title) <= BUTTON_TITLE_MAX, f"button title over {BUTTON_TITLE_MAX}: {title!r}"
        )
        _check(0 < len(button_id) <= BUTTON_ID_MAX, f"button id over {BUTTON_ID_MAX} characters")
    return _envelope(
        to,
        "interactive",
        {
            "type": "button",
            "body": {"text": body},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": i, "title": title}} for i, title in choices
                ]
            },
        },
    )


def list_message(
    to: str, body: str, button: str, sections: list[tuple[str, list[tuple[str, str, str]]]]
) -> Body:
    rows = [row for _, section_rows in sections for row in section_rows]
    _check(1 <= len(sections) <= SECTIONS_MAX, f"list: 1 to {SECTIONS_MAX} sections")
    _check(1 <= len(rows) <= ROWS_MAX, f"list: 1 to {ROWS_MAX} rows in total, got {len(rows)}")
    _check(0 < len(body) <= BODY_MAX, f"list body: 1 to {BODY_MAX} characters")
    _check(0 < len(button) <= LIST_BUTTON_MAX, f"list button over {LIST_BUTTON_MAX}: {button!r}")
    _check(len({r[0] for r in rows}) == len(rows), "list row ids must be unique")
    out_sections = []
    for title, section_rows in sections:
        _check(
            len(title) <= SECTION_TITLE_MAX, f"section title over {SECTION_TITLE_MAX}: {title!r}"
        )
        _check(bool(title) or len(sections) == 1, "several sections need titles")
        out_rows = []
        for row_id, row_title, description in section_rows:
            _check(
                0 < len(row_title) <= ROW_TITLE_MAX,
                f"row title over {ROW_TITLE_MAX}: {row_title!r}",
            )
            _check(
                len(description) <= ROW_DESCRIPTION_MAX,
                f"row description over {ROW_DESCRIPTION_MAX}",
            )
            _check(0 < len(row_id) <= ROW_ID_MAX, f"row id over {ROW_ID_MAX} characters")
            row = {"id": row_id, "title": row_title}
            if description:
                row["description"] = description
            out_rows.append(row)
        section: dict[str, Any] = {"rows": out_rows}
        if title:
            section["title"] = title
        out_sections.append(section)
    return _envelope(
        to,
        "interactive",
        {
            "type": "list",
            "body": {"text": body},
            "action": {"button": button, "sections": out_sections},
        },
    )


def cta_url(to: str, body: str, display_text: str, url: str) -> Body:
    _check(0 < len(display_text) <= CTA_TEXT_MAX, f"CTA text over {CTA_TEXT_MAX}: {display_text!r}")
    _check(0 < len(body) <= BODY_MAX, f"CTA body: 1 to {BODY_MAX} characters")
    _check(url.startswith(("https://", "http://")), "CTA url must be http(s)")
    return _envelope(
        to,
        "interactive",
        {
            "type": "cta_url",
            "body": {"text": body},
            "action": {"name": "cta_url", "parameters": {"display_text": display_text, "url": url}},
        },
    )


def template(to: str, name: str, language: str, body_params: list[str] | None = None) -> Body:
    content: dict[str, Any] = {"name": name, "language": {"code": language}}
    if body_params:
        content["components"] = [
            {
                "type": "body",
                "parameters": [{"type": "text", "text": p} for p in body_params],
            }
        ]
    return _envelope(to, "template", content)


def from_reply(to: str, reply: Reply | dict[str, Any], more: str = "👇") -> list[Body]:
    """The Cloud API messages for one engine reply (long text goes first, as plain text)."""
    body = reply["text"]
    choices = [(b["id"], b["title"]) for b in reply.get("buttons", [])]
    rows = [(r["id"], r["title"], r.get("description", "")) for r in reply.get("rows", [])]
    if not choices and not rows:
        return text(to, body)
    lead: list[Body] = []
    if len(body) > BODY_MAX:
        lead, body = text(to, body), more
    if choices:
        return [*lead, buttons(to, body, choices)]
    return [*lead, list_message(to, body, reply.get("list_button") or "Ver", [("", rows)])]


def to_reply(body: Body) -> Reply:
    """How a Cloud API body reads as an engine reply (the sandbox and the terminal chat)."""
    kind = body.get("type")
    if kind == "text":
        return {"text": body["text"]["body"]}
    if kind == "template":
        return {"text": f"[template {body['template']['name']}]"}
    interactive = body.get("interactive", {})
    reply: Reply = {"text": interactive.get("body", {}).get("text", "")}
    action = interactive.get("action", {})
    if interactive.get("type") == "button":
        reply["buttons"] = [
            {"id": b["reply"]["id"], "title": b["reply"]["title"]}
            for b in action.get("buttons", [])
        ]
    elif interactive.get("type") == "list":
        reply["rows"] = [
            {"id": r["id"], "title": r["title"]}
            for section in action.get("sections", [])
            for r in section.get("rows", [])
        ]
    return reply
