"""Needs: 'algo para colgar cuadros', 'something for a cold' describe a use, not a product."""

from __future__ import annotations

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.offline.text import plain


def need_words(core: str) -> str | None:
    """The words of a need, without the words that frame it; None when it isn't one.

    A marker says it is a need ("algo para", "recommend", "something"); the words left once
    the frame is dropped are what the catalog's descriptions are searched for.
    """
    text = plain(core)
    if not lx.NEED_MARKER_RE.search(text):
        return None
    words: list[str] = []
    owned = False
    for w in text.split():
        # "mi compu", "my kettle": what the customer has, not what they want to buy
        if owned:
            owned = False
        elif w in lx.NEED_OWNED:
            owned = True
        elif w not in lx.NEED_FILLER:
            words.append(w)
    # "recomiéndame algo": a need with nothing in it is a search with nothing to find
    return " ".join(words) or None
