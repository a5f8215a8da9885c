"""A question's answer as facts: the reply text AND the entries and figures it was built from.

The owner's own text (faq answers, rules, address, delivery, returns) is quoted as written.
Facts the system words itself (hours, the delivery fee, payment methods) are templates in the
customer's language, filled from the database. A reply writer (Gemini, with a guard) may take
`KnowledgeAnswer.entries` as its facts; `text` is the template answer it falls back to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import Business
from whsp_ai.nlu.offline.checkout import payment
from whsp_ai.nlu.offline.text import normalize, plain
from whsp_ai.nlu.topics import days_in
from whsp_ai.prompts.money import money
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.text.hours import DAYS
from whsp_ai.tools import hours as hours_of
from whsp_ai.tools.knowledge import Match, retrieve


@dataclass(frozen=True)
class Fact:
    """One entry the answer used: what it says, and whether those are the owner's words."""

    kind: str  # faq | rule | fact
    topic: str | None  # hours | address | delivery | returns | fee | payment (facts)
    question: str  # the faq question, the rule, or the topic
    text: str  # the sentence the answer gives for it
    quoted: bool  # True: the owner's text as written; False: our template
    score: float
    figures: dict[str, str] = field(default_factory=dict)  # amounts, times, methods used


@dataclass(frozen=True)
class KnowledgeAnswer:
    text: str
    entries: list[Fact]


async def answer_question(
    session: AsyncSession, *, business: Business, question: str, lang: Lang, now: datetime
) -> KnowledgeAnswer | None:
    """The answer from the business's data, or None when the data does not answer it."""
    found = await retrieve(session, business=business, question=question)
    facts = [fact_of(m, business, question, lang, now) for m in found]
    facts = [f for f in facts if f.text]
    if not facts:
        return None
    return KnowledgeAnswer("\n".join(f.text for f in facts), facts)


def fact_of(match: Match, business: Business, question: str, lang: Lang, now: datetime) -> Fact:
    info = business.info or {}
    if match.kind == "faq":
        return Fact("faq", None, match.question, match.answer, True, match.score)
    if match.kind == "rule":
        return Fact("rule", None, match.question, match.answer, True, match.score)
    topic = match.topic or ""
    if topic == "hours":
        text, figures = hours_answer(info, question, lang, now)
        return Fact("fact", topic, topic, text, False, match.score, figures)
    if topic == "fee":
        text, figures = fee_answer(business, lang)
        return Fact("fact", topic, topic, text, False, match.score, figures)
    if topic == "payment":
        text, figures = payment_answer(business.payment_methods, question, lang)
        return Fact("fact", topic, topic, text, False, match.score, figures)
    return Fact("fact", topic, topic, str(info.get(topic) or ""), True, match.score)


def hours_answer(
    info: dict[str, object], question: str, lang: Lang, now: datetime
) -> tuple[str, dict[str, str]]:
    raw_hours = info.get("hours")
    hours = {str(k): str(v) for k, v in raw_hours.items()} if isinstance(raw_hours, dict) else {}
    zone = str(info.get("timezone") or "UTC")
    names = t("kn_days", lang).split("|")
    week = hours_of.week(hours)
    asked = days_in(question)
    days = [d for d in asked if d in DAYS]
    days += [hours_of.relative_day(d, zone, now) for d in asked if d in ("today", "tomorrow")]
    lines: list[str] = []
    figures: dict[str, str] = {}
    for day in dict.fromkeys(days):
        name = names[DAYS.index(day)]
        ranges = week[day]
        text = hours_of.day_text(ranges, t("kn_and", lang))
        figures[day] = text or "closed"
        key = "kn_day_open" if ranges else "kn_day_closed"
        lines.append(t(key, lang, day=name, ranges=text))
    if not days or "now" in asked or "today" in asked:
        state = hours_of.status(hours, zone, now)
        if state.open:
            lines.append(t("kn_open_now", lang, closes=state.closes))
            figures["closes"] = state.closes or ""
        elif state.next_day is not None:
            figures["opens"] = state.next_opens or ""
            if state.next_day == state.today:
                lines.append(t("kn_closed_now_reopens_today", lang, opens=state.next_opens))
            else:
                day = names[DAYS.index(state.next_day)]
                lines.append(t("kn_closed_now", lang, day=day, opens=state.next_opens))
    if not days:
        figures["week"] = week_text(week, lang)
        lines.append(t("kn_week", lang, week=figures["week"]))
    return " ".join(lines), figures


def week_text(week: dict[str, list[tuple[int, int]]], lang: Lang) -> str:
    """'lun–vie 08:00–19:00; sáb 09:00–15:00; dom cerrado': equal days run together."""
    short = t("kn_days_short", lang).split("|")
    parts: list[str] = []
    i = 0
    while i < len(DAYS):
        j = i
        while j + 1 < len(DAYS) and week[DAYS[j + 1]] == week[DAYS[i]]:
            j += 1
        span = short[i] if i == j else f"{short[i]}–{short[j]}"
        ranges = hours_of.day_text(week[DAYS[i]], t("kn_and", lang)) or t("kn_closed", lang)
        parts.append(f"{span} {ranges}")
        i = j + 1
    return "; ".join(parts)


def fee_answer(business: Business, lang: Lang) -> tuple[str, dict[str, str]]:
    fee, free = business.delivery_fee, business.free_delivery_over
    figures: dict[str, str] = {}
    if fee is not None:
        figures["delivery_fee"] = money(fee, business.currency)
    if free is not None:
        figures["free_delivery_over"] = money(free, business.currency)
    if fee is not None and fee > 0 and free is not None:
        key = "kn_fee"
    elif fee is not None and fee > 0:
        key = "kn_fee_flat"
    elif free is not None and fee is None:
        key = "kn_fee_free_over"
    else:
        key = "kn_fee_none"
    values = {"fee": figures.get("delivery_fee"), "free": figures.get("free_delivery_over")}
    return t(key, lang, **values), figures


def payment_answer(methods: list[str], question: str, lang: Lang) -> tuple[str, dict[str, str]]:
    listed = _join(methods, lang)
    figures = {"payment_methods": ", ".join(methods)}
    named = payment(plain(normalize(question)), methods)
    if named is not None:
        figures["method"] = named
        return t("kn_payment_yes", lang, method=named, methods=listed), figures
    return t("kn_payment", lang, methods=listed), figures


def _join(items: list[str], lang: Lang) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('kn_and', lang)} {items[-1]}"
