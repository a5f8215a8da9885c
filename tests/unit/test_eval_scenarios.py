"""Conversation-eval scenarios: the bundled set, located errors, patterns, and pass^k."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from whsp_ai.evals.grading import matches
from whsp_ai.evals.report import pass_hat_k
from whsp_ai.evals.scenario import ScenarioError, load_file, load_scenarios, select
from whsp_ai.nlu import intents

GOOD = """\
scenarios:
  - id: tiny
    business: tea-and-kettle
    steps:
      - say: no
      - say: yes
        intent: confirm
        reply: [ok, "/\\\\d+ × Sencha/"]
      - restart
      - tap: Add
      - send: image
      - owner: {decision: confirm, price: 21, stock: 3}
      - resend: true
        silent: true
    expect:
      cart: {GRN-SEN-100: 1}
      orders:
        - items: {GRN-SEN-100: {quantity: 1, unit_price: 14}}
          total: 19.99
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenarios.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads(tmp_path: Path) -> None:
    [scenario] = load_file(write(tmp_path, GOOD))
    actions = [step.action for step in scenario.steps]
    assert actions == ["say", "say", "restart", "tap", "send", "owner", "resend"]
    # YAML 1.1 would read these as booleans; customers say them
    assert [scenario.steps[0].say, scenario.steps[1].say] == ["no", "yes"]
    assert scenario.steps[1].reply == ["ok", "/\\d+ × Sencha/"]
    assert scenario.expect.orders is not None
    assert scenario.expect.orders[0].total == Decimal("19.99")


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("scenarios:\n  - id: x\n    steps: [\n", ":4:1", "invalid YAML"),
        (
            GOOD.replace("      - say: yes\n", "      - sya: yes\n"),
            "line 6: scenario #1 (tiny), step 2, field 'sya'",
            "Extra inputs are not permitted",
        ),
        (
            GOOD.replace("      - send: image\n", "      - send: selfie\n"),
            "line 11: scenario #1 (tiny), step 5, field 'send'",
            "Input should be",
        ),
        (
            GOOD.replace("      - restart\n", "      - {say: hi, tap: Add}\n"),
            "line 9: scenario #1 (tiny), step 3",
            "exactly one of say, tap, send, owner, restart, resend (found: say, tap)",
        ),
        (
            GOOD.replace("decision: confirm", "decision: maybe"),
            "line 12: scenario #1 (tiny), step 6, field 'owner', field 'decision'",
            "'confirm' or 'reject'",
        ),
        (
            GOOD.replace("total: 19.99", "totl: 19.99"),
            "line 19: scenario #1 (tiny), field 'expect', field 'orders', field 'totl'",
            "Extra inputs",
        ),
    ],
    ids=["yaml", "typo-in-step", "unknown-type", "two-actions", "bad-decision", "typo-in-expect"],
)
def test_a_bad_file_says_where(tmp_path: Path, text: str, where: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as raised:
        load_file(path)
    message = str(raised.value)
    assert str(path) in message and where in message and problem in message


def test_an_unknown_business_is_named(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no business file 'panaderia-inexistente'"):
        load_file(write(tmp_path, GOOD.replace("tea-and-kettle", "panaderia-inexistente")))


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ScenarioError, match="'tiny' is also used"):
        load_scenarios([tmp_path])


def test_the_bundled_set_covers_the_issue() -> None:
    scenarios = load_scenarios()
    assert len(scenarios) >= 80
    # the two demo businesses, and one for the eval only (issue 12: three businesses)
    assert {s.business for s in scenarios} == {
        "ferreteria-don-pepe",
        "tea-and-kettle",
        "../businesses/farmacia-san-rafael.yaml",
    }
    assert not [s.id for s in scenarios if s.draft]
    labeled = {step.intent for s in scenarios for step in s.steps if step.intent}
    assert labeled == set(intents.NAMES)  # every intent, at least once
    actions = {step.action for s in scenarios for step in s.steps}
    assert actions == {"say", "tap", "send", "owner", "restart", "resend"}
    tags = {tag for s in scenarios for tag in s.tags}
    for needed in (
        "typos",
        "numbers",
        "references",
        "multi",
        "stock",
        "cancel",
        "approvals",
        "new-product",
        "injection",
        "tenants",
        "unsupported",
        "duplicates",
        "restart",
    ):
        assert needed in tags, needed
    # the final state is graded in every scenario, not only the replies
    assert all(
        s.expect.cart is not None
        or s.expect.orders is not None
        or s.expect.approvals is not None
        or s.expect.products
        or s.expect.handed_off is not None
        for s in scenarios
    )


def test_only_selects_by_id_title_or_tag() -> None:
    scenarios = load_scenarios()
    assert {s.id for s in select(scenarios, "^es-checkout-completo$")} == {"es-checkout-completo"}
    injections = select(scenarios, "injection")
    assert injections and all("injection" in s.tags for s in injections)


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("dirección", "¿A qué DIRECCION te lo enviamos?", True),
        ("Total: $190.00 MXN", "Total: $190.00 MXN", True),  # plain text: $ and . literal
        ("Total: $19.00", "Total: $190.00", False),
        ("/pedido #\\d+ confirmado/", "¡Pedido #12 confirmado!", True),
        ("/^Calle Hidalgo/", "Av. Calle Hidalgo", False),
    ],
)
def test_patterns_ignore_accents_and_case(pattern: str, text: str, found: bool) -> None:
    assert matches(pattern, text) is found


def test_pass_hat_k_is_tau_bench() -> None:
    outcomes = [(4, 4), (4, 2), (4, 0)]  # (trials, successes) per scenario
    assert pass_hat_k(outcomes, 1) == pytest.approx((1 + 0.5 + 0) / 3)
    # C(2,2)/C(4,2) = 1/6: two successes out of four pass two draws together 1 time in 6
    assert pass_hat_k(outcomes, 2) == pytest.approx((1 + 1 / 6 + 0) / 3)
    assert pass_hat_k(outcomes, 4) == pytest.approx(1 / 3)
    assert pass_hat_k([(3, 3), (3, 2)], 3) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="at least 5 trials"):
        pass_hat_k(outcomes, 5)


def test_the_flywheel_scenarios_have_the_owner_answer() -> None:
    """The flywheel: the owner answers a question, and the second customer is answered."""
    bundled = Path(__file__).parents[2] / "src/whsp_ai/evals/scenarios/flywheel.yaml"
    loaded = load_file(bundled)
    assert {s.id for s in loaded} == {"es-flywheel-segundo-cliente", "en-flywheel-second-customer"}
    assert all(any(step.owner and step.owner.answer for step in s.steps) for s in loaded)
