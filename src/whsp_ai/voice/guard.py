"""The guard: a model-written reply goes out only if every figure and promise in it is backed.

Checks, on folded text, sentence by sentence:
- every number, money amount, time, date and percentage is a value the facts hold;
- every promise word (free, discount, guarantee, refund, "we deliver to", same day, "open
  every day"…, claims.yaml) is said by a fact sentence too: same family, same polarity
  ("no hacemos descuentos" backs a denial, never an offer), about a topic the reply's
  sentence shares, and carrying that fact's figure when it has one;
- a weekday is named by a fact about the same topic (hours are not delivery days);
- the place after "we deliver to" or "we're at" appears in the facts;
- no other business is named, and no link or e-mail the facts don't hold.
A reply that fails is never sent: the caller sends its template instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from whsp_ai.text.fold import fold
from whsp_ai.voice import figures
from whsp_ai.voice.claims import Claims, claims
from whsp_ai.voice.facts import Facts

MAX_CHARS = 700  # a WhatsApp reply a customer reads in one glance; templates are shorter
_SENTENCES = re.compile(r"(?<!\d)[.!?;](?!\d)|[.!?;](?=\s)|\n+|[¿¡]")
_LINKS = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")


@dataclass(frozen=True)
class Verdict:
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Sentence:
    text: str
    topics: frozenset[str]
    figures: figures.Figures = field(default_factory=figures.Figures)


def check(reply: str, facts: Facts, *, others: Iterable[str] = ()) -> Verdict:
    """`others`: the names of every other business (from the database)."""
    text = fold(reply)
    if not text:
        return Verdict(("empty reply",))
    words = claims()
    index = _index(facts)
    backing, known, everything = index.sentences, index.figures, index.text
    problems: list[str] = []
    if len(reply) > MAX_CHARS:
        problems.append(f"too long ({len(reply)} characters)")
    for figure in figures.figures_in(text):
        if not figures.backed(figure, known):
            problems.append(f"figure {figure.said.strip()!r} is not in the facts")
    for sentence in _split(text):
        topics = _topics(sentence, "", words)
        problems += _promises(sentence, topics, backing, words)
        problems += _days(sentence, topics, backing, words)
        problems += _places(sentence, everything, words)
    for link in _LINKS.findall(text):
        if link.rstrip(".,)") not in everything:
            problems.append(f"link {link!r} is not in the facts")
    problems += _other_businesses(text, index.plain, others)
    return Verdict(tuple(dict.fromkeys(problems)))


@dataclass(frozen=True)
class _Index:
    sentences: list[_Sentence]
    figures: figures.Figures  # every value the facts hold
    text: str  # folded
    plain: str  # words only, for business names


@lru_cache(maxsize=256)  # a business's standing facts come back turn after turn
def _index(facts: Facts) -> _Index:
    sentences = _backing(facts)
    known = figures.Figures()
    for s in sentences:
        known.numbers |= s.figures.numbers
        known.times |= s.figures.times
        known.hours |= s.figures.hours
    text = " ".join(s.text for s in sentences)
    return _Index(sentences, known, text, _plain(text))


def _backing(facts: Facts) -> list[_Sentence]:
    words = claims()
    out: list[_Sentence] = []
    for statement, topic in facts.sentences():
        folded_topic = fold(topic)
        for part in _split(fold(statement)):
            out.append(_Sentence(part, _topics(part, folded_topic, words), figures.index(part)))
    return out


def _split(text: str) -> list[str]:
    return [p.strip() for p in _SENTENCES.split(text) if p and p.strip()]


def _topics(sentence: str, fallback: str, words: Claims) -> frozenset[str]:
    """The topics a sentence is about; a fact that names none is about its entry's topic."""
    own = frozenset(name for name, pattern in words.topics.items() if pattern.search(sentence))
    if own or not fallback:
        return own
    return frozenset(name for name, pattern in words.topics.items() if pattern.search(fallback))


