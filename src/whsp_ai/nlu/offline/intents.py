"""The order of the rules: what a message means given what the conversation is waiting for."""

from __future__ import annotations

import re

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.models import CartAction, Intent, TurnInput, Understanding
from whsp_ai.nlu.offline.address import (
    address_part,
    changes_address,
    reads_as_address,
    same_address,
)
from whsp_ai.nlu.offline.cart import cart
from whsp_ai.nlu.offline.checkout import given_address, payment, said_address
from whsp_ai.nlu.offline.corrections import correction
from whsp_ai.nlu.offline.handoff import asks_for_person
from whsp_ai.nlu.offline.needs import need_words
from whsp_ai.nlu.offline.phrases import forms, phrase, phrases
from whsp_ai.nlu.offline.quantities import Op, bare_number
from whsp_ai.nlu.offline.search import search
from whsp_ai.nlu.offline.text import plain
from whsp_ai.nlu.topics import asks_about_shop, topics_in

_HAS_WORD = re.compile(r"[a-z0-9]")
# While an address is awaited, only these (said outright) are not the address itself.
_NOT_AN_ADDRESS = frozenset(
    {"cancel", "clear_cart", "help", "view_cart", "deny", "add", "remove", "set_quantity"}
    | {"cart_edit", "handoff"}
    | {"checkout", "confirm", "greet", "other"}
)
_CART_INTENTS: dict[Op, Intent] = {"add": "add", "remove": "remove", "set": "set_quantity"}


def decide(turn: TurnInput, raw: str, text: str, bare: str) -> Understanding:
    """`text` is the normalized message, `bare` the same without separators."""
    if not _HAS_WORD.search(bare):
        if any(mark in raw for mark in lx.YES_SIGNS):
            return Understanding(intent="confirm")
        return Understanding(intent="deny" if any(m in raw for m in lx.NO_SIGNS) else "other")
    if (
        turn.expecting in ("address", "payment")
        and asks_mid_checkout(raw, turn.expecting)
        and not (turn.expecting == "address" and same_address(raw))  # 'the same place'
    ):
        # 'can i talk to the owner first?' asks for a person, not about the shop
        return Understanding(intent="handoff" if asks_for_person(plain(raw)) else "question")
    if turn.expecting == "payment":
        method = payment(bare, turn.payment_methods)
        if method is not None or lx.PAY_ATTEMPT_RE.match(bare):
            # a method the business doesn't take is still an answer: the step asks again
            return Understanding(intent="choose_payment", payment_method=method)
    if turn.expecting in ("confirm_order", "confirm_cart"):
        for form in forms(text):
            if lx.YES_EXPECTING_RE.fullmatch(plain(form)):
                return Understanding(intent="confirm")
            if lx.NO_RE.fullmatch(plain(form)):
                return Understanding(intent="deny")
    if turn.expecting is not None:
        return _at_checkout(turn, raw, text)
    address = said_address(raw)
    if address is not None:
        return Understanding(intent="provide_address", address=address, is_address=True)
    return interpret(text, turn)[0]


def _at_checkout(turn: TurnInput, raw: str, text: str) -> Understanding:
    """While checkout waits: an address (given, changed, or 'la misma'), else what the
    message says outright; at the address step anything unclear is re-asked, never kept."""
    stage = turn.expecting
    if stage in ("address", "confirm_cart") and same_address(raw):
        return Understanding(intent="provide_address", same_address=True, is_address=True)
    said = said_address(raw) or (given_address(raw) if stage == "address" else None)
    if said is not None or changes_address(raw):
        parts = [p for p in (said, address_part(raw)) if p and reads_as_address(p)]
        if parts:
            address = min(parts, key=len)
            return Understanding(intent="provide_address", address=address, is_address=True)
    result, certain = interpret(text, turn)
    if certain and result.intent in _NOT_AN_ADDRESS:
        return result
    if reads_as_address(raw, strict=stage != "address" and certain):
        return Understanding(intent="provide_address", address=address_part(raw), is_address=True)
    if stage == "address":
        return Understanding(intent="other", confidence=0.5)
    return result


def _vague(actions: list[CartAction]) -> bool:
    """'i want something smoky': what is wanted is described, not named."""
    return any(need_words(a.product.query or "") is not None for a in actions)


def interpret(text: str, turn: TurnInput) -> tuple[Understanding, bool]:
    """The intent outside any expectation, and whether it was said outright."""
    greeted = False
    while m := lx.GREET_RE.match(text):
        text, greeted = text[m.end() :].strip(" ,;"), True
    if greeted and (not text or (text.isalpha() and " " not in text)):
        return Understanding(intent="greet"), True
    corrected = correction(plain(text))
    if corrected is not None:
        return corrected, True
    found = forms(text)
    for form in found:
        intent = phrase(plain(form))
        if intent is not None:
            return Understanding(intent=intent), True
    intent = phrases(found[1])
    if intent is not None:
        return Understanding(intent=intent), True
    if asks_for_person(plain(text)):  # before the cart: 'pasame con alguien' adds nothing
        return Understanding(intent="handoff"), True
    core = found[2]
    if not core:
        return Understanding(intent="greet" if greeted else "other"), greeted
    continued = bool(
        lx.CONTINUE_RE.match(text) or lx.CONTINUE_RE.match(lx.LEAD_FILLER_RE.sub("", text, 1))
    )
    edit = cart(core, len(turn.shown), continued)
    need = need_words(core)
    if need is not None and (edit is None or not edit[1] or _vague(edit[0])):
        return Understanding(intent="need", search_query=need), False
    if edit is None and lx.BROWSE_RE.search(core):  # 'qué venden y hacen envíos?'
        return Understanding(intent="browse"), False
    if edit is not None:
        actions, explicit = edit
        ops = {a.op for a in actions}
        intent = _CART_INTENTS[actions[0].op] if len(ops) == 1 else "cart_edit"
        return Understanding(intent=intent, actions=actions), explicit
    bare = bare_number(core, turn.shown)
    if bare is not None:
        return bare, False
    asked = search(core, turn)
    if asked is not None:
        return asked
    return Understanding(intent="other"), False


def asks_mid_checkout(raw: str, expecting: str) -> bool:
    """'¿cuánto cobran de envío?' while an address or a payment method is awaited is a
    question about the shop, answered before the step asks again; never the answer itself."""
    if said_address(raw) is not None:
        return False
    topics, cue = topics_in(raw), asks_about_shop(raw)
    if "?" in raw and (topics or cue):
        return True
    # without '?': a topic and no number reads as a question, not as an address; words of
    # an address ('colonia', 'barrio') are no sign of one ("Sin número, colonia Centro")
    asked = topics - {"address"}
    return expecting == "address" and bool(asked) and not any(c.isdigit() for c in raw)
