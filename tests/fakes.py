"""Test doubles for things outside our code: a scripted understanding provider."""

from __future__ import annotations

from dataclasses import dataclass, field

from whsp_ai.nlu.models import TurnInput, Understanding
from whsp_ai.nlu.provider import Usage


@dataclass
class ScriptedUnderstander:
    """Answers each exact message with a prepared Understanding, and records what it saw."""

    script: dict[str, Understanding]
    name: str = "scripted"
    usage: Usage = field(default_factory=Usage)
    seen: list[TurnInput] = field(default_factory=list)

    async def understand(self, turn: TurnInput) -> Understanding:
        self.seen.append(turn)
        return self.script.get(turn.text, Understanding(intent="other"))
