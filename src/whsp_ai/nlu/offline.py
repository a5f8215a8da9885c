"""The offline provider: deterministic rules over folded Spanish and English, no network."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.models import (
    CartAction,
    Intent,
    ProductRef,
    SearchFilters,
    TurnInput,
    Understanding,
)
from whsp_ai.nlu.numbers import NUMBER_WORDS, leading_amount, leading_number, parse_number
from whsp_ai.text.fold import fold

# Rules only need the start of a message; cutting keeps every regex fast on pasted essays.
MAX_CHARS = 600

_NEWLINES = re.compile(r"[\r\n]+")
_QUOTES = re.compile(r"['’‘`´]")
_NUMERO = re.compile(r"\b(?:no\.|n°)\s*(?=\d)")
_SENTENCE = re.compile(r"[!?]+|\.(?=\s|$)|\.{2,}")
_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
_DASH = re.compile(r"\s[-–—]+\s")
_JUNK = re.compile(r"[^a-z0-9\s$#/.,;%&+<>°-]")
_SPACES = re.compile(r"\s+")
_HAS_WORD = re.compile(r"[a-z0-9]")
_SPANISH_MARKS = re.compile(r"[ñ¿¡áéíóú]")
_ARTICLE_BEFORE_NUMBER = re.compile(r"^(?:el|la|los|las|the|those|these|esos|esas|estos|estas) ")
_INDEFINITE = re.compile(r"^(?:a|an) (?=\S)")
_MEJOR = re.compile(r"^mejor ")
_SOLO = re.compile(r"^(?:solo|just|only|nomas) ")
_REMOVE_FROM = re.compile(r"^(?:a|from) ")

_PHRASES: tuple[tuple[re.Pattern[str], Intent], ...] = (
    (lx.THANKS_RE, "other"),
    (lx.YES_RE, "confirm"),
    (lx.NO_RE, "deny"),
    (lx.CLEAR_CART_RE, "clear_cart"),
    (lx.CANCEL_RE, "cancel"),
    (lx.HELP_RE, "help"),
    (lx.VIEW_CART_RE, "view_cart"),
    (lx.CHECKOUT_RE, "checkout"),
)
# While an address is awaited, only these (said outright) are not the address itself.
_NOT_AN_ADDRESS = frozenset(
    {"cancel", "clear_cart", "help", "view_cart", "deny", "add", "remove", "set_quantity"}
    | {"cart_edit"}
    | {"checkout", "confirm", "greet", "other"}
)
Op = Literal["add", "remove", "set"]
_CART_INTENTS: dict[Op, Intent] = {"add": "add", "remove": "remove", "set": "set_quantity"}


def understand(turn: TurnInput) -> Understanding:
    """What one customer message asks for. Pure, synchronous, never raises."""
    try:
        return _understand(turn)
    except Exception:  # a rule bug must cost one misunderstood message, never the conversation
        return Understanding(intent="other")


def _understand(turn: TurnInput) -> Understanding:
    raw = turn.text or ""
    text = normalize(raw)
    plain = _plain(text)
    result = _decide(turn, raw, text, plain)
    result.language = _language(plain, raw[:MAX_CHARS])
    return result


def normalize(raw: str) -> str:
    """Folded text with sentence ends as ' ; ', commas as ' , ' and other symbols dropped."""
    text = fold(_NEWLINES.sub(" ; ", raw[:MAX_CHARS]))
    text = _NUMERO.sub("numero ", _QUOTES.sub("", text))
    text = _SENTENCE.sub(" ; ", text.replace("¿", " ").replace("¡", " "))
    text = _DASH.sub(" , ", _COMMA.sub(" , ", text))
    return _SPACES.sub(" ", _JUNK.sub(" ", text)).strip(" ,;")


def _plain(text: str) -> str:
    return lx.SEPARATORS_RE.sub(" ", text).strip()


def _language(plain: str, raw: str) -> Literal["es", "en"] | None:
    words = plain.split()
    es = sum(w in lx.SPANISH_WORDS for w in words) + bool(_SPANISH_MARKS.search(raw.lower()))
    en = sum(w in lx.ENGLISH_WORDS for w in words)
    if es > en:
        return "es"
    return "en" if en > es else None


def _decide(turn: TurnInput, raw: str, text: str, plain: str) -> Understanding:
    if not _HAS_WORD.search(plain):
        if any(mark in raw for mark in ("👍", "✅", "👌")):
            return Understanding(intent="confirm")
        return Understanding(intent="deny" if "👎" in raw else "other")
    if turn.expecting == "payment":
        method = _payment(plain, turn.payment_methods)
        if method is not None or lx.PAY_ATTEMPT_RE.match(plain):
            # a method the business doesn't take is still an answer: the step asks again
            return Understanding(intent="choose_payment", payment_method=method)
    if turn.expecting in ("confirm_order", "confirm_cart"):
        for form in _forms(text):
            if lx.YES_EXPECTING_RE.fullmatch(_plain(form)):
                return Understanding(intent="confirm")
            if lx.NO_RE.fullmatch(_plain(form)):
                return Understanding(intent="deny")
    strong = lx.ADDRESS_STRONG_RE.search(raw)
    if strong and raw[strong.end() :].strip():
        return Understanding(intent="provide_address", address=raw[strong.end() :].strip())
    if turn.expecting == "address":
        address = raw.strip()
        weak = lx.ADDRESS_WEAK_RE.match(address)
        if weak and address[weak.end() :].strip():
            return Understanding(intent="provide_address", address=address[weak.end() :].strip())
    result, certain = _interpret(text, turn)
    if turn.expecting == "address" and not (certain and result.intent in _NOT_AN_ADDRESS):
        return Understanding(intent="provide_address", address=raw.strip())
    return result


def _forms(text: str) -> list[str]:
    """The message as sent, without closing politeness, and without opening filler too."""
    forms = [text.strip(" ,;")]
    bare = _drop_trailing(forms[0])
    forms.append(bare)
    while m := lx.LEAD_FILLER_RE.match(bare) or lx.LEAD_NO_RE.match(bare):
        bare = bare[m.end() :].strip(" ,;")
    bare = _drop_trailing(bare)
    forms.append(bare)
    forms.append(_SOLO.sub("", bare))
    return forms


def _drop_trailing(text: str) -> str:
    while m := lx.TRAIL_FILLER_RE.search(text):
        text = text[: m.start()].strip(" ,;")
    return text


def _interpret(text: str, turn: TurnInput) -> tuple[Understanding, bool]:
    """The intent outside any expectation, and whether it was said outright."""
    greeted = False
    while m := lx.GREET_RE.match(text):
        text, greeted = text[m.end() :].strip(" ,;"), True
    if greeted and (not text or (text.isalpha() and " " not in text)):
        return Understanding(intent="greet"), True
    forms = _forms(text)
    for form in forms:
        intent = _phrase(_plain(form))
        if intent is not None:
            return Understanding(intent=intent), True
    intent = _phrases(forms[1])
    if intent is not None:
        return Understanding(intent=intent), True
    core = forms[2]
    if not core:
        return Understanding(intent="greet" if greeted else "other"), greeted
    continued = bool(
        lx.CONTINUE_RE.match(text) or lx.CONTINUE_RE.match(lx.LEAD_FILLER_RE.sub("", text, 1))
    )
    cart = _cart(core, len(turn.shown), continued)
    if cart is not None:
        actions, explicit = cart
        ops = {a.op for a in actions}
        intent = _CART_INTENTS[actions[0].op] if len(ops) == 1 else "cart_edit"
        return Understanding(intent=intent, actions=actions), explicit
    bare = _bare_number(core, turn.shown)
    if bare is not None:
        return bare, False
    found = _search(core, turn)
    if found is not None:
        return found
    return Understanding(intent="other"), False


def _bare_number(core: str, shown: list[str]) -> Understanding | None:
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


def _phrases(text: str) -> Intent | None:
    """'ya es todo, quiero pagar', 'no, espérame': sentences that each say the same thing
    (or are only filler, like 'ok') say it together."""
    parts = [p for p in lx.SEPARATORS_RE.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    found: set[Intent] = set()
    for part in parts:
        bare = _drop_trailing(part.strip())
        while m := lx.LEAD_FILLER_RE.match(bare):
            bare = bare[m.end() :].strip()
        if not bare:
            continue
        intent = _phrase(_plain(bare))
        if intent is None:
            return None
        found.add(intent)
    if found == {"deny", "cancel"}:
        return "cancel"
    if found == {"confirm", "checkout"}:
        return "checkout"
    return found.pop() if len(found) == 1 else None


def _phrase(plain: str) -> Intent | None:
    if not plain:
        return None
    for pattern, intent in _PHRASES:
        if pattern.fullmatch(plain):
            return intent
    tail = lx.CHECKOUT_TAIL_RE.search(plain)
    if tail and lx.CHECKOUT_RE.fullmatch(plain[: tail.start()]):
        return "checkout"
    return None


# --- cart ---------------------------------------------------------------------------------------


def _cart(core: str, n_shown: int, continued: bool = False) -> tuple[list[CartAction], bool] | None:
    """Cart actions; `continued`: the message opened with 'y'/'and', going on with an add."""
    actions: list[CartAction] = []
    explicit = False
    op: Op | None = None
    for i, clause in enumerate(_split(core)):
        parsed = _clause(clause, op, i == 0, n_shown, continued)
        if parsed is None:
            op = None
            continue
        action, had_verb = parsed
        actions.append(action)
        explicit = explicit or had_verb
        op = action.op
    return (actions, explicit) if actions else None


def _split(core: str) -> list[str]:
    """Clauses: a connector splits only before a verb, a quantity, or (in a cart run) a pointer.

    After a cart verb, commas list products ('agrega focos, cinta y brochas'): each comma
    splits, and so does the 'y' / 'and' that closes the list."""
    parts = lx.SPLIT_RE.split(core)
    clauses: list[str] = []
    current = parts[0].strip()
    cart_run = _has_verb(current) or _quantity(current) is not None
    listing = False
    for sep, frag in zip(parts[1::2], parts[2::2], strict=True):
        frag = frag.strip()
        head = lx.CONNECTOR_RE.sub("", frag).strip(" ,;")
        if not head:
            continue
        starts = bool(_has_verb(head) or _quantity(head) or _phrase(_plain(head)))
        pointer = bool(lx.ARTICLE_RE.match(head) or lx.LAST_RE.fullmatch(head))
        pointer = pointer or _pointer(head, 0) is not None
        listed = cart_run and (sep == "," or (listing and sep in ("y", "e", "and", "&")))
        split = sep == ";" or starts or (cart_run and pointer) or listed
        if current and not _bare_verb(current) and split:
            clauses.append(current)
            current = head
            cart_run = cart_run or starts
            listing = listing or (sep == "," and cart_run)
        else:
            glue = "," if sep in (",", ";") else f" {sep}"
            current = f"{current}{glue} {frag}".strip(" ,")
    clauses.append(current)
    return [c for c in clauses if c]


def _has_verb(text: str) -> bool:
    return any(
        rx.match(text)
        for rx in (lx.REMOVE_RE, lx.ADD_RE, lx.SET_TARGET_RE, lx.SET_LEAD_RE, lx.SET_ONLY_RE)
    )


def _bare_verb(text: str) -> bool:
    m = lx.ADD_RE.match(text) or lx.REMOVE_RE.match(text)
    return bool(m and not m["rest"] and not m["clit"])


def _clause(
    clause: str, inherited: Op | None, first: bool, n_shown: int, continued: bool = False
) -> tuple[CartAction, bool] | None:
    c = lx.CART_PLACE_RE.sub("", lx.CONNECTOR_RE.sub("", clause))
    c = _SPACES.sub(" ", lx.TRAIL_FILLER_RE.sub("", c)).strip(" ,;")
    c = lx.PRICE_TAIL_RE.sub("", lx.WANT_WRAPPER_RE.sub("", c))
    if not c or _phrase(_plain(c)):  # 'agrega 2 focos y es todo': the tail is no product
        return None
    set_action = _set(c, n_shown)
    if set_action is not None:
        return set_action, True
    c = _MEJOR.sub("", c)
    op: Op = "remove"
    m = lx.TAKE_OUT_RE.match(c) or lx.REMOVE_RE.match(c)
    if m is None and (m := lx.ADD_RE.match(c)):
        op = "add"
    if m is not None:
        verb, rest = m.groupdict().get("verb") or "", m["rest"]
        clit = m.groupdict().get("clit")
        if op == "add" and (
            rest.startswith("to ") or _wants_to_do(verb, rest) or lx.WANT_INFO_RE.match(rest)
        ):
            return None
        if op == "remove" and verb.startswith("cancel") and not rest and not clit:
            return None  # 'cancela' alone cancels; 'cancélalo' removes what was shown
        qty, ref, _ = _body(rest, op, clit, n_shown)
        if verb in lx.SOFT_ADD and ref.query is not None and not _counted(rest):
            return None
        return CartAction(op=op, product=ref, quantity=qty), True
    if inherited is None:
        counted = bool(_counted(c) or lx.TRAIL_QTY_RE.match(c))
        counted = counted or (continued and _quantity(c) is not None)
        if not first or not (counted or _pointer(c, n_shown) is not None):
            return None
    op = inherited or "add"
    qty, ref, implicit = _body(c, op, None, n_shown)
    if inherited is None and implicit:
        return None
    return CartAction(op=op, product=ref, quantity=qty), False


def _wants_to_do(verb: str, rest: str) -> bool:
    """'quiero ver…', 'necesito saber…': a wish to do something, not to buy it."""
    return verb in lx.ADD_SPANISH_WANT and bool(lx.SPANISH_INFINITIVE_RE.match(rest))


def _set(c: str, n_shown: int) -> CartAction | None:
    m = lx.SET_TARGET_RE.match(c)
    if m:
        qty = parse_number(m["qty"])
        if qty is not None:
            _, ref, _ = _body(m["prod"] or "", "set", m["clit"], n_shown)
            return CartAction(op="set", product=ref, quantity=qty)
    for rx in (lx.SET_LEAD_RE, lx.SET_ONLY_RE, lx.SET_WANT_ONLY_RE, lx.SET_INSTEAD_RE):
        m = rx.match(c)
        if m:
            qty, ref, _ = _body(m["rest"], "set", None, n_shown)
            if qty is not None:
                return CartAction(op="set", product=ref, quantity=qty)
    return None


def _counted(text: str) -> bool:
    """Opens with a real number ('2', 'dos'), not just an article ('una', 'a')."""
    found = _quantity(text)
    return found is not None and found[2] == "number"


def _quantity(text: str) -> tuple[int | None, str, str] | None:
    """An opening quantity: (value, the rest, 'number' | 'article' | 'vague')."""
    vague = lx.VAGUE_RE.match(text)
    if vague:
        return None, text[vague.end() :], "vague"
    if another := lx.ANOTHER_RE.match(text):  # 'otras 2 pinzas', 'otro martillo': more of it
        rest = text[another.end() :]
        more = leading_number(rest)
        return (more[0], more[1], "number") if more else (1, rest, "number")
    found = leading_number(text)
    if found is None and _ARTICLE_BEFORE_NUMBER.match(text):
        found = leading_number(_ARTICLE_BEFORE_NUMBER.sub("", text))
    if found is not None:
        value, rest = found
        kind = "article" if value == 1 and text.split(" ", 1)[0] in ("un", "una") else "number"
        return value, rest, kind
    if _INDEFINITE.match(text):
        return 1, _INDEFINITE.sub("", text), "article"
    return None


def _body(text: str, op: Op, clit: str | None, n_shown: int) -> tuple[int | None, ProductRef, bool]:
    """Quantity and product of what follows the verb; the bool says 'nothing named at all'."""
    b = lx.CONNECTOR_RE.sub("", text).strip(" ,;")
    ref = _pointer(b, n_shown)  # before trimming: 'one more' is a pointer, 'more' alone is not
    if ref is not None:
        return None, ref, False
    b = lx.TRAIL_WORDS_RE.sub("", b).strip(" ,;")
    if not b:
        return None, ProductRef(last=True), clit is None
    qty: int | None = None
    got = _quantity(b)
    if got is not None:
        qty, b, _ = got
        b = lx.AFTER_QTY_RE.sub("", b, count=1)
        if op == "remove":
            b = _REMOVE_FROM.sub("", b)
    elif m := lx.TRAIL_QTY_RE.match(b):
        qty, b = int(m["x"] or m["n"]), m["rest"]
    ref = _pointer(b, n_shown)
    if ref is not None:
        return qty, ref, False
    b = _strip_articles(b)
    b = lx.TRAIL_WORDS_RE.sub("", b).strip(" ,;")
    if not b:
        return qty, ProductRef(last=True), clit is None
    return qty, _pointer(b, n_shown) or ProductRef(query=b), False


def _strip_articles(text: str) -> str:
    while m := lx.ARTICLE_RE.match(text) or lx.DEMONSTRATIVE_RE.match(text):
        if not m.group():
            break
        text = text[m.end() :]
    return text.strip(" ,;")


def _pointer(text: str, n_shown: int) -> ProductRef | None:
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


# --- search -------------------------------------------------------------------------------------


def _search(core: str, turn: TurnInput) -> tuple[Understanding, bool] | None:
    s = _plain(core)
    filters, s = _filters(s)
    filtered = filters != SearchFilters()
    lead = True
    if m := lx.SEARCH_HAVE_OF_RE.match(s):
        q = m["q"]
    elif m := lx.SEARCH_WH_RE.match(s):
        q = m["q"] or ""
    elif m := lx.SEARCH_LEAD_RE.match(s):
        q = s[m.end() :]
        if again := lx.SEARCH_LEAD_RE.match(q):  # 'quiero saber el precio de…'
            q = q[again.end() :]
    else:
        lead = False
        q = lx.QUESTION_PREFIX_RE.sub("", s) if filtered else s
    q = _trim(lx.KIND_OF_RE.sub("", _trim(lx.SEARCH_TRAIL_RE.sub("", q))))
    pointed = _pointer(q, len(turn.shown)) if q else None
    if pointed is not None:  # 'cuánto cuesta el segundo': ask about that shown product
        q = _shown_name(pointed, turn.shown)
    elif q and not lead and not filtered and not _looks_like_product(q):
        return None
    if q:
        filters.category, q = _category(q, turn.categories)
    generic = lx.GENERIC_WORDS if filters.category or filtered else lx.VAGUE_QUERY
    if all(w in generic for w in q.split()):
        q = ""
    return Understanding(intent="search", search_query=q or None, filters=filters), lead


def _shown_name(ref: ProductRef, shown: list[str]) -> str:
    if ref.index is not None and ref.index <= len(shown):
        return fold(shown[ref.index - 1])
    return fold(shown[0]) if ref.last and len(shown) == 1 else ""


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
    return filters, _SPACES.sub(" ", s).strip()


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


# --- payment ------------------------------------------------------------------------------------


def _payment(plain: str, methods: list[str]) -> str | None:
    """The business's method the customer named, by name, prefix, family word or position."""
    if not methods:
        return None
    core = _SPACES.sub(" ", lx.PAY_FILLER_RE.sub(" ", plain)).strip()
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
        if _mentions(words, name):
            hits.append((3, i))
        elif len(core) >= 3 and " " not in core and any(w.startswith(core) for w in name):
            hits.append((2, i))
        elif any(
            _mentions(words, syn.split())
            for family in lx.PAYMENT_FAMILIES
            if any(_mentions(name, syn.split()) for syn in family)
            for syn in family
        ):
            hits.append((1, i))
    if not hits:
        return None
    best = max(score for score, _ in hits)
    top = [i for score, i in hits if score == best]
    return methods[top[0]] if len(top) == 1 else None


def _mentions(words: list[str], phrase: list[str]) -> bool:
    """`phrase` occurs in `words` and is not negated just before ('no tengo tarjeta')."""
    size = len(phrase)
    for k in range(len(words) - size + 1):
        if words[k : k + size] == phrase and not lx.PAY_NEGATION & set(words[max(0, k - 3) : k]):
            return True
    return False
