"""What a question about the shop is about: the topic words of vocabulary/topics.yaml.

Pure and language-blind on purpose: both languages' words are tried on every message, so an
English customer at a Spanish shop ("how much is delivery?") finds the same facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from whsp_ai.text.fold import fold

TOPICS = ("hours", "address", "delivery", "fee", "payment", "returns", "discount")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_WORD = re.compile(r"[a-z0-9%]+")


@dataclass(frozen=True)
class _Data:
    topics: dict[str, re.Pattern[str]]
    cues: re.Pattern[str]
    filler: frozenset[str]
    days: dict[str, re.Pattern[str]]
    money: re.Pattern[str]


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    """Whole-word alternation; a trailing `*` takes any ending ('abr*': abren, abrir)."""
    parts = []
    for phrase in sorted({fold(p).strip() for p in phrases if p and p.strip()}, key=len)[::-1]:
        star = phrase.endswith("*")
        words = phrase.rstrip("*").split()
        body = r"\s+".join(re.escape(w) for w in words)
        parts.append(body + (r"[a-z]*" if star else ""))
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")


@cache
def _data() -> _Data:
    raw = resources.files("whsp_ai.nlu.vocabulary").joinpath("topics.yaml").read_text("utf-8")
    data = yaml.load(raw, Loader=_LOADER)  # noqa: S506  (a SafeLoader)
    topics = {
        name: _pattern([*words.get("es", []), *words.get("en", [])])
        for name, words in data["topics"].items()
    }
    missing = set(TOPICS) - set(topics)
    if missing:
        raise ValueError(f"topics.yaml lacks the topics {sorted(missing)}")
    cues = _pattern([*data["cues"]["es"], *data["cues"]["en"]])
    filler = frozenset(fold(w) for lang in ("es", "en") for w in data["filler"][lang])
    days = {day: _pattern(words) for day, words in data["days"].items()}
    money = _pattern([*data["money"]["es"], *data["money"]["en"]])
    return _Data(topics, cues, filler, days, money)


def _folded(text: str) -> str:
    return " ".join(_WORD.findall(fold(text.replace("'", "").replace("’", ""))))


def topics_in(text: str) -> frozenset[str]:
    """The topics a message (or an owner's text) mentions: {'delivery', 'fee'}."""
    folded = _folded(text)
    found = {name for name, rx in _data().topics.items() if rx.search(folded)}
    if "delivery" in found and _data().money.search(folded):
        found.add("fee")  # delivery + a money word: what delivery costs
    return frozenset(found)


def asks_about_shop(text: str) -> bool:
    """A cue that the message asks about the shop, not for a product ('aceptan…', 'r u…')."""
    return _data().cues.search(_folded(text)) is not None


def content_words(text: str) -> list[str]:
    """The words of a question that say what it is about: filler ('cuánto', 'do you') out."""
    filler = _data().filler
    return [w for w in _folded(text).split() if w not in filler]


def days_in(text: str) -> list[str]:
    """The days a message names, in the week's order: 'mon'..'sun', 'today', 'tomorrow', 'now'."""
    folded = _folded(text)
    return [day for day, rx in _data().days.items() if rx.search(folded)]
