"""The understanding provider a deployment's settings ask for; kept apart so that the
providers themselves (offline rules, Gemini) never import each other in a circle."""

from __future__ import annotations

from whsp_ai.nlu.provider import OfflineUnderstander, Understander
from whsp_ai.settings import Settings


def make_understander(settings: Settings) -> Understander:
    if settings.provider == "vertex":
        from whsp_ai.nlu.vertex import VertexUnderstander

        return VertexUnderstander(settings, fallback=OfflineUnderstander())
    return OfflineUnderstander()
