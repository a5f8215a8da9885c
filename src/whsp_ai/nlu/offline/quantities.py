"""Quantities: how many, said before or after a product, and what the rest of a clause names."""

from __future__ import annotations

from typing import Literal

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.models import CartAction, ProductRef, Understanding
from whsp_ai.nlu.numbers import leading_number
from whsp_ai.nlu.offline.references import pointer, strip_articles
from whsp_ai.text.fold import fold

Op = Literal["add", "remove", "set"]


def counted(text: str) -> bool:
    """Opens with a real number ('2', 'dos'), not just an article ('una', 'a')."""
    found = quantity(text)
    return found is not None and found[2] == "number"


def quantity(text: str) -> tuple[int | None, str, str] | None:
    """An opening quantity: (value, the rest, 'number' | 'article' | 'vague')."""
    vague = lx.VAGUE_RE.match(text)
    if vague:
        return None, text[vague.end() :], "vague"
    if another := lx.ANOTHER_RE.match(text):  # 'otras 2 pinzas', 'otro martillo': more of it
        rest = text[another.end() :]
        more = leading_number(rest)
        return (more[0], more[1], "number") if more else (1, rest, "number")
    found = leading_number(text)
    if found is None and lx.ARTICLE_BEFORE_NUMBER_RE.match(text):
        found = leading_number(lx.ARTICLE_BEFORE_NUMBER_RE.sub("", text))
    if found is not None:
        value, rest = found
        kind = "article" if value == 1 and text.split(" ", 1)[0] in lx.INDEFINITE else "number"
        return value, rest, kind
    if lx.INDEFINITE_RE.match(text):
        return 1, lx.INDEFINITE_RE.sub("", text), "article"
    return None


def body(text: str, op: Op, clit: str | None, n_shown: int) -> tuple[int | None, ProductRef, bool]:
    """Quantity and product of what follows the verb; the bool says 'nothing named at all'."""
    b = lx.CONNECTOR_RE.sub("", text).strip(" ,;")
    ref = pointer(b, n_shown)  # before trimming: 'one more' is a pointer, 'more' alone is not
    if ref is not None:
        return None, ref, False
    b = lx.TRAIL_WORDS_RE.sub("", b).strip(" ,;")
    if not b:
        return None, ProductRef(last=True), clit is None
    qty: int | None = None
    got = quantity(b)
    if got is not None:
        qty, b, _ = got
        b = lx.AFTER_QTY_RE.sub("", b, count=1)
        if op == "remove":
            b = lx.REMOVE_FROM_RE.sub("", b)
    elif m := lx.TRAIL_QTY_RE.match(b):
        qty, b = int(m["x"] or m["n"]), m["rest"]
    ref = pointer(b, n_shown)
    if ref is not None:
        return qty, ref, False
    b = strip_articles(b)
    b = lx.TRAIL_WORDS_RE.sub("", b).strip(" ,;")
    if not b:
        return qty, ProductRef(last=True), clit is None
    return qty, pointer(b, n_shown) or ProductRef(query=b), False


def bare_number(core: str, shown: list[str]) -> Understanding | None:
    """A number alone: how many of the one product shown, or which row of a list shown."""
    if not shown:
        return None
    found = leading_number(core)
    if found is None or lx.AFTER_QTY_RE.sub("", found[1], count=1).strip():
        return None
    n = found[0]
    if len(shown) == 1 and 1 <= n <= 999:
        action = CartAction(op="add", product=ProductRef(last=True), quantity=n)
        return Understanding(intent="add", actions=[action])
    if 1 <= n <= len(shown):  # a row of the list: show that product
        return Understanding(intent="search", search_query=fold(shown[n - 1]))
    return None
