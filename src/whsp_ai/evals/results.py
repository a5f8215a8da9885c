"""What a conversation-eval run found: each step as it happened, each trial, each scenario."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whsp_ai.evals.scenario import Scenario
from whsp_ai.nlu.provider import Usage


@dataclass
class Turn:
    """One step as it happened, for the report and the judge."""

    step: int
    who: str
    business: str
    said: str
    replies: list[str] = field(default_factory=list)
    intent: str | None = None
    expected_intent: str | None = None
    latency_ms: float | None = None


@dataclass
class Trial:
    scenario: str
    passed: bool
    failures: list[str]
    turns: list[Turn]
    seconds: float
    usage: Usage
    customer_messages: int
    facts: dict[str, Any] | None = None  # the database at the end, for the judge
    harm: dict[str, int] = field(default_factory=dict)  # evals/harm.py: wrong effects, by kind


@dataclass
class ScenarioResult:
    scenario: Scenario
    trials: list[Trial] = field(default_factory=list)

    @property
    def successes(self) -> int:
        return sum(t.passed for t in self.trials)
