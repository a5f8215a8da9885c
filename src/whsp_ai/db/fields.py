"""Pydantic field types for values Postgres can store, shared by the API and the business file.

Postgres text refuses NUL, UTF-8 cannot carry a lone UTF-16 surrogate (half an emoji), and
INTEGER, BIGINT and NUMERIC(12,2) columns refuse numbers past their range: each of these
once surfaced as a 500. Validating here turns them into a 422 or a located import error.

Each text type is one regular expression, checked as a full match with Python's `re` and
published as the OpenAPI `pattern` (anchored by ^ and $), so the document says exactly what
is accepted. The expressions use only explicit classes of escaped code points, which mean
the same to Python, ECMA-262 and Rust engines, the ones clients and schemathesis use.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

INT4_MAX = 2**31 - 1  # INTEGER columns (stock, quantities)
INT8_MAX = 2**63 - 1  # BIGINT columns (ids), and what LIMIT / OFFSET take
# Ids in JSON bodies: FastAPI writes a body schema's bounds as doubles, and 2^63 - 1 as a
# double is 2^63, past the column; 2^53 - 1 is exact, and the most a JavaScript client keeps.
JSON_ID_MAX = 2**53 - 1
MONEY_MAX = Decimal("9999999999.99")  # NUMERIC(12, 2)
CENT = Decimal("0.01")

_CONTROL = r"\x00-\x1f\x7f-\x9f"
# Whitespace a person cannot see at either end of a word: ASCII and Unicode spaces.
_SPACE = r"\x20\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SPACE_CHARS = (
    " \xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000\ufeff")
)
# A path segment can't hold these as themselves: they end it, start a query or fragment,
# or begin an escape that a proxy may decode twice.
_PATH = r"/?#%"

TEXT = r"[^\x00]*"
LINE = rf"[^{_CONTROL}]*"
LABEL = rf"[^{_CONTROL}]*[^{_CONTROL}{_SPACE}][^{_CONTROL}]*"
PARAGRAPH = rf"[^\x00]*[^{_CONTROL}{_SPACE}][^\x00]*"  # several lines, something visible
# "." and ".." are dot-segments: clients resolve them away before the request leaves.
SKU = (
    rf"(?!\.\.?$)[^{_CONTROL}{_SPACE}{_PATH}](?:[^{_CONTROL}{_PATH}]*[^{_CONTROL}{_SPACE}{_PATH}])?"
)


class _Rule:
    """Validates a string against one expression and publishes it as the schema's pattern."""

    def __init__(self, expression: str, message: str, *, strip: bool = False) -> None:
        self.pattern = f"^{expression}$"
        self._regex = re.compile(expression)
        self._message = message
        self._strip = strip

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema

    def check(self, value: str) -> str:
        if "\x00" in value:
            raise ValueError("must not contain the NUL character (\\u0000)")
        if not value.isascii() and any("\ud800" <= c <= "\udfff" for c in value):
            raise ValueError("must not contain a lone UTF-16 surrogate (a cut emoji)")
        if not self._regex.fullmatch(value):
            raise ValueError(self._message)
        # Stripped after the length and pattern checks, so that they see what the schema does.
        return value.strip(SPACE_CHARS) if self._strip else value


# Free text, several lines allowed: descriptions, persona tone and greeting.
Text = Annotated[str, _Rule(TEXT, "must not contain the NUL character")]
# Several lines with something visible in them: faq answers, the owner's answers to questions.
Paragraph = Annotated[
    str, _Rule(PARAGRAPH, "must contain a visible character and no NUL", strip=True)
]
# One line, possibly blank: control characters (newline, tab, ...) refused, spaces trimmed.
Line = Annotated[str, _Rule(LINE, "must be one line without control characters", strip=True)]
# One line with something visible in it: names, categories, payment methods.
Label = Annotated[
    str,
    _Rule(LABEL, "must be one line with a visible character, no control characters", strip=True),
]
# Used as a URL path segment (PATCH /management/products/{sku}), so it must survive as one.
_SKU_RULE = _Rule(
    SKU,
    "must be usable in a URL path: no '/', '?', '#', '%', control characters, "
    "leading or trailing spaces, and not '.' or '..'",
)
Sku = Annotated[str, _SKU_RULE]


def _money(value: Any) -> Any:
    """Money is a JSON number (a string or a boolean is refused rather than guessed at).

    A float a hair off whole cents is taken as those cents: 355 * 0.01 is 3.5500000000000003
    in binary floating point, which clients (and schemathesis) send for 3.55. Anything
    further off keeps its digits and is refused for being more precise than a cent.
    """
    if isinstance(value, str | bool):
        raise ValueError("must be a number")
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e13:
        written = Decimal(repr(value))
        if int(written.as_tuple().exponent) >= -2:
            return value  # already whole cents, kept as written (45.0 stays 45.0)
        cents = written.quantize(CENT, rounding=ROUND_HALF_EVEN)
        if abs(float(cents) - value) <= 2 * math.ulp(value):
            return cents
    return value


# NUMERIC(12, 2): at most 9,999,999,999.99, whole cents. The schema says so in JSON Schema
# terms (maximum, multipleOf), which max_digits and decimal_places alone would not.
MoneyIn = Annotated[
    Decimal,
    Field(ge=0, le=MONEY_MAX, max_digits=12, decimal_places=2),
    BeforeValidator(_money),
    WithJsonSchema(
        {"type": "number", "minimum": 0, "maximum": float(MONEY_MAX), "multipleOf": 0.01}
    ),
]


def _whole_number(value: Any) -> Any:
    """A JSON integer; 5.0 is one too (JSON Schema says so), but `true` and "5" are not."""
    if isinstance(value, str | bool):
        raise ValueError("must be a whole number")
    return value


# INTEGER and BIGINT columns.
Int4 = Annotated[
    int,
    Field(ge=0, le=INT4_MAX),
    BeforeValidator(_whole_number),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": INT4_MAX}),
]
Int8Id = Annotated[
    int,
    Field(ge=1, le=JSON_ID_MAX),
    BeforeValidator(_whole_number),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": JSON_ID_MAX}),
]


def valid_sku(value: str) -> bool:
    """Whether `value` could be a stored SKU (a path that is not one can't name a product)."""
    try:
        _SKU_RULE.check(value)
    except ValueError:
        return False
    return 1 <= len(value) <= 64