def _negated(sentence: str, start: int, words: Claims) -> bool:
    before = re.sub(r"[^\w\s']", " ", sentence[:start]).split()[-4:]
    return any(w in words.negations for w in before)


def _related(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def _same_subject(a: frozenset[str], b: frozenset[str]) -> bool:
    """A promise about something (delivery, hours…) is backed only by a fact about the same
    thing: "caffeine free" (no topic) never backs "delivery is free", nor a free pickup a
    free delivery. A promise that names no topic may rest on any fact that says it."""
    return bool(a & b) if a else True


def _promises(
    sentence: str, topics: frozenset[str], backing: list[_Sentence], words: Claims
) -> list[str]:
    problems = []
    said = figures.index(sentence)
    for family, pattern in words.promises.items():
        for m in pattern.finditer(sentence):
            negated = _negated(sentence, m.start(), words)
            if not any(
                _same_subject(topics, fact.topics)
                and _conditions_kept(fact, said)
                and any(
                    _negated(fact.text, f.start(), words) == negated
                    for f in pattern.finditer(fact.text)
                )
                for fact in backing
            ):
                kind = "denial" if negated else "promise"
                problems.append(f"{kind} {m[0]!r} ({family}) is not backed by the facts")
    return problems


def _conditions_kept(fact: _Sentence, said: figures.Figures) -> bool:
    """A fact with a figure ("free over $50") backs only a sentence that keeps the figure."""
    if not fact.figures.numbers and not fact.figures.times:
        return True
    return bool(fact.figures.numbers & said.numbers or fact.figures.times & said.times)


def _days(
    sentence: str, topics: frozenset[str], backing: list[_Sentence], words: Claims
) -> list[str]:
    """A weekday needs a fact about that day, and the sentence's times must be the days'
    ("on Saturday we open at 7" is wrong when 7:00 is Tuesday's opening)."""
    problems = []
    known = figures.Figures()
    named = []
    for day, pattern in words.day_names.items():
        m = pattern.search(sentence)
        if not m:
            continue
        named.append(m[0])
        that_day = [
            fact
            for fact in backing
            if words.day_keys[day].search(fact.text) and _related(topics, fact.topics)
        ]
        if not that_day:
            problems.append(f"weekday {m[0]!r} is not in the facts for this topic")
        for fact in that_day:
            known.numbers |= fact.figures.numbers
            known.times |= fact.figures.times
            known.hours |= fact.figures.hours
    if named:
        for figure in figures.figures_in(sentence):
            if not figures.backed(figure, known):
                problems.append(f"figure {figure.said.strip()!r} is not {'/'.join(named)}'s")
    return problems


def _places(sentence: str, everything: str, words: Claims) -> list[str]:
    """'we deliver to Canada', 'our shop is at 50 Main Street': the place must be one the
    facts name."""
    problems = []
    for m in words.places.finditer(sentence):
        place = re.split(r"[,:]| and | y | but | pero ", sentence[m.end() :])[0].split()[:4]
        for word in place:
            word = word.strip("'\"()")
            if len(word) > 2 and word not in words.place_fillers and word not in everything:
                problems.append(f"place {word!r} is not in the facts")
    return problems


def _other_businesses(text: str, own: str, others: Iterable[str]) -> list[str]:
    """`own`: the facts' words (_plain); a name in them is this business's own words."""
    problems = []
    said = _plain(text)
    for name in others:
        variants = {_plain(name), _plain(name).replace(" and ", " ")}
        if any(len(v) < 4 or _has(own, v) for v in variants):
            continue  # too short to tell from a word, or part of this business's own facts
        if any(_has(said, v) for v in variants):
            problems.append(f"names another business ({name})")
    return problems


def _plain(text: str) -> str:
    """Words only, '&' read as 'and': "Tea & Kettle" and "tea and kettle" compare equal."""
    return " ".join(re.findall(r"\w+", fold(text).replace("&", " and ")))


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None
