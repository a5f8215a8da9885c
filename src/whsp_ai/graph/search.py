"""The search node: find products, show them with database prices, ask the owner when missing."""

from __future__ import annotations

from langgraph.runtime import Runtime
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import ApprovalKind, Business, Product
from whsp_ai.db.repositories import products
from whsp_ai.graph import clarify, views
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin, responder
from whsp_ai.graph.pick import Picked, pick
from whsp_ai.graph.state import ShownItem, State, Update
from whsp_ai.graph.voiced import turn_facts, voiced
from whsp_ai.messages import replies
from whsp_ai.nlu.models import SearchFilters, Understanding
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.text.search import is_plural
from whsp_ai.tools import asks
from whsp_ai.tools.catalog import ProductHit, SearchResult, search_products
from whsp_ai.voice.facts import product_fact


def is_clear_winner(result: SearchResult) -> bool:
    """One product stands out: show it alone, with its Add button."""
    if result.confidence not in ("exact", "likely") or not result.hits:
        return False
    if len(result.hits) == 1:
        return True
    top, runner_up = result.hits[0].score, result.hits[1].score
    if result.confidence == "exact":  # the name or an alias, word for word
        return runner_up < top
    return top - runner_up >= 0.1


@responder("search")
async def search(state: State, runtime: Runtime[Context]) -> Update:
    ctx, services, business, lang = await begin(state, runtime)
    u = Understanding.model_validate(state.get("understanding") or {"intent": "search"})
    customer_id = state["customer_id"]
    new_approvals: list[int] = []

    async with services.session() as session:
        if u.sku:
            product = await products.by_sku(session, business_id=ctx.business_id, sku=u.sku)
            hits = []
            if product is not None and product.status != "rejected":
                assert product.id is not None
                hits = [
                    ProductHit(
                        product.id,
                        product.sku,
                        product.name,
                        product.description,
                        product.price,
                        product.stock,
                        product.category,
                        product.status,
                        1.0,
                    )
                ]
            result = SearchResult(hits, "exact" if hits else "none")
            query = u.sku
        else:
            picked = await pick(
                session,
                business_id=ctx.business_id,
                text=state.get("text", ""),
                shown=state.get("shown") or [],
            )
            if picked is not None and picked.products:
                return await _picked(picked, session, business, customer_id, lang)
            query = (picked.query if picked else None) or u.search_query or ""
            filters = u.filters or SearchFilters()
            has_filters = bool(filters.category or filters.max_price or filters.min_price)
            has_filters |= filters.sort in ("cheapest", "priciest")  # 'the cheapest thing'
            if picked is not None and picked.query and not picked.products:
                filters = SearchFilters()  # 'el que tiene supresor': search the word it names
            if not query.strip() and not has_filters:
                facts = await turn_facts(services, business, lang, customer_id)
                body = await voiced(
                    facts,
                    t("search_empty_query", lang),
                    "clarify",
                    lang,
                    services,
                    said=state.get("text", ""),
                )
                return {"replies": [replies.text(body)]}
            result = await search_products(
                session,
                business_id=ctx.business_id,
                query=query or None,
                filters=filters,
                limit=8,
                embedder=services.embedder,
            )

        if not result.hits:
            if not query or u.sku:
                return {"replies": [replies.text(t("search_none_filters", lang))]}
            alike = await clarify.something_like(session, ctx.business_id, query, services.embedder)
            if alike:
                listing = views.product_list(alike, business, lang, "search_did_you_mean")
                shown_alike: list[ShownItem] = [{"sku": h.sku, "name": h.name} for h in alike]
                return {"replies": [listing], "shown": shown_alike, "focus": None}
            if not clarify.may_ask_owner(state, u):
                if await asks.capped(session, ctx.business_id, customer_id):
                    # offering to ask the owner when the shop already has today's three
                    # requests would promise what the cap refuses
                    capped = t("requests_capped", lang, business=business.name)
                    return {"replies": [replies.text(capped)]}
                return {"replies": [clarify.not_found(state, query, lang, business.name)]}
            asked = await asks.ask(
                session,
                business_id=ctx.business_id,
                customer_id=customer_id,
                kind=ApprovalKind.new_product,
                query=query,
            )
            new_approvals += [asked.started] if asked.started else []
            said = "requests_capped" if asked.capped else "search_none"
            body = t(said, lang, query=query, business=business.name)
            return {"replies": [replies.text(body)], "new_approvals": new_approvals}

        browsing = bool(query) and is_plural(query) and sum(h.score >= 0.8 for h in result.hits) > 1
        if u.sku or (is_clear_winner(result) and not browsing):
            hit = result.hits[0]
            reply = views.product_detail(hit, business, lang)
            if hit.status == "unconfirmed":
                asked = await asks.ask(
                    session,
                    business_id=ctx.business_id,
                    customer_id=customer_id,
                    kind=ApprovalKind.unconfirmed_product,
                    query=query,
                    product_id=hit.id,
                )
                new_approvals += [asked.started] if asked.started else []
                said = "requests_capped" if asked.capped else "checking_with_owner"
                reply = replies.text(
                    reply["text"] + "\n" + t(said, lang, name=hit.name, business=business.name)
                )
            item: ShownItem = {"sku": hit.sku, "name": hit.name}
            return {
                "replies": [reply],
                "shown": [item],
                "focus": item,
                "new_approvals": new_approvals,
                "pending": None,
            }

    header = "search_results" if result.confidence != "weak" else "search_did_you_mean"
    # The list's lead-in in the persona's voice: the understanding's draft for a found list
    # (no extra call); "did you mean…?" is a clarifying question, written once the list is known.
    facts = (await turn_facts(services, business, lang, customer_id)).adding(
        products=[product_fact(h, business, lang) for h in result.hits]
    )
    intro = await voiced(
        facts,
        t(header, lang),
        "results" if header == "search_results" else "clarify",
        lang,
        services,
        draft=u.reply,
        said=state.get("text", ""),
    )
    shown: list[ShownItem] = [{"sku": h.sku, "name": h.name} for h in result.hits]
    return {
        "replies": [views.product_list(result.hits, business, lang, header, intro)],
        "shown": shown,
        "focus": None,
    }


