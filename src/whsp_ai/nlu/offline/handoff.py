"""Asking for a person: 'me comunica con el encargado?', 'can the owner text me?'.

A hand-off silences the agent, so a misread costs the customer their answers: these rules
want a verb of reaching someone next to someone of the shop (or a person said outright),
never a person named for another reason ('es para una persona especial').
"""

from __future__ import annotations

import re

from whsp_ai.nlu import lexicon as lx

_FILLER = r"(?: [a-z/]+){0,3}?"  # 'con el', 'to a', 'with an', 'me to'
# reach ... someone: 'hablar con una persona', 'talk to the owner', 'get me a human'
REACH_RE = re.compile(rf"\b{lx.any_of('handoff_verb')}{_FILLER} {lx.any_of('handoff_person')}\b")
# someone ... reach me: 'can the store owner text me', 'que me llame el dueño' is REACH_RE's
CALLBACK_RE = re.compile(
    rf"\b{lx.any_of('handoff_person')}(?: [a-z/]+){{0,3}}? {lx.any_of('handoff_verb')} me\b"
)
ANYWHERE_RE = re.compile(rf"\b{lx.any_of('handoff_anywhere')}\b")


def asks_for_person(plain: str) -> bool:
    """`plain`: the folded message without separators."""
    return bool(REACH_RE.search(plain) or CALLBACK_RE.search(plain) or ANYWHERE_RE.search(plain))
