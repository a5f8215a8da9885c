"""The vocabulary files: every concept in both languages, and a word added there is understood."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from whsp_ai.nlu import lexicon, vocabulary
from whsp_ai.nlu.vocabulary import Concept, VocabularyError

DATA = Path(vocabulary.__file__).parent

# Built in a fresh interpreter, so the patterns come from the copy and nothing is reloaded.
_UNDERSTAND = """
import json, sys
from pathlib import Path
from whsp_ai.nlu import vocabulary
vocabulary.DATA = Path(sys.argv[1])
from whsp_ai.nlu.models import TurnInput
from whsp_ai.nlu.offline import understand
out = {}
for text in sys.argv[2:]:
    u = understand(TurnInput(text=text, locale="es", shown=["Foco LED 9 W", "Cinta negra"]))
    out[text] = u.model_dump(mode="json", include={"intent", "actions", "search_query"})
print(json.dumps(out))
"""


def understood(data: Path, *texts: str) -> dict[str, dict[str, object]]:
    run = subprocess.run(
        [sys.executable, "-c", _UNDERSTAND, str(data), *texts],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def add_line(path: Path, concept: str, word: str) -> None:
    """The edit the docs describe: one `- word` line under the concept (under its `words:`
    when it also has patterns), nothing else."""
    text = path.read_text("utf-8")
    head = re.search(rf"^{re.escape(concept)}:\n(  words:\n)?", text, re.MULTILINE)
    assert head is not None, concept
    indent = "    " if head[1] else "  "
    path.write_text(f"{text[: head.end()]}{indent}- {word}\n{text[head.end() :]}", "utf-8")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for lang in vocabulary.LANGUAGES:
        shutil.copy(DATA / f"{lang}.yaml", tmp_path / f"{lang}.yaml")
    return tmp_path


@pytest.fixture
def pointed_at(copy: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The loader reads the copy in this process; the shipped files again afterwards."""
    monkeypatch.setattr(vocabulary, "DATA", copy)
    vocabulary.load.cache_clear()
    yield copy
    vocabulary.load.cache_clear()


def test_every_concept_has_a_spanish_and_an_english_list() -> None:
    es, en = (vocabulary.load(lang) for lang in vocabulary.LANGUAGES)
    assert set(es.concepts) == set(en.concepts)
    assert set(es.numbers) == set(en.numbers) == vocabulary.NUMBERS
    assert set(es.groups) == set(en.groups) == vocabulary.GROUPS
    for name in es.concepts:
        merged = vocabulary.concept(name)
        assert isinstance(merged, Concept)
        assert merged.words or merged.patterns, f"{name} is empty in both languages"


def test_words_are_stored_as_folded_text_sees_them() -> None:
    assert vocabulary.clean("Ocupó") == "ocupo"
    assert vocabulary.clean("I'll  take") == "ill take"
    for lang in vocabulary.LANGUAGES:
        for name, entries in vocabulary.load(lang).concepts.items():
            for word in entries.words:
                assert word == vocabulary.clean(word), (lang, name, word)


