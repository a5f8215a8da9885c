"""Checkout answers: the payment method named, and an address given."""

from __future__ import annotations

import re

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.offline.text import SPACES
from whsp_ai.text.fold import fold


def said_address(raw: str) -> str | None:
    """What follows 'mi dirección es…' / 'my address is…', at any step."""
    strong = lx.ADDRESS_STRONG_RE.search(raw)
    if strong and raw[strong.end() :].strip():
        return raw[strong.end() :].strip()
    return None


def given_address(raw: str) -> str | None:
    """What follows 'envíamelo a…' / 'deliver to…', when an address is awaited."""
    address = raw.strip()
    weak = lx.ADDRESS_WEAK_RE.match(address)
    if weak and address[weak.end() :].strip():
        return address[weak.end() :].strip()
    return None


def payment(plain: str, methods: list[str]) -> str | None:
    """The business's method the customer named, by name, prefix, family word or position."""
    if not methods:
        return None
    core = SPACES.sub(" ", lx.PAY_FILLER_RE.sub(" ", plain)).strip()
    m = lx.PAY_ORDINAL_RE.match(core or plain)
    if m:
        word = m["n"]
        n = int(word) if word.isdigit() else lx.ORDINAL_WORDS[word]
        n = len(methods) if n == -1 else n
        return methods[n - 1] if 1 <= n <= len(methods) else None
    words = plain.split()
    hits: list[tuple[int, int]] = []
    for i, method in enumerate(methods):
        name = re.findall(r"[a-z0-9]+", fold(method))
        if not name:
            continue
        if mentions(words, name):
            hits.append((3, i))
        elif len(core) >= 3 and " " not in core and any(w.startswith(core) for w in name):
            hits.append((2, i))
        elif any(
            mentions(words, syn.split())
            for family in lx.PAYMENT_FAMILIES
            if any(mentions(name, syn.split()) for syn in family)
            for syn in family
        ):
            hits.append((1, i))
    if not hits:
        return None
    best = max(score for score, _ in hits)
    top = [i for score, i in hits if score == best]
    return methods[top[0]] if len(top) == 1 else None


def mentions(words: list[str], phrase: list[str]) -> bool:
    """`phrase` occurs in `words` and is not negated just before ('no tengo tarjeta')."""
    size = len(phrase)
    for k in range(len(words) - size + 1):
        if words[k : k + size] == phrase and not lx.PAY_NEGATION & set(words[max(0, k - 3) : k]):
            return True
    return False
