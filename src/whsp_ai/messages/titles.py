"""List row titles that tell the rows apart within Meta's 24 characters.

A list's rows are read together, so a title is shortened where it says what the other rows
say too ("Pintura vinílica blanca" in both 4 L and 19 L), never where it differs ("blanca"
against "gris"): shared words are abbreviated first, the most shared and the longest before
the others. Only when that is not enough is the end clipped, keeping a closing size.
"""

from __future__ import annotations

import unicodedata


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clip_title(text: str, limit: int) -> str:
    """Clip one title keeping its closing size ('Pintura vinílica b… 19 L'), so two sizes of
    one product never read the same."""
    if len(text) <= limit:
        return text
    words = text.split()
    for n in (2, 1):
        tail = " ".join(words[-n:])
        sized = any(ch.isdigit() for ch in tail) and not any(ch in tail for ch in "()")
        if len(words) > n and sized and len(tail) <= limit // 3:
            head = text[: limit - len(tail) - 2].rstrip()
            return f"{head}… {tail}"
    return _clip(text, limit)


def _abbreviate(word: str) -> str:
    return word if len(word) <= 4 or any(ch.isdigit() for ch in word) else word[:3] + "."


def distinct_words(name: str, others: list[str]) -> list[str]:
    """The words of `name` that some other row's name lacks: what tells it apart."""
    return [
        w
        for w in name.split()
        if any(_fold(w) not in {_fold(x) for x in other.split()} for other in others)
    ]


def keeps_apart(title: str, name: str, others: list[str]) -> bool:
    """Whether the title still has, against every other name, a whole word that one lacks
    (unless this name's words are all in the other's: then the other's title shows it)."""
    said = {_fold(w.rstrip("…")) for w in title.split()}  # 'Impermeabilizante…' is whole
    mine = {_fold(w) for w in name.split()}
    for other in others:
        theirs = {_fold(w) for w in other.split()}
        if mine <= theirs:
            continue  # 'Ceremonial Matcha' beside 'Organic Ceremonial Matcha': that one differs
        if not any(_fold(w) in said and _fold(w) not in theirs for w in name.split()):
            return False
    return True


def _shortened(name: str, others: list[str], limit: int) -> str:
    words = name.split()
    folded_others = [{_fold(w) for w in other.split()} for other in others if other != name]
    shared = [sum(_fold(w) in o for o in folded_others) for w in words]
    short = list(words)
    for k in sorted(
        (k for k in range(len(words)) if shared[k]), key=lambda k: (-shared[k], -len(words[k]))
    ):
        if len(" ".join(short)) <= limit:
            break
        short[k] = _abbreviate(words[k])
    title = clip_title(" ".join(short), limit)
    if keeps_apart(title, name, others):
        return title
    # Clipping cut what differs: say only what differs, from the first such word on.
    own = distinct_words(name, others)
    start = words.index(own[0]) if own else 0
    return clip_title(" ".join(words[start:]), limit)


def row_titles(names: list[str], limit: int) -> list[str]:
    """One title per row, each within `limit`, unique, keeping what tells it apart."""
    titles: list[str] = []
    for i, name in enumerate(names):
        others = names[:i] + names[i + 1 :]
        title = name if len(name) <= limit else _shortened(name, others, limit)
        n = 2
        base = title
        while title in titles:  # Meta refuses a list with two rows of one title
            title = f"{_clip(base, limit - len(str(n)) - 1)} {n}"
            n += 1
        titles.append(title)
    return titles
