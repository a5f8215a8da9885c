"""Every list the demo catalogs can show: row titles unique, within 24, telling rows apart.

A property over many searches (issue 13 §5): every labeled query of the search eval, every
product's name, each word of it, and every category, run through the real search and the
reply builder, on real Postgres.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from whsp_ai.db.database import Database
from whsp_ai.db.repositories import businesses, products
from whsp_ai.demo import import_demo_businesses
from whsp_ai.graph import views
from whsp_ai.messages.limits import ROW_DESCRIPTION_MAX, ROW_TITLE_MAX
from whsp_ai.messages.titles import keeps_apart
from whsp_ai.nlu.models import SearchFilters
from whsp_ai.tools.catalog import search_products

SEARCH_SET = Path(__file__).parents[2] / "src/whsp_ai/evals/search_set.yaml"


async def _queries(db: Database, business_id: int, slug: str) -> list[tuple[str, SearchFilters]]:
    labeled = yaml.safe_load(SEARCH_SET.read_text("utf-8"))["queries"]
    found = [(q["query"], SearchFilters()) for q in labeled if q["business"] == slug]
    async with db.session() as session:
        catalog = await products.list_products(session, business_id=business_id)
    for p in catalog:
        found.append((p.name, SearchFilters()))
        found += [(w, SearchFilters()) for w in p.name.split() if len(w) > 2]
    for category in {p.category for p in catalog if p.category}:
        found.append(("", SearchFilters(category=category)))
        found.append(("", SearchFilters(category=category, sort="cheapest")))
    return found


async def test_every_list_of_the_demo_catalogs_tells_its_rows_apart(db: Database) -> None:
    imported = await import_demo_businesses(db)
    checked = 0
    for result in imported:
        async with db.session() as session:
            business = await businesses.by_slug(session, slug=result.slug)
        assert business is not None
        for query, filters in await _queries(db, result.business_id, result.slug):
            async with db.session() as session:
                found = await search_products(
                    session,
                    business_id=result.business_id,
                    query=query or None,
                    filters=filters,
                    limit=8,
                )
            if len(found.hits) < 2:
                continue
            reply = views.product_list(found.hits, business, "es", "search_results")
            rows = reply["rows"]
            names = [h.name for h in found.hits]
            titles = [r["title"] for r in rows]
            where = f"{result.slug} {query!r}: {titles}"
            assert len(set(titles)) == len(titles), where
            assert all(0 < len(t) <= ROW_TITLE_MAX for t in titles), where
            assert all(len(r.get("description", "")) <= ROW_DESCRIPTION_MAX for r in rows), where
            for title, name in zip(titles, names, strict=True):
                assert keeps_apart(title, name, names), f"{where}: {title!r} for {name!r}"
            checked += 1
    assert checked > 200  # many lists, not a handful
