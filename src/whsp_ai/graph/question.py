"""Questions about the business: told apart from product requests, answered from its data,
or asked of the owner; mid-checkout, the pending checkout question follows the answer."""

from __future__ import annotations

from datetime import UTC, datetime

from langgraph.runtime import Runtime

from whsp_ai.db.models import ApprovalKind, Business
from whsp_ai.graph import checkout
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin, responder
from whsp_ai.graph.pick import pick
from whsp_ai.graph.services import Services
from whsp_ai.graph.state import ShownItem, State, Update
from whsp_ai.graph.voiced import turn_facts, voiced
from whsp_ai.messages import replies
from whsp_ai.messages.replies import Reply
from whsp_ai.nlu.models import Understanding
from whsp_ai.nlu.topics import asks_about_shop, content_words, topics_in
from whsp_ai.prompts.texts import t
from whsp_ai.tools import asks
from whsp_ai.tools.catalog import search_products
from whsp_ai.tools.knowledge import retrieve
from whsp_ai.tools.knowledge_answer import answer_question
from whsp_ai.voice.facts import Entry

# Intents a question about the shop may have been taken for by the rules or the model.
_MAYBE_QUESTION = frozenset({"search", "other", "greet", "need"})
_CART = frozenset({"add", "remove", "set_quantity", "cart_edit"})
FAQ_SURE = 0.75  # a faq match this sure is the owner's question asked again


async def as_question(
    understanding: Understanding,
    text: str,
    services: Services,
    business: Business,
    expecting: str | None = None,
    shown: list[ShownItem] | None = None,
) -> Understanding:
    """The understanding, turned into `question` when the message asks about the shop.

    A product the catalog has by name wins over a faq that shares a word with it ("tienen
    llaves?"), unless the message says a topic or asks like a question about the shop.
    """
    if not text.strip():
        return understanding
    topics, cue = topics_in(text), asks_about_shop(text)
    intent = understanding.intent
    if intent == "provide_address" and not expecting:
        intent = "other"  # 'cuál es la dirección de la tienda' with no checkout under way
    elif intent in _CART and "?" in text and topics:
        intent = "other"  # 'y a qué hora llega?' is not a product to add
    if intent not in _MAYBE_QUESTION or understanding.sku or understanding.filters.category:
        return understanding  # a tapped product or a category asked for is browsing
    understanding = understanding.model_copy(update={"intent": intent})
    if understanding.intent == "greet" and not (topics or cue):
        return understanding
    assert business.id is not None
    async with services.session() as session:
        matches = await retrieve(session, business=business, question=text)
        known = bool(matches)
        # The owner's own faq question, asked again, beats a product that only shares a word
        # with it ("hay baño?" after "¿tienen baño para clientes?" was answered): only the
        # product's exact name or alias keeps it a search.
        faq_first = (
            bool(matches)
            and matches[0].kind == "faq"
            and matches[0].score >= FAQ_SURE
            and _asked_in(text, matches[0].question)
        )
        if not known and not (topics or cue):
            return understanding
        if not known and understanding.intent == "other" and "?" not in text and not topics:
            return understanding  # "cómo estás" is small talk, not a question for the owner
        if understanding.intent == "need":
            # 'algo para colgar cuadros': the catalog answers a need (and the need node adds
            # the owner's faq answer when one fits: 'how do i store loose leaf?')
            return understanding
        if shown and understanding.intent in ("search", "other"):
            picked = await pick(session, business_id=business.id, text=text, shown=shown)
            if picked is not None and picked.products:
                # 'is there a cheaper one?', 'the organic one': the list just shown, not
                # a question about the shop (the search node picks from it).
                return Understanding(intent="search", language=understanding.language)
        # what the search would look for, without the question's frame ('como', 'do you')
        thing = " ".join(content_words(understanding.search_query or ""))
        if (
            understanding.intent == "search"
            and not known
            and not topics
            and thing
            and not asks_about_shop(thing)
        ):
            # 'do you guys have yerba mate?': the question's frame is generic, and what it
            # asks for is a thing, not something about the shop: a product ask.
            return understanding
        if understanding.intent == "search" and not (known and topics):
            found = await search_products(
                session,
                business_id=business.id,
                query=understanding.search_query or text,
                filters=understanding.filters,
                limit=3,
            )
            if found.confidence == "exact" or (found.confidence == "likely" and not faq_first):
                return understanding
    # The model's draft, if any, was written for another reading (small talk, a search):
    # it doesn't answer the question, so the answer is written from its own facts.
    return Understanding(intent="question", language=understanding.language)


@responder("question")
async def question(state: State, runtime: Runtime[Context]) -> Update:
    ctx, services, business, lang = await begin(state, runtime)
    asked = state.get("text", "")
    update: Update = {}
    async with services.session() as session:
        answer = await answer_question(
            session, business=business, question=asked, lang=lang, now=datetime.now(UTC)
        )
        if answer is not None:
            body = answer.text
        else:
            # Never guessed: the owner is asked once, and the customer told so.
            asked_owner = await asks.ask(
                session,
                business_id=ctx.business_id,
                customer_id=state["customer_id"],
                kind=ApprovalKind.question,
                query=asked,
            )
            update["new_approvals"] = [asked_owner.started] if asked_owner.started else []
            if asked_owner.capped:  # three open requests today already: nothing raised
                body = t("requests_capped", lang, business=business.name)
            else:
                body = t("kn_ask_owner", lang, business=business.name)
    if answer is not None and not any(fact.quoted for fact in answer.entries):
        # Facts we word ourselves (hours, fee, payment) may go in the persona's voice, checked
        # by the guard; the owner's own text is quoted as written, never paraphrased.
        # Only what this answer rests on: a "free delivery today" is not backed by the shop's
        # free-over-$50 rule when the question was about hours.
        facts = (await turn_facts(services, business, lang, state.get("customer_id"))).but(
            rules=(),
            entries=[Entry(f.topic or f.question, f.text) for f in answer.entries],
            figures=[pair for f in answer.entries for pair in f.figures.items()],
            cart=(),
        )
        body = await voiced(
            facts,
            answer.text,
            "answer",
            lang,
            services,
            draft=(state.get("understanding") or {}).get("reply"),
            said=asked,
        )
    update["replies"] = [replies.text(body), *await pending_prompt(state, runtime)]
    return update


async def pending_prompt(state: State, runtime: Runtime[Context]) -> list[Reply]:
    """The question checkout is waiting on, asked again as it was; the stage is unchanged."""
    pending = state.get("checkout")
    if not pending:
        return []
    stage = pending["stage"]
    if stage == "confirm_cart":
        update = await checkout.review(state, runtime)
    elif stage == "address":
        # asked as it was: the plain question, with the saved address one tap away
        asked = await checkout.ask_address(
            {**state, "checkout": {**pending, "stage": "confirm_cart"}}, runtime
        )
        return list(asked.get("replies") or [])
    elif stage == "payment":
        update = await checkout.ask_payment(state, runtime)
    else:
        update = await checkout.ask_confirm(state, runtime)
    return list(update.get("replies") or [])


def _asked_in(text: str, faq_question: str) -> bool:
    """Every word the message is about is in the owner's faq question ('hay baño?' in
    '¿tienen baño para clientes?'), not merely in its answer ('got any rooibos?' is not
    'Are your teas caffeine free?' though the answer names rooibos)."""
    words = content_words(text)
    asked = content_words(faq_question)
    return bool(words) and all(any(a[:5] == w[:5] for a in asked) for w in words)
