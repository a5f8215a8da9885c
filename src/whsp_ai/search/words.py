"""The offline product vocabulary (words.yaml): Spanish↔English product words, need words."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from whsp_ai.text.search import tokens


def _phrase(text: str) -> tuple[str, ...]:
    """A phrase as search compares it: folded, singular, stopwords out."""
    return tuple(tokens(text))


@cache
def _data() -> dict[str, object]:
    text = resources.files(__package__).joinpath("words.yaml").read_text("utf-8")
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise ValueError("search/words.yaml: expected a mapping")
    return loaded


@cache
def same_words() -> dict[str, dict[tuple[str, ...], tuple[str, ...]]]:
    """Per catalog language: a phrase in the other language → the catalog language's words."""
    out: dict[str, dict[tuple[str, ...], tuple[str, ...]]] = {"es": {}, "en": {}}
    for entry in _data().get("same") or []:  # type: ignore[attr-defined]
        es = [str(w) for w in entry.get("es") or []]
        en = [str(w) for w in entry.get("en") or []]
        for said, catalog, lang in ((en, es, "es"), (es, en, "en")):
            for phrase in said:
                key = _phrase(phrase)
                if key and catalog:  # the catalog's first word for it is the one searched
                    out[lang].setdefault(key, _phrase(catalog[0]))
    return out


@cache
def serves() -> dict[str, tuple[str, ...]]:
    """A need's word → product words that serve it (normalized)."""
    found: dict[str, tuple[str, ...]] = {}
    for key, values in (_data().get("serves") or {}).items():  # type: ignore[attr-defined]
        for k in _phrase(str(key)):
            found[k] = tuple(w for v in values or [] for w in _phrase(str(v)))
    return found


def translate(words: list[str], catalog_language: str) -> list[str]:
    """The customer's words in the catalog's language where the vocabulary knows them:
    longest phrase first ("light bulb" before "bulb"); unknown words stay as they are."""
    table = same_words().get(catalog_language, {})
    longest = max((len(k) for k in table), default=0)
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            hit = table.get(tuple(words[i : i + n]))
            if hit:
                out += hit
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def expand_need(words: list[str]) -> list[str]:
    """A need's words and the product words they point to, without repeats."""
    out = list(words)
    for w in words:
        out += serves().get(w, ())
    return list(dict.fromkeys(out))


def in_catalog_language(query: str, catalog_language: str) -> str | None:
    """The query in the catalog's words, when the vocabulary changes any; else None."""
    said = tokens(query)
    translated = list(dict.fromkeys(translate(said, catalog_language)))
    return " ".join(translated) if translated != said else None
