"""Whole-message phrases: yes, no, cancel, help, view cart, checkout, thanks."""

from __future__ import annotations

import re

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.intents import INTENTS
from whsp_ai.nlu.models import Intent
from whsp_ai.nlu.offline.text import plain

# Thanks, yes and no first (they have grammar of their own: "si si", "no no"), then each
# registered intent's own phrases, in the registry's order.
PHRASES: tuple[tuple[re.Pattern[str], Intent], ...] = (
    (lx.THANKS_RE, "other"),
    (lx.YES_RE, "confirm"),
    (lx.NO_RE, "deny"),
    *((lx.whole_phrase(spec.phrases), spec.name) for spec in INTENTS if spec.phrases),
)


def forms(text: str) -> list[str]:
    """The message as sent, without closing politeness, and without opening filler too."""
    found = [text.strip(" ,;")]
    bare = drop_trailing(found[0])
    found.append(bare)
    while m := lx.LEAD_FILLER_RE.match(bare) or lx.LEAD_NO_RE.match(bare):
        bare = bare[m.end() :].strip(" ,;")
    bare = drop_trailing(bare)
    found.append(bare)
    found.append(lx.JUST_RE.sub("", bare))
    return found


def drop_trailing(text: str) -> str:
    while m := lx.TRAIL_FILLER_RE.search(text):
        text = text[: m.start()].strip(" ,;")
    return text


def phrases(text: str) -> Intent | None:
    """'ya es todo, quiero pagar', 'no, espérame': sentences that each say the same thing
    (or are only filler, like 'ok') say it together."""
    parts = [p for p in lx.SEPARATORS_RE.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    found: set[Intent] = set()
    for part in parts:
        bare = drop_trailing(part.strip())
        while m := lx.LEAD_FILLER_RE.match(bare):
            bare = bare[m.end() :].strip()
        if not bare:
            continue
        intent = phrase(plain(bare))
        if intent is None:
            return None
        found.add(intent)
    if found == {"deny", "cancel"}:
        return "cancel"
    if found == {"confirm", "checkout"}:
        return "checkout"
    return found.pop() if len(found) == 1 else None


def phrase(text: str) -> Intent | None:
    """The intent a whole message (already plain) says outright, if it is a known phrase."""
    if not text:
        return None
    for pattern, intent in PHRASES:
        if pattern.fullmatch(text):
            return intent
    tail = lx.CHECKOUT_TAIL_RE.search(text)
    if tail and lx.CHECKOUT_RE.fullmatch(text[: tail.start()]):
        return "checkout"
    return None
