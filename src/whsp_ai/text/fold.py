"""Text normalization shared by what writes search text and what queries it.

The embedded Postgres has no `unaccent`, so accents are folded here, in Python, on both sides.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, strip accents (ñ→n, é→e), and collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()
