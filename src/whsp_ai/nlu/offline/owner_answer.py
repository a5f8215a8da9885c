"""The owner's typed answer to an approval notice: "1200 3" (price, stock), "no", "sí".

Only the shapes below are answers; anything else (a question, chit-chat, a sentence with
other words) is not, so a misread costs the owner a help message, never a wrong price. Two
bare numbers are price then stock; a number next to a price or stock word is that, and a
message whose words contradict each other is not an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu import vocabulary as vocab
from whsp_ai.text.fold import fold

YES_RE = re.compile(lx.any_of("yes"))
NO_RE = re.compile(lx.any_of("no"))
# 1200 · $1,200 · 1.200 · 1200.50 · 1 200,50: a separator followed by three digits groups
# thousands; followed by one or two, it is the decimal point.
_NUMBER = r"\$?(?:\d{1,3}(?:[ .,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
_ROLES = ("owner_price_lead", "owner_price_tail", "owner_stock_lead", "owner_stock_tail")
TOKEN_RE = re.compile(
    rf"(?P<num>{_NUMBER})(?![\w$])"
    rf"|(?P<word>{lx.any_of(*_ROLES, 'owner_filler_word')})(?!\w)"
    r"|(?P<sep>[\s,;:/=x-]+)"
)
# what a word says of the number after it (lead) and before it (tail)
LEADS = {w: role for role in ("price", "stock") for w in vocab.words(f"owner_{role}_lead")}
TAILS = {w: role for role in ("price", "stock") for w in vocab.words(f"owner_{role}_tail")}


@dataclass(frozen=True)
class TypedAnswer:
    decision: Literal["confirm", "reject"]
    price: Decimal | None = None
    stock: int | None = None

    def as_answer(self) -> dict[str, Any]:
        """The answer as POST /management/inventory_response takes it (without the id)."""
        answer: dict[str, Any] = {"decision": self.decision}
        if self.price is not None:
            answer["price"] = str(self.price)
        if self.stock is not None:
            answer["stock"] = self.stock
        return answer


def parse(text: str) -> TypedAnswer | None:
    """The answer a whole message gives, or None when it isn't one."""
    folded = fold(text).strip(" .!¡?¿")
    if not folded:
        return None
    if NO_RE.fullmatch(folded):
        return TypedAnswer("reject")
    if YES_RE.fullmatch(folded):
        return TypedAnswer("confirm")
    tokens = _tokens(folded)
    if tokens is None:
        return None
    numbers = [i for i, (kind, _) in enumerate(tokens) if kind == "num"]
    if not 1 <= len(numbers) <= 2:
        return None
    roles: dict[str, str] = {}
    untagged = []
    for i in numbers:
        said = {LEADS.get(tokens[i - 1][1]) if i > 0 else None}
        said |= {TAILS.get(tokens[i + 1][1]) if i + 1 < len(tokens) else None}
        said.discard(None)
        if len(said) > 1 or (said and next(iter(said)) in roles):
            return None  # "a 1200 piezas", or two prices: not sure which is which
        if said:
            roles[str(said.pop())] = tokens[i][1]
        else:
            untagged.append(tokens[i][1])
    for role in ("price", "stock"):
        if role not in roles and untagged:
            roles[role] = untagged.pop(0)
    price = _amount(roles["price"]) if "price" in roles else None
    stock = _count(roles["stock"]) if "stock" in roles else None
    if ("price" in roles and price is None) or ("stock" in roles and stock is None):
        return None
    return TypedAnswer("confirm", price, stock)


def _tokens(folded: str) -> list[tuple[str, str]] | None:
    """The message as (kind, text) tokens without separators; None if a word is unknown."""
    found, at = [], 0
    while at < len(folded):
        m = TOKEN_RE.match(folded, at)
        if m is None or m.end() == at:
            return None
        kind = m.lastgroup or "sep"
        if kind != "sep":
            found.append((kind, m.group(kind)))
        at = m.end()
    return found


def _amount(raw: str) -> Decimal | None:
    digits = re.sub(r"[ .,](?=\d{3}(?:\D|$))", "", raw.strip("$")).replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return value if Decimal(0) <= value < Decimal(10) ** 10 else None


def _count(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and int(raw) < 2**31 else None
