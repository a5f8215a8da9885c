"""The understanding provider a deployment uses: offline rules, or Gemini with offline fallback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from whsp_ai.nlu.models import TurnInput, Understanding


@dataclass
class Usage:
    """Model calls and tokens, for the evals' cost figures."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    fallbacks: int = 0
    written: int = 0  # calls that wrote a reply after the understanding (counted in calls)
    voiced: int = 0  # model-written replies the guard let through
    guard_blocks: int = 0  # model-written replies the guard refused (the template went out)


class Understander(Protocol):
    name: str
    usage: Usage

    async def understand(self, turn: TurnInput) -> Understanding: ...


@runtime_checkable
class Writer(Protocol):
    """A model that writes a reply's text (voice/); None back means: use the template."""

    async def write(self, system: str, prompt: str) -> str | None: ...


@dataclass
class OfflineUnderstander:
    """Deterministic Spanish/English rules: free, instant, and the fallback for Vertex."""

    name: str = "offline"
    usage: Usage = field(default_factory=Usage)

    async def understand(self, turn: TurnInput) -> Understanding:
        from whsp_ai.nlu import offline

        return offline.understand(turn)
