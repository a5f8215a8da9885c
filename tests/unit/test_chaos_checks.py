"""The chaos run's verdict: which step of the script a customer's state must match, and
which counts fail the run."""

from __future__ import annotations

from whsp_ai.bench.chaos_checks import expected, failures

# A two-cycle reference of a three-step script: (cart, checkout stage) after each step.
STEPS = [
    ({"A": 1}, None),
    ({"A": 1}, "confirm_cart"),
    ({}, None),  # ordered: the cart empties
    ({"A": 1}, None),
    ({"A": 1}, "confirm_cart"),
    ({}, None),
]


def test_a_customer_in_its_first_cycle_matches_the_same_step() -> None:
    assert expected(STEPS, 1) == ({"A": 1}, None)
    assert expected(STEPS, 2) == ({"A": 1}, "confirm_cart")


def test_a_customer_past_the_first_cycle_matches_the_second_cycle() -> None:
    assert expected(STEPS, 5) == ({"A": 1}, "confirm_cart")  # 2nd step of the 2nd cycle
    assert expected(STEPS, 9) == ({}, None)  # 3rd step of the 3rd cycle
    assert expected(STEPS, 10) == ({"A": 1}, None)


def test_send_window_duplicates_do_not_fail_the_run_anything_else_does() -> None:
    clean = {
        "lost": 0,
        "duplicated": 0,
        "duplicated_send_window": 3,
        "out_of_order": 0,
        "outbox_stuck": 0,
        "carts_wrong": 0,
        "stages_wrong": 0,
        "checkpoints_behind": 0,
        "checkpoints_ahead": 0,
    }
    assert failures(clean) == {}
    assert failures({**clean, "checkpoints_behind": 2}) == {"checkpoints_behind": 2}
    assert failures({**clean, "duplicated": 1, "lost": 1}) == {"duplicated": 1, "lost": 1}