def _as_hit(p: Product) -> ProductHit:
    assert p.id is not None
    return ProductHit(
        p.id, p.sku, p.name, p.description, p.price, p.stock, p.category, p.status, 1.0
    )


async def _picked(
    picked: Picked, session: AsyncSession, business: Business, customer_id: int, lang: Lang
) -> Update:
    """One product of the list: shown alone, as a search for it would; several: which?"""
    assert business.id is not None
    business_id = business.id
    hits = [_as_hit(p) for p in picked.products]
    if len(hits) == 1:
        hit = hits[0]
        reply = views.product_detail(hit, business, lang)
        new_approvals: list[int] = []
        if hit.status == "unconfirmed":
            asked = await asks.ask(
                session,
                business_id=business_id,
                customer_id=customer_id,
                kind=ApprovalKind.unconfirmed_product,
                query=hit.name,
                product_id=hit.id,
            )
            new_approvals += [asked.started] if asked.started else []
            said = "requests_capped" if asked.capped else "checking_with_owner"
            reply = replies.text(
                reply["text"] + "\n" + t(said, lang, name=hit.name, business=business.name)
            )
        item: ShownItem = {"sku": hit.sku, "name": hit.name}
        return {"replies": [reply], "shown": [item], "focus": item, "new_approvals": new_approvals}
    header = "pick_sizes_unknown" if picked.sizes_unknown else "pick_which"
    shown: list[ShownItem] = [{"sku": h.sku, "name": h.name} for h in hits]
    return {
        "replies": [views.product_list(hits, business, lang, header)],
        "shown": shown,
        "focus": None,
    }
