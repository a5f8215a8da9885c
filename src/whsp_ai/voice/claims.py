"""The guard's words (claims.yaml), folded and compiled once: promises, topics, negations, days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from whsp_ai.text.fold import fold


@dataclass(frozen=True)
class Claims:
    promises: dict[str, re.Pattern[str]]  # family -> any of its words, both languages
    places: re.Pattern[str]  # "we deliver to", "we're at": the place must be in the facts
    topics: dict[str, re.Pattern[str]]
    negations: frozenset[str]
    day_names: dict[int, re.Pattern[str]]  # looked for in replies and facts
    day_keys: dict[int, re.Pattern[str]]  # also in facts only ("mon", "sun")
    place_fillers: frozenset[str]


def _words(phrases: list[str]) -> re.Pattern[str]:
    """Any of the phrases as whole words of folded text, longest first."""
    folded = sorted({fold(str(p)) for p in phrases if str(p).strip()}, key=len, reverse=True)
    alternatives = "|".join(_bounded(p) for p in folded) or "(?!)"
    return re.compile(alternatives)


def _bounded(phrase: str) -> str:
    """A whole-word match where the phrase starts or ends with a letter or digit ("% off")."""
    before = r"(?<![a-z0-9])" if phrase[0].isalnum() else ""
    after = r"(?![a-z0-9])" if phrase[-1].isalnum() else ""
    return before + re.escape(phrase) + after


@cache
def claims() -> Claims:
    raw = yaml.safe_load(resources.files(__package__).joinpath("claims.yaml").read_text("utf-8"))

    def both(entry: dict[str, list[str]]) -> list[str]:
        return [w for words in entry.values() for w in words]

    promises = {family: _words(both(entry)) for family, entry in raw["promises"].items()}
    return Claims(
        promises=promises,
        places=_words(both(raw["promises"]["delivery_area"]) + both(raw["location"])),
        topics={topic: _words(words) for topic, words in raw["topics"].items()},
        negations=frozenset(fold(str(w)) for w in both(raw["negations"])),
        day_names={int(d): _words(e["names"]) for d, e in raw["weekdays"].items()},
        day_keys={int(d): _words(e["names"] + e["keys"]) for d, e in raw["weekdays"].items()},
        place_fillers=frozenset(fold(str(w)) for w in raw["place_fillers"]),
    )
