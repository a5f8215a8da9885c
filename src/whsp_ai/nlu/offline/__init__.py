"""The offline provider: deterministic rules over folded Spanish and English, no network.

The words come from nlu/vocabulary/{es,en}.yaml, the patterns from nlu/lexicon.py; this
package applies them: intents.py decides, in order, what a message means, with phrases,
cart, quantities, references, search and checkout each reading one kind of thing.
"""

from __future__ import annotations

from whsp_ai.nlu.models import TurnInput, Understanding
from whsp_ai.nlu.offline import owner_answer  # noqa: F401  (its words are read here)
from whsp_ai.nlu.offline.intents import decide
from whsp_ai.nlu.offline.text import MAX_CHARS, language, normalize, plain

__all__ = ["normalize", "understand"]


def understand(turn: TurnInput) -> Understanding:
    """What one customer message asks for. Pure, synchronous, never raises."""
    try:
        return _understand(turn)
    except Exception:  # a rule bug must cost one misunderstood message, never the conversation
        return Understanding(intent="other")


def _understand(turn: TurnInput) -> Understanding:
    raw = turn.text or ""
    text = normalize(raw)
    bare = plain(text)
    result = decide(turn, raw, text, bare)
    result.language = language(bare, raw[:MAX_CHARS])
    return result
