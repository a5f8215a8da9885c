"""Parsed JSON made storable in Postgres: no NUL, no lone surrogates, bounded nesting.

JSON may carry `\\u0000` and half of a UTF-16 pair (a client that cuts an emoji in half),
in values and in keys; Postgres text and jsonb refuse both, and one such character would
fail a whole insert. Nesting is bounded because the stack is: 1,000 levels make
`json.loads` raise RecursionError, a few hundred break serialization on the way to jsonb.
"""

from __future__ import annotations

import json
import math
from typing import Any

# Meta's deepest documented payload (an edited message's media) nests about 12 levels.
MAX_DEPTH = 64
REPLACEMENT = "\ufffd"


class Unreadable(ValueError):
    """A body that is not JSON we can take: malformed, too deeply nested, NaN."""


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(body: bytes) -> Any:
    """The body parsed and made storable, or Unreadable with the reason."""
    try:
        parsed = json.loads(body, parse_constant=_no_constants)
    except RecursionError:
        raise Unreadable(f"JSON nested more than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, a 5,000-digit number
        raise Unreadable(f"malformed JSON: {exc}") from None
    return storable(parsed)


def storable(value: Any, depth: int = 0) -> Any:
    """A copy of parsed JSON that Postgres accepts; Unreadable past MAX_DEPTH levels.

    Recursion is safe here: it never goes deeper than MAX_DEPTH frames.
    """
    if isinstance(value, str):
        return text(value)
    if isinstance(value, dict | list):
        if depth >= MAX_DEPTH:
            raise Unreadable(f"JSON nested more than {MAX_DEPTH} levels")
        if isinstance(value, list):
            return [storable(v, depth + 1) for v in value]
        return {text(k): storable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None  # 1e999 parses as inf, which jsonb has no way to hold
    return value


def text(value: str) -> str:
    """The string without NUL, each lone surrogate replaced by U+FFFD."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Pairs were joined by json.loads; what is left alone becomes U+FFFD.
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value
