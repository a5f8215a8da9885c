"""Addresses at checkout: whether words read as a delivery address, and 'la misma'.

An address, offline, is a few words with a street word and a number in them ("Calle Morelos
123", "42 Elm St"), or either one among at least three words when nothing else was meant
("Hidalgo 45 centro, Toluca", "Sin número, colonia Centro"); never a question or a
greeting. "La misma" / "same as last time" point at the address saved from the last order.
The words are data: `street_word`, `same_address`, `not_an_address_lead` and
`address_change` in vocabulary/.
"""

from __future__ import annotations

import re

from whsp_ai.nlu import lexicon as lx
from whsp_ai.text.fold import fold

_WORD = re.compile(r"[a-z0-9#]+")
_DIGIT = re.compile(r"\d")


def _folded(raw: str) -> str:
    return fold(re.sub(r"['’‘`´]", "", raw))


def reads_as_address(raw: str, *, strict: bool = False) -> bool:
    """Words that read as a delivery address. `strict` (when something else may have been
    meant, at the cart or payment step) wants a street word and a number both."""
    if "?" in raw or "¿" in raw:
        return False
    text = _folded(raw)
    words = _WORD.findall(text)
    if len(words) < 2 or lx.NOT_AN_ADDRESS_LEAD_RE.match(text) or lx.GREET_RE.match(text + " "):
        return False
    has_number, has_street = bool(_DIGIT.search(text)), bool(lx.STREET_RE.search(text))
    if strict:
        return has_number and has_street
    named = [w for w in words if len(w) >= 3 and not w.isdigit()]
    if has_street and len(words) >= 3:  # "Sin número, colonia Centro"
        return True
    return (has_number and has_street) or (has_number and len(words) >= 3 and bool(named))


def same_address(raw: str) -> bool:
    """'la misma', 'a la de siempre', 'same as last time' (and not an address itself)."""
    text = _folded(raw)
    return bool(lx.SAME_ADDRESS_RE.search(text)) and not _DIGIT.search(text)


def address_part(raw: str) -> str:
    """The address without what leads to it: 'sí, a Av. Reforma 222' → 'Av. Reforma 222'."""
    text = _folded(raw)
    lead = lx.ADDRESS_CHANGE_RE.match(text)
    words = raw.split()
    if lead and lead.end() > 0:
        eaten = len(text[: lead.end()].split())
        rest = " ".join(words[eaten:]).strip(" ,;:.")
        if rest and reads_as_address(rest):
            return rest
    return raw.strip().strip(" ,;:")


def changes_address(raw: str) -> bool:
    """'cambia la dirección a …', 'wait, my address is …': a new address, said outright."""
    text = _folded(raw)
    lead = lx.ADDRESS_CHANGE_RE.match(text)
    return bool(lead and lead.end() > 0) or lx.ADDRESS_STRONG_RE.search(raw) is not None
