"""The search node: find products, show them with database prices, ask the owner when missing."""

from __future__ import annotations

from langgraph.runtime import Runtime

from whsp_ai.db.repositories import products
from whsp_ai.graph import clarify, views
from whsp_ai.graph.context import Context
from whsp_ai.graph.nodes import begin, responder
from whsp_ai.graph.state import ShownItem, State, Update
from whsp_ai.messages import replies
from whsp_ai.nlu.models import SearchFilters, Understanding
from whsp_ai.prompts.texts import t
from whsp_ai.text.search import is_plural
from whsp_ai.tools import approvals as approval_tools
from whsp_ai.tools.catalog import ProductHit, SearchResult, search_products


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
            query = u.search_query or ""
            filters = u.filters or SearchFilters()
            has_filters = bool(filters.category or filters.max_price or filters.min_price)
            if not query.strip() and not has_filters:
                return {"replies": [replies.text(t("search_empty_query", lang))]}
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
                return {"replies": [clarify.not_found(state, query, lang, business.name)]}
            new_id = await approval_tools.request_new_product(
                session, business_id=ctx.business_id, customer_id=customer_id, query=query
            )
            new_approvals += [new_id] if new_id else []
            body = t("search_none", lang, query=query, business=business.name)
            return {"replies": [replies.text(body)], "new_approvals": new_approvals}

        browsing = bool(query) and is_plural(query) and sum(h.score >= 0.8 for h in result.hits) > 1
        if u.sku or (is_clear_winner(result) and not browsing):
            hit = result.hits[0]
            reply = views.product_detail(hit, business, lang)
            if hit.status == "unconfirmed":
                new_id = await approval_tools.request_unconfirmed(
                    session,
                    business_id=ctx.business_id,
                    customer_id=customer_id,
                    product_id=hit.id,
                    query=query,
                    wants_add=False,
                    quantity=None,
                )
                new_approvals += [new_id] if new_id else []
                reply = replies.text(
                    reply["text"]
                    + "\n"
                    + t("checking_with_owner", lang, name=hit.name, business=business.name)
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
    shown: list[ShownItem] = [{"sku": h.sku, "name": h.name} for h in result.hits]
    return {
        "replies": [views.product_list(result.hits, business, lang, header)],
        "shown": shown,
        "focus": None,
    }
