"""References to products already shown: 'ese', 'the first one', 'el 3', '#2'."""

from __future__ import annotations

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.models import ProductRef
from whsp_ai.text.fold import fold


def strip_articles(text: str) -> str:
    while m := lx.ARTICLE_RE.match(text) or lx.DEMONSTRATIVE_RE.match(text):
        if not m.group():
            break
        text = text[m.end() :]
    return text.strip(" ,;")


def pointer(text: str, n_shown: int) -> ProductRef | None:
    """'ese', 'the first one', 'el 3', '#2': a reference to what was last shown."""
    if lx.LAST_RE.fullmatch(text):
        return ProductRef(last=True)
    m = lx.INDEX_RE.fullmatch(text)
    if m is None:
        return None
    if m["word"]:
        n = lx.ORDINAL_WORDS[m["word"]]
    elif m["art"] or m["mark"] or m["suf"]:
        n = int(m["num"])
    else:
        return None  # a bare '3' is a quantity, not a position
    if n == -1:
        return ProductRef(index=n_shown) if n_shown else ProductRef(last=True)
    return ProductRef(index=n) if n >= 1 else None


def shown_name(ref: ProductRef, shown: list[str]) -> str:
    if ref.index is not None and ref.index <= len(shown):
        return fold(shown[ref.index - 1])
    return fold(shown[0]) if ref.last and len(shown) == 1 else ""
