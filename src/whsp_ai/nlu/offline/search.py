"""Searches: what is asked for, with price, sort and stock filters and a category."""

from __future__ import annotations

import re
from decimal import Decimal

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.models import SearchFilters, TurnInput, Understanding
from whsp_ai.nlu.numbers import NUMBER_WORDS, leading_amount
from whsp_ai.nlu.offline.references import pointer, shown_name
from whsp_ai.nlu.offline.text import SPACES, plain
from whsp_ai.text.fold import fold


def search(core: str, turn: TurnInput) -> tuple[Understanding, bool] | None:
    s = plain(core)
    filters, s = _filters(s)
    filtered = filters != SearchFilters()
    lead, asked_what = True, False
    if m := lx.SEARCH_HAVE_OF_RE.match(s):
        q = m["q"]
    elif m := lx.SEARCH_WH_RE.match(s):
        q, asked_what = m["q"] or "", True
    elif m := lx.SEARCH_LEAD_RE.match(s):
        q = s[m.end() :]
        if again := lx.SEARCH_LEAD_RE.match(q):  # 'quiero saber el precio de…'
            q = q[again.end() :]
    else:
        lead = False
        q = lx.QUESTION_PREFIX_RE.sub("", s) if filtered else s
    q = _trim(lx.KIND_OF_RE.sub("", _trim(lx.SEARCH_TRAIL_RE.sub("", q))))
    pointed = pointer(q, len(turn.shown)) if q else None
    if pointed is not None:  # 'cuánto cuesta el segundo': ask about that shown product
        q = shown_name(pointed, turn.shown)
    elif q and not lead and not filtered and not _looks_like_product(q):
        return None
    if q:
        filters.category, q = _category(q, turn.categories)
    generic = lx.GENERIC_WORDS if filters.category or filtered else lx.VAGUE_QUERY
    if all(w in generic for w in q.split()):
        q = ""
    # "tienen X?" / "busco X" asks for a product; "cuánto…?" or bare words may be anything
    # else, so nothing the owner hears of comes of them without asking (issue 13).
    pointing = bool(_POINTING & set(q.split()))  # "the herbal ones": a reference, not a name
    clear = lead and not asked_what and not pointing and not lx.NOT_AN_ADDRESS_LEAD_RE.match(q)
    found = Understanding(
        intent="search", search_query=q or None, filters=filters, confidence=1.0 if clear else 0.6
    )
    return found, lead


_POINTING = frozenset(["ones", "those", "these", "them", "esos", "esas", "unos", "unas"])


def _trim(q: str) -> str:
    words = lx.CART_PLACE_RE.sub("", q).split()
    while words and words[0] in lx.EDGE_STOP:
        words.pop(0)
    while words and (words[-1] in lx.EDGE_STOP or lx.TRAIL_WORDS_RE.fullmatch(" " + words[-1])):
        words.pop()
    return " ".join(words)


def _looks_like_product(q: str) -> bool:
    words = q.split()
    if not 1 <= len(words) <= 7 or any(len(w) > 30 for w in words):
        return False
    if not any(ch.isalpha() for ch in q) or any(w in lx.NON_PRODUCT for w in words):
        return False
    return not all(w in NUMBER_WORDS or w.isdigit() for w in words)


def _filters(s: str) -> tuple[SearchFilters, str]:
    filters = SearchFilters()
    if m := lx.BETWEEN_RE.search(s):
        filters.min_price = Decimal(m["amt"].replace(",", ""))
        filters.max_price = Decimal(m["amt2"].replace(",", ""))
        s = f"{s[: m.start()]} {s[m.end() :]}"
    pos = 0
    while m := lx.PRICE_OP_RE.search(s, pos):
        amount = _price_at(s, m.end())
        if amount is None:
            pos = m.end()
            continue
        value, end = amount
        if m["max"]:
            filters.max_price = value
        else:
            filters.min_price = value
        s, pos = f"{s[: m.start()]} {s[end:]}", m.start()
    for rx, sort in ((lx.PRICEY_RE, "priciest"), (lx.CHEAP_RE, "cheapest")):
        if m := rx.search(s):
            filters.sort = sort  # type: ignore[assignment]
            s = f"{s[: m.start()]} {s[m.end() :]}"
            break
    if m := lx.IN_STOCK_RE.search(s):
        filters.in_stock = True
        s = f"{s[: m.start()]} {s[m.end() :]}"
    return filters, SPACES.sub(" ", s).strip()


def _price_at(s: str, start: int) -> tuple[Decimal, int] | None:
    """A price written right at `start` ('$50', '15 dollars', 'cien pesos') and where it ends."""
    found = leading_amount(s[start:])
    if found is None or lx.MEASURE_RE.match(s[start + found[1] :]):
        return None  # 'menos de 4 litros' is a size, not a price
    end = start + found[1]
    currency = lx.CURRENCY_RE.match(s[end:])
    return found[0], end + (currency.end() if currency else 0)


def _category(q: str, categories: list[str]) -> tuple[str | None, str]:
    """A category only when the words are that category and nothing more specific."""
    words = q.split()
    for category in categories:
        wanted = re.findall(r"[a-z0-9]+", fold(category))
        used: set[int] = set()
        for w in wanted:
            j = next(
                (k for k, x in enumerate(words) if k not in used and _stems(x) & _stems(w)), None
            )
            if j is None:
                break
            used.add(j)
        else:
            rest = [x for k, x in enumerate(words) if k not in used]
            if wanted and all(x in lx.GENERIC_WORDS for x in rest):
                return category, ""
    return None, q


def _stems(word: str) -> set[str]:
    stems = {word}
    if word.endswith("ies"):
        stems.add(word[:-3] + "y")
    if word.endswith("es"):
        stems.add(word[:-2])
    if word.endswith("s"):
        stems.add(word[:-1])
    return stems
