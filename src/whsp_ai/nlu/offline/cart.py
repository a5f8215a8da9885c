"""Cart actions: add, remove and set, split into clauses, each with its product and quantity."""

from __future__ import annotations

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.models import CartAction
from whsp_ai.nlu.numbers import parse_number
from whsp_ai.nlu.offline.phrases import phrase
from whsp_ai.nlu.offline.quantities import Op, body, counted, quantity
from whsp_ai.nlu.offline.references import pointer
from whsp_ai.nlu.offline.text import SPACES, plain


def cart(core: str, n_shown: int, continued: bool = False) -> tuple[list[CartAction], bool] | None:
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
    cart_run = _has_verb(current) or quantity(current) is not None
    listing = False
    for sep, frag in zip(parts[1::2], parts[2::2], strict=True):
        frag = frag.strip()
        head = lx.CONNECTOR_RE.sub("", frag).strip(" ,;")
        if not head:
            continue
        starts = bool(_has_verb(head) or quantity(head) or phrase(plain(head)))
        points = bool(lx.ARTICLE_RE.match(head) or lx.LAST_RE.fullmatch(head))
        points = points or pointer(head, 0) is not None
        listed = cart_run and (sep == "," or (listing and sep in lx.LIST_AND))
        split = sep == ";" or starts or (cart_run and points) or listed
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
    c = SPACES.sub(" ", lx.TRAIL_FILLER_RE.sub("", c)).strip(" ,;")
    c = lx.PRICE_TAIL_RE.sub("", lx.WANT_WRAPPER_RE.sub("", c))
    if not c or phrase(plain(c)):  # 'agrega 2 focos y es todo': the tail is no product
        return None
    set_action = _set(c, n_shown)
    if set_action is not None:
        return set_action, True
    c = lx.RATHER_RE.sub("", c)
    op: Op = "remove"
    m = lx.TAKE_OUT_RE.match(c) or lx.REMOVE_RE.match(c)
    if m is None and (m := lx.ADD_RE.match(c)):
        op = "add"
    if m is not None:
        verb, rest = m.groupdict().get("verb") or "", m["rest"]
        clit = m.groupdict().get("clit")
        wish = rest.startswith(lx.INFINITIVE_MARKS) or _wants_to_do(verb, rest)
        if op == "add" and (wish or lx.WANT_INFO_RE.match(rest)):
            return None
        if op == "remove" and verb.startswith(lx.CANCEL_STEMS) and not rest and not clit:
            return None  # 'cancela' alone cancels; 'cancélalo' removes what was shown
        qty, ref, _ = body(rest, op, clit, n_shown)
        if verb in lx.SOFT_ADD and ref.query is not None and not counted(rest):
            return None
        return CartAction(op=op, product=ref, quantity=qty), True
    if inherited is None:
        has_count = bool(counted(c) or lx.TRAIL_QTY_RE.match(c))
        has_count = has_count or (continued and quantity(c) is not None)
        if not first or not (has_count or pointer(c, n_shown) is not None):
            return None
    op = inherited or "add"
    qty, ref, implicit = body(c, op, None, n_shown)
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
            _, ref, _ = body(m["prod"] or "", "set", m["clit"], n_shown)
            return CartAction(op="set", product=ref, quantity=qty)
    for rx in (lx.SET_LEAD_RE, lx.SET_ONLY_RE, lx.SET_WANT_ONLY_RE, lx.SET_INSTEAD_RE):
        m = rx.match(c)
        if m:
            qty, ref, _ = body(m["rest"], "set", None, n_shown)
            if qty is not None:
                return CartAction(op="set", product=ref, quantity=qty)
    return None