def test_every_concept_is_read_when_the_patterns_are_built() -> None:
    # A concept nobody reads would be a list whose edits do nothing.
    probe = (
        "import json\n"
        "from whsp_ai.nlu import vocabulary as v\n"
        "seen = set()\n"
        "for f in ('concept', 'words', 'numbers', 'groups'):\n"
        "    def spy(name, *a, _f=getattr(v, f)):\n"
        "        seen.add(name)\n"
        "        return _f(name, *a)\n"
        "    setattr(v, f, spy)\n"
        "import whsp_ai.nlu.offline\n"
        "print(json.dumps(sorted(seen)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    es = vocabulary.load("es")
    assert set(json.loads(run.stdout)) == set(es.concepts) | set(es.numbers) | set(es.groups)


def test_known_words_reach_their_patterns() -> None:
    # One word of a concept of each kind, read back through the compiled pattern it feeds.
    assert lexicon.ADD_RE.match("gimme 2 focos")["verb"] == "gimme"  # type: ignore[index]
    assert lexicon.ADD_RE.match("ocupo 2 focos")["verb"] == "ocupo"  # type: ignore[index]
    assert lexicon.ADD_RE.match("agregamelos")["clit"] == "los"  # type: ignore[index]
    assert lexicon.GREET_RE.match("holaaa amigos, ")
    assert lexicon.whole_phrase("cancel").fullmatch("never mind")
    assert lexicon.ORDINAL_WORDS["tercera"] == 3
    assert frozenset({"efectivo", "cash"}) <= next(
        f for f in lexicon.PAYMENT_FAMILIES if "contado" in f
    )
    assert "ocupo" in lexicon.SOFT_ADD and "ocupo" in lexicon.SPANISH_WORDS


def test_a_word_added_to_one_file_is_understood(copy: Path) -> None:
    texts = ("ocupamos 2 focos", "ocupamos focos", "gimmie the first one", "gimmie 3 cintas")
    before = understood(copy, *texts)
    assert before["ocupamos 2 focos"]["intent"] != "add"
    assert before["gimmie the first one"]["intent"] != "add"

    add_line(copy / "es.yaml", "need", "ocupamos")
    add_line(copy / "es.yaml", "search_lead", "ocupamos")
    add_line(copy / "en.yaml", "add", "gimmie")
    after = understood(copy, *texts)

    assert after["ocupamos 2 focos"] == {
        "intent": "add",
        "actions": [
            {"op": "add", "product": {"query": "focos", "sku": None, "index": None, "last": False}}
            | {"quantity": 2}
        ],
        "search_query": None,
    }
    # a need without a number is a search, like 'necesito focos'
    assert after["ocupamos focos"]["intent"] == "search"
    assert after["ocupamos focos"]["search_query"] == "focos"
    assert after["gimmie the first one"]["actions"] == [
        {"op": "add", "product": {"query": None, "sku": None, "index": 1, "last": False}}
        | {"quantity": None}
    ]
    assert after["gimmie 3 cintas"]["intent"] == "add"


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ("  - no\n", "is not a phrase"),  # YAML reads a bare no as False
        ("  patterns:\n    - '(?P<verb>x)'\n", "may not name a group"),
        ("  patterns:\n    - 'a(b'\n", "bad pattern"),
    ],
)
def test_a_bad_entry_is_refused_with_its_place(pointed_at: Path, entry: str, error: str) -> None:
    path = pointed_at / "en.yaml"
    path.write_text(path.read_text("utf-8") + f"broken:\n{entry}", "utf-8")
    with pytest.raises(VocabularyError, match=rf"en\.yaml, broken: .*{error}"):
        vocabulary.load("en")


def test_a_missing_concept_is_named(pointed_at: Path) -> None:
    path = pointed_at / "en.yaml"
    path.write_text(re.sub(r"^cheap:\n(?:  - .*\n)+", "", path.read_text("utf-8"), flags=re.M))
    with pytest.raises(VocabularyError, match=re.escape("en.yaml has no concept 'cheap'")):
        vocabulary.concept("cheap")


# What lexicon.py may still spell: grammar, not vocabulary (an English separable verb, and the
# endings of a Spanish infinitive with its pronoun).
GRAMMAR_WORDS = {"take", "get", "out", "off", "of", "my", "the", "ar", "er", "ir"}
GRAMMAR_WORDS |= {"lo", "la", "los", "las", "me", "le", "se"}


def test_lexicon_spells_no_vocabulary() -> None:
    tree = ast.parse(Path(lexicon.__file__).read_text("utf-8"))
    skip: set[int] = set()  # concept names, and docstrings
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func).startswith(
            ("any_of", "vocab.", "whole_phrase")
        ):
            skip |= {id(n) for arg in node.args for n in ast.walk(arg)}
        elif isinstance(node, ast.Expr | ast.FunctionDef):
            skip |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Constant)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            bare = re.sub(r"\\[a-zA-Z]|\(\?P<\w+>|\[[^]]*\]", " ", node.value)
            found |= set(re.findall(r"[a-z]{2,}", bare))
    assert found <= GRAMMAR_WORDS, sorted(found - GRAMMAR_WORDS)
