"""The one door for a reply's words: the persona's voice when a model wrote them and the
guard let them through, the template otherwise.

    text = await voiced(facts, template_text, kind, lang, services, draft=..., said=...)

- `facts`: a voice.facts.Facts: `await turn_facts(...)`, then `.adding(entries=[Entry(topic,
  owner_text)], figures={label: value}, products=[product_fact(hit, business, lang)])`.
- `template_text`: what goes out offline, and whenever the model's words fail (for a
  knowledge answer: the owner's quoted answer).
- `kind`: voice.writer.Kind. "small_talk", "help", "greeting", "answer" and "results" use
  the understanding call's draft (`understanding.reply`): no extra call. "answer",
  "recommendation" and "clarify" without a draft make one extra call.
- `draft`: the understanding's `reply`, when this turn has one.
- `said`: the customer's message, for the writer's context.
Offline (no writer), it returns `template_text` at once: offline replies are unchanged.
"""

from __future__ import annotations

import logging

from whsp_ai.db.models import Business
from whsp_ai.graph.services import Services
from whsp_ai.prompts.texts import Lang
from whsp_ai.tools import cart as cart_tools
from whsp_ai.voice import guard, writer
from whsp_ai.voice.facts import Facts, business_facts, cart_lines, now_figures

log = logging.getLogger(__name__)


async def voiced(
    facts: Facts,
    template_text: str,
    kind: writer.Kind,
    lang: Lang,
    services: Services,
    *,
    draft: str | None = None,
    said: str = "",
) -> str:
    model = services.writer
    if model is None:
        return template_text
    text = draft if kind in writer.DRAFTED else None
    if not text and kind in writer.WRITTEN:
        system, prompt = writer.messages(facts, template_text, kind, lang, said)
        text = await model.write(system, prompt)
    if not text:
        return template_text
    verdict = guard.check(text, facts, others=await services.business_names())
    usage = services.understander.usage
    if not verdict.ok:
        usage.guard_blocks += 1
        log.warning(
            "voice.guard_blocked",
            extra={"kind": kind, "business": facts.business, "problems": list(verdict.problems)},
        )
        return template_text
    usage.voiced += 1
    return text.strip()


async def turn_facts(
    services: Services, business: Business, lang: Lang, customer_id: int | None
) -> Facts:
    """What is true this turn: the business's facts, its local time and the customer's cart.

    Offline nothing reads them, so the cart isn't queried.
    """
    facts = business_facts(business, lang)
    if services.writer is None:
        return facts
    cart: list[str] = []
    if customer_id is not None:
        async with services.session() as session:
            summary = await cart_tools.summary(session, business=business, customer_id=customer_id)
        cart = cart_lines(summary, business, lang)
    return facts.adding(figures=now_figures(business, lang)).but(cart=cart)
