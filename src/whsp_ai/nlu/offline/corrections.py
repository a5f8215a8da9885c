"""Corrections: 'oops I meant 2', 'no, mejor 3', 'quise decir 3 teflones'.

A message that is only correction words and a number (and maybe the product again) sets
the quantity of the line touched last, the product the conversation points at; the graph
resolves it (ProductRef.last), and asks when there is none. The words are data:
`correction_lead` and `correction_tail` in vocabulary/.
"""

from __future__ import annotations

from whsp_ai.nlu import lexicon as lx
from whsp_ai.nlu.models import CartAction, ProductRef, Understanding
from whsp_ai.nlu.numbers import leading_number


def correction(plain: str) -> Understanding | None:
    """`plain` is the folded message without separators."""
    lead_words, tail_words = lx.CORRECTION_LEAD, lx.CORRECTION_TAIL
    words = plain.split()
    numbers = [w for w in words if w.isdigit()]
    if len(numbers) > 1 and lead_words & set(words[:3]) and {"typo", "decir", "meant"} & set(words):
        words = (
            words[: words.index(numbers[0])]
            + words[len(words) - words[::-1].index(numbers[-1]) - 1 :]
        )
    i = 0
    while i < len(words) and words[i] in lead_words:
        i += 1
    if i == 0 or i == len(words):
        return None  # no correction word, or no number after them
    found = leading_number(" ".join(words[i:]))
    if found is None:
        return None
    quantity, rest = found
    said = [w for w in rest.split() if w not in tail_words]
    if quantity < 1 or quantity > 999 or len(said) > 4:
        return None
    product = ProductRef(query=" ".join(said)) if said else ProductRef(last=True)
    action = CartAction(op="set", product=product, quantity=quantity)
    return Understanding(intent="set_quantity", actions=[action])
