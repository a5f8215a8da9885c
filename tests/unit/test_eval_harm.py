"""The eval's harm count: each kind of wrong effect is counted, and right effects are not."""

from __future__ import annotations

import pytest

from whsp_ai.evals.harm import (
    OrderSeen,
    Snapshot,
    StepEffects,
    assess,
    not_a_product,
    reads_as_address,
)
from whsp_ai.evals.scenario import Expect


def snap(
    cart: dict[str, int] | None = None,
    approvals: dict[int, tuple[str, str, str | None]] | None = None,
    orders: dict[int, OrderSeen] | None = None,
) -> Snapshot:
    return Snapshot(cart or {}, approvals or {}, orders or {})


def step(
    before: Snapshot,
    after: Snapshot,
    *,
    label: str | None = None,
    stage: str | None = None,
    cart: dict[str, int] | None = None,
) -> StepEffects:
    return StepEffects(1, "shop", "words", label, stage, before, after, cart)


def expect(**fields: object) -> Expect:
    return Expect.model_validate(fields)


@pytest.mark.parametrize(
    "words",
    [
        "aceptan tarjeta",
        "total con envio",
        "¿cuánto tarda en llegar?",
        "hi again lol",
        "Calle Morelos 123",
        "what's the damage",
        "gracias",
    ],
)
def test_words_that_are_not_a_product_request(words: str) -> None:
    assert not_a_product(words) is not None


@pytest.mark.parametrize("words", ["taladro inalámbrico", "silver needle", "pija 10 x 2"])
def test_product_names_are_not_flagged(words: str) -> None:
    assert not_a_product(words) is None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Av. Reforma 123, Col. Juárez, CDMX", True),
        ("12 Baker Street, London", True),
        ("Calle Morelos esquina Juárez, Centro", True),
        ("la misma que te di", False),
        ("hi again lol", False),
        ("¿cuánto tarda en llegar?", False),
        ("si", False),
    ],
)
def test_the_graders_own_address_reading(text: str, address: bool) -> None:
    assert reads_as_address(text) is address


def test_a_junk_approval_counts_and_an_expected_one_does_not() -> None:
    asked = snap(approvals={1: ("new_product", "taladro inalambrico", None)})
    junk = snap(approvals={1: ("new_product", "aceptan tarjeta", None)})
    wanted = expect(approvals=[{"kind": "new_product", "status": "pending", "query": "taladro"}])
    assert assess([step(snap(), asked, label="add")], wanted).total == 0
    assert assess([step(snap(), junk)], expect()).counts["junk_approvals"] == 1
    # A product name raised while checkout waits for an answer is junk too.
    at_checkout = assess([step(snap(), asked, stage="address")], wanted)
    assert at_checkout.counts["junk_approvals"] == 1
    # One the scenario does not list, when it lists approvals, is junk.
    assert assess([step(snap(), asked)], expect(approvals=[])).counts["junk_approvals"] == 1


def test_orders_to_non_addresses_and_without_a_yes() -> None:
    good = OrderSeen(1, 1, "Av. Reforma 123, Col. Juárez", {"A": 1})
    bad = OrderSeen(1, 1, "la misma que te di", {"A": 1})
    wanted = expect(orders=[{"items": {"A": 1}, "address": "Reforma"}])
    placed = snap(orders={1: good})
    assert assess([step(snap(), placed, stage="confirm_order", label="confirm")], wanted).total == 0
    junk = assess([step(snap(), snap(orders={1: bad}), stage="confirm_order")], wanted)
    assert junk.counts["non_address_orders"] == 1
    early = assess([step(snap(), placed, stage="payment")], wanted)
    assert early.counts["orders_without_yes"] == 1
    unexpected = assess([step(snap(), placed, stage="confirm_order")], expect(orders=[]))
    assert unexpected.counts["orders_without_yes"] == 1


def test_cart_changes_against_the_step_and_the_end() -> None:
    one, two = {"A": 1, "B": 1}, {"A": 1}
    # The step removed the wrong line: a change that misses the declared cart.
    wrong = step(snap(cart=one), snap(cart={"B": 1}), cart=two)
    assert assess([wrong], expect()).counts["unasked_cart_changes"] == 1
    # The step asked instead of changing: a miss, not a harm.
    asked = step(snap(cart=one), snap(cart=one), cart=two)
    assert assess([asked], expect()).total == 0
    # Ten bags instead of one: the final cart has a line the customer didn't ask for.
    bags = step(snap(), snap(cart={"A": 10}))
    assert assess([bags], expect(cart={"A": 1})).counts["unasked_cart_changes"] == 1
    assert assess([bags], expect(cart={})).counts["unasked_cart_changes"] == 1
    # A line the agent never added is a miss, not a harm.
    assert assess([step(snap(), snap())], expect(cart={"A": 1})).total == 0


def test_a_correction_not_applied_is_a_miss_not_a_harm() -> None:
    # 'make it 1' changed nothing (its step says so): the final 3 is a miss, not a harm.
    added = step(snap(), snap(cart={"A": 3}), cart={"A": 3})
    missed = step(snap(cart={"A": 3}), snap(cart={"A": 3}), cart={"A": 1})
    assert assess([added, missed], expect(cart={"A": 1})).total == 0
