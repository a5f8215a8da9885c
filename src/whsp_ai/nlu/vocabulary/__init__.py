"""The vocabulary of the offline understanding: per-language word lists, loaded once from YAML."""

# es.yaml and en.yaml hold the same concepts, each a list of plain phrases (folded on load,
# so "Ocupó" and "I'll" are written as a customer types them) or a mapping with `words:` and
# `patterns:` (regex fragments). Two concepts have their own shape: `ordinal` maps a word to
# its position, `payment_family` maps a family name to its words. lexicon.py builds every
# pattern from these lists; nothing else in the package spells a word of a concept.

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TypeVar

import yaml

from whsp_ai.text.fold import fold

LANGUAGES = ("es", "en")
# Where the files are read from; a test may point it at a copy before the patterns are built.
DATA: Traversable = resources.files(__package__)
NUMBERS = frozenset({"ordinal"})
GROUPS = frozenset({"payment_family"})

# libyaml's loader reads both files about six times faster than the pure-Python one; import
# time matters to every worker that starts.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_QUOTES = re.compile(r"['’‘`´]")  # the same apostrophes normalize() drops from messages
_NAMED_GROUP = re.compile(r"\(\?P[<=]")
T = TypeVar("T")


class VocabularyError(ValueError):
    """A data file that the patterns cannot be built from."""


@dataclass(frozen=True)
class Concept:
    """What a concept's entries say: plain phrases, and regex fragments for what they can't."""

    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


def clean(word: str) -> str:
    """A phrase as it appears in folded text: 'Ocupó' → 'ocupo', "I'll" → 'ill'."""
    return fold(_QUOTES.sub("", word))


@dataclass(frozen=True)
class Language:
    """One language's file: its phrase concepts, and the two concepts of another shape."""

    concepts: dict[str, Concept]
    numbers: dict[str, dict[str, int]]
    groups: dict[str, dict[str, tuple[str, ...]]]


@cache
def load(lang: str) -> Language:
    """One language's file, checked: every entry is a string, every pattern compiles."""
    text = DATA.joinpath(f"{lang}.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader: C or Python)
    if not isinstance(raw, dict):
        raise VocabularyError(f"{lang}.yaml: expected a mapping of concepts")
    found = Language(concepts={}, numbers={}, groups={})
    for key, value in raw.items():
        name, where = _text(key, f"{lang}.yaml"), f"{lang}.yaml, {key}"
        if name in NUMBERS:
            found.numbers[name] = _numbers(value, where)
        elif name in GROUPS:
            if not isinstance(value, dict):
                raise VocabularyError(f"{where}: expected a mapping of named lists")
            found.groups[name] = {str(k): _words(v, f"{where}.{k}") for k, v in value.items()}
        else:
            found.concepts[name] = _concept(value, where)
    return found


def _numbers(value: object, where: str) -> dict[str, int]:
    if not isinstance(value, dict) or not all(type(n) is int for n in value.values()):
        raise VocabularyError(f"{where}: expected 'word: number' lines")
    return {clean(_text(w, where)): n for w, n in value.items()}


def _concept(value: object, where: str) -> Concept:
    if value is None or isinstance(value, list):
        return Concept(words=_words(value, where))
    if not isinstance(value, dict) or not set(value) <= {"words", "patterns"}:
        raise VocabularyError(f"{where}: expected a list, or a mapping of words and patterns")
    patterns = tuple(_text(p, where) for p in value.get("patterns") or ())
    for p in patterns:
        if _NAMED_GROUP.search(p):
            raise VocabularyError(f"{where}: a pattern may not name a group: {p!r}")
        try:
            re.compile(p)
        except re.error as e:
            raise VocabularyError(f"{where}: bad pattern {p!r}: {e}") from None
    return Concept(words=_words(value.get("words"), where), patterns=patterns)


def _words(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise VocabularyError(f"{where}: expected a list")
    return tuple(clean(_text(w, where)) for w in value)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        # YAML reads a bare no, yes or on as a boolean: such words must be quoted
        raise VocabularyError(f"{where}: {value!r} is not a phrase (quote it: '{value}')")
    return value


def concept(name: str, langs: tuple[str, ...] = LANGUAGES) -> Concept:
    """A concept's entries across languages, Spanish first."""
    parts = [_lookup(load(lang).concepts, name, lang) for lang in langs]
    return Concept(
        words=tuple(w for p in parts for w in p.words),
        patterns=tuple(x for p in parts for x in p.patterns),
    )


def words(name: str, langs: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """A concept's plain phrases as a set, for looking single words up."""
    return frozenset(concept(name, langs).words)


def numbers(name: str) -> dict[str, int]:
    merged: dict[str, int] = {}
    for lang in LANGUAGES:
        merged.update(_lookup(load(lang).numbers, name, lang))
    return merged


def groups(name: str) -> dict[str, frozenset[str]]:
    """Named lists merged across languages: family name → its words in every language."""
    merged: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        for key, values in _lookup(load(lang).groups, name, lang).items():
            merged.setdefault(key, set()).update(values)
    return {key: frozenset(values) for key, values in merged.items()}


def _lookup(table: Mapping[str, T], name: str, lang: str) -> T:
    if name not in table:
        raise VocabularyError(f"{lang}.yaml has no concept {name!r}")
    return table[name]
