"""Outside the 24-hour window: a message becomes the business's approved utility template.

Meta lets only templates reach someone who last wrote more than 24 hours ago. Each business
names two in its file (`whatsapp.templates`): `owner_notice` for messages to the owner,
`customer_update` for messages to a customer, both with one body parameter, {{1}}, that
carries the message's words. WHSP_REENGAGE_TEMPLATE, if set, stands in for a business that
names none. No template, no send: the sender holds the message (tools/notices.py).
"""

from __future__ import annotations

import re
from typing import Any

from whsp_ai.db.models import Business
from whsp_ai.messages import cloud_api as builders
from whsp_ai.settings import Settings
from whsp_ai.tools.notices import text_of

HELD_REASON = "outside the 24-hour window and no template: held until they write again"
# Meta refuses a parameter with a newline or a tab, or more than four spaces in a row
# (error 132018), and a body longer than 1024 characters; the template's own words count.
PARAM_MAX = 900
_BREAKS = re.compile(r"\s*[\r\n\t]+\s*")
_SPACES = re.compile(r" {4,}")


def parameter(text: str) -> str:
    """Message text as one template body parameter Meta accepts."""
    flat = _SPACES.sub("   ", _BREAKS.sub(" · ", text.strip()))
    return flat if len(flat) <= PARAM_MAX else flat[: PARAM_MAX - 1].rstrip() + "…"


def outside_window(
    business: Business, settings: Settings, to_wa_id: str, payload: dict[str, Any]
) -> dict[str, Any] | None:
    """The template message that carries `payload` to `to_wa_id`, or None (hold it)."""
    configured = business.whatsapp_templates or {}
    kind = "owner_notice" if to_wa_id == business.owner_phone else "customer_update"
    name = configured.get(kind)
    language = configured.get("language") or business.language
    if not name and settings.reengage_template:
        name, language = settings.reengage_template, settings.reengage_template_language
    text = text_of(payload)
    if not name or not text:
        return None
    return builders.template(to_wa_id, str(name), str(language), [parameter(text)])
