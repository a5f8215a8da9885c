"""A customer's words made fit to quote to the owner: links out, one tidy block, bounded."""

from __future__ import annotations

import re

# A link in any form people paste: a scheme, "www.", or a bare domain with a path or a
# common top-level domain. The owner's notice is a quotation, never a way to pass a link
# (phishing) through the shop's own number.
_LINK = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|mx|us|es|ly|me|info|biz|app|xyz|link|gl)"
    r"(?:/\S*)?\b/?",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
MAX_QUOTE = 500  # a notice is read on a phone; the whole text is in the API and dashboard


def strip_links(text: str) -> str:
    """The text without URLs (each becomes nothing), spaces tidied."""
    cleaned = _LINK.sub(" ", text)
    lines = [_SPACES.sub(" ", line).strip() for line in cleaned.splitlines()]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


def quotation(text: str, limit: int = MAX_QUOTE) -> str:
    """WhatsApp's block quote ("> " on every line) of a customer's words, links stripped,
    cut at `limit` characters with an ellipsis."""
    return block_quote(strip_links(text), limit)


def block_quote(text: str, limit: int = MAX_QUOTE) -> str:
    """The words as written (the owner's own, links kept) in WhatsApp's block quote."""
    words = "\n".join(line.strip() for line in text.strip().splitlines() if line.strip()) or "…"
    if len(words) > limit:
        words = words[: limit - 1].rstrip() + "…"
    return "\n".join(f"> {line}" for line in words.splitlines())
