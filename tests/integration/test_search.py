"""Catalog search on real Postgres: each matching rule, filters, ranking, scoping, status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.nlu.models import SearchFilters
from whsp_ai.tools.catalog import SearchResult, search_products


def product(sku: str, name: str, price: float = 100, **extra: Any) -> dict[str, Any]:
    return {"sku": sku, "name": name, "price": price, **extra}


HARDWARE = [
    product(
        "DES-CRUZ",
        "Desarmador de cruz",
        65,
        stock=10,
        category="Herramientas",
        aliases=["destornillador phillips"],
    ),
    product("DES-PLANO", "Desarmador plano", 55, stock=0, category="Herramientas"),
    product(
        "BRO-2",
        'Brocha de 2"',
        35,
        stock=5,
        category="Pinturas",
        description="Brocha de cerda natural",
    ),
    product(
        "PIN-BCO-4L",
        "Pintura vinílica blanca 4 L",
        480,
        stock=3,
        category="Pinturas",
        aliases=["pintura blanca"],
    ),
    product("PIN-BCO-19L", "Pintura vinílica blanca 19 L", 1900, stock=2, category="Pinturas"),
    product(
        "PEG-PVC",
        "Pegamento para PVC 250 ml",
        95,
        category="Plomería",
        aliases=["cemento para PVC"],
        description="Pega tubos y conexiones de PVC",
    ),
    product("FOCO-9W", "Foco LED 9 W", 45, stock=40, category="Electricidad", aliases=["bombilla"]),
    product("TALADRO", "Taladro percutor", 1200, status="unconfirmed", category="Herramientas"),
    product("VIEJO", "Martillo antiguo", 90),
]


@pytest.fixture
async def shop(db: Database) -> int:
    result = await make_business(db, products=HARDWARE)
    async with db.session() as session:
        await session.execute(
            text(
                "UPDATE products SET status = 'rejected' WHERE sku = 'VIEJO' AND business_id = :b"
            ),
            {"b": result.business_id},
        )
    return result.business_id


async def find(
    db: Database, business_id: int, query: str | None, filters: SearchFilters | None = None
) -> SearchResult:
    async with db.session() as session:
        return await search_products(
            session, business_id=business_id, query=query, filters=filters, limit=5
        )


def skus(result: SearchResult) -> list[str]:
    return [h.sku for h in result.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # accents and case
        ("PINTURA VINILICA BLANCA 4 L", "PIN-BCO-4L"),
        ("pintura vinílica blanca 4 l", "PIN-BCO-4L"),
        # plurals and stemming
        ("desarmadores de cruz", "DES-CRUZ"),
        ("brochas", "BRO-2"),
        # aliases and synonyms from the catalog
        ("destornillador phillips", "DES-CRUZ"),
        ("bombilla", "FOCO-9W"),
        ("cemento para pvc", "PEG-PVC"),
        # typos: wrong, missing, swapped letters in words of five or more letters
        ("desarmadr de cruz", "DES-CRUZ"),
        ("pintura blanka", "PIN-BCO-4L"),
        ("desramador de cruz", "DES-CRUZ"),
        ("pegamneto pvc", "PEG-PVC"),
        # word order
        ("cruz desarmador", "DES-CRUZ"),
        ("blanca pintura 4 l", "PIN-BCO-4L"),
        # numbers and units written several ways
        ("pintura blanca 4 litros", "PIN-BCO-4L"),
        ("pintura blanca 4L", "PIN-BCO-4L"),
        ("pintura blanca 4000 ml", "PIN-BCO-4L"),
        ("pintura blanca 19 litros", "PIN-BCO-19L"),
        ("brocha de 2 pulgadas", "BRO-2"),
        ("brocha de dos pulgadas", "BRO-2"),
        ("foco de 9 watts", "FOCO-9W"),
    ],
)
async def test_matching_rules(db: Database, shop: int, query: str, expected: str) -> None:
    result = await find(db, shop, query)
    assert result.hits, f"{query!r} found nothing"
    assert result.hits[0].sku == expected, (query, skus(result))


async def test_units_must_agree_exactly(db: Database, shop: int) -> None:
    result = await find(db, shop, "pintura blanca 19 L")
    assert skus(result)[0] == "PIN-BCO-19L"
    four = await find(db, shop, "pintura blanca 4 litros")
    assert skus(four)[0] == "PIN-BCO-4L"


async def test_confidence_tells_exact_likely_weak_and_none(db: Database, shop: int) -> None:
    assert (await find(db, shop, "Desarmador de cruz")).confidence == "exact"
    assert (await find(db, shop, "bombilla")).confidence == "exact"  # an alias is a name
    assert (await find(db, shop, "desarmadr de cruz")).confidence == "likely"
    # one of its names among words the catalog doesn't know: offered, not assumed
    weak = await find(db, shop, "bombilla para el candelabro antiguo del comedor")
    assert weak.confidence == "weak" and skus(weak)[0] == "FOCO-9W"
    none = await find(db, shop, "refrigerador")
    assert none.confidence == "none" and none.hits == []


async def test_exact_name_ranks_first(db: Database, shop: int) -> None:
    result = await find(db, shop, "Pintura vinílica blanca 19 L")
    assert skus(result)[0] == "PIN-BCO-19L" and result.confidence == "exact"
    partial = await find(db, shop, "pintura vinilica blanca")  # both sizes, names alike
    assert set(skus(partial)) == {"PIN-BCO-4L", "PIN-BCO-19L"}  # not every "pintura"


async def test_price_filters_run_in_sql(db: Database, shop: int) -> None:
    cheap = await find(db, shop, "pintura", SearchFilters(max_price=Decimal(500)))
    assert skus(cheap)[0] == "PIN-BCO-4L" and "PIN-BCO-19L" not in skus(cheap)
    dear = await find(db, shop, "pintura", SearchFilters(min_price=Decimal(1000)))
    assert skus(dear) == ["PIN-BCO-19L"]


async def test_category_filter_without_words(db: Database, shop: int) -> None:
    result = await find(db, shop, None, SearchFilters(category="pinturas"))
    assert set(skus(result)) == {"BRO-2", "PIN-BCO-4L", "PIN-BCO-19L"}
    cheapest = await find(db, shop, None, SearchFilters(category="Pinturas", sort="cheapest"))
    assert skus(cheapest) == ["BRO-2", "PIN-BCO-4L", "PIN-BCO-19L"]


async def test_category_filter_does_not_match_names(db: Database, shop: int) -> None:
    # "Pintura…" products are in Pinturas; a brocha is too, but a product merely named
    # after a category word elsewhere is not in it
    result = await find(db, shop, None, SearchFilters(category="Herramientas"))
    assert set(skus(result)) == {"DES-CRUZ", "DES-PLANO", "TALADRO"}


async def test_in_stock_only(db: Database, shop: int) -> None:
    everything = await find(db, shop, "desarmador")
    assert {"DES-CRUZ", "DES-PLANO"} <= set(skus(everything))
    in_stock = await find(db, shop, "desarmador", SearchFilters(in_stock=True))
    assert "DES-PLANO" not in skus(in_stock) and "DES-CRUZ" in skus(in_stock)


async def test_cheapest_of_a_kind(db: Database, shop: int) -> None:
    result = await find(db, shop, "pintura blanca", SearchFilters(sort="cheapest"))
    assert skus(result)[:2] == ["PIN-BCO-4L", "PIN-BCO-19L"]
    result = await find(db, shop, "pintura blanca", SearchFilters(sort="priciest"))
    assert skus(result)[:2] == ["PIN-BCO-19L", "PIN-BCO-4L"]


async def test_rejected_never_appear_and_unconfirmed_are_marked(db: Database, shop: int) -> None:
    assert (await find(db, shop, "martillo antiguo")).hits == []
    assert "VIEJO" not in skus(await find(db, shop, None, SearchFilters(max_price=Decimal(99))))
    taladro = await find(db, shop, "taladro")
    assert skus(taladro) == ["TALADRO"] and taladro.hits[0].status == "unconfirmed"


async def test_scoped_to_one_business(db: Database, shop: int) -> None:
    other = await make_business(
        db,
        2,
        products=[product("OTRO-DES", "Desarmador de cruz", 10), product("SOLO", "Serrucho", 80)],
    )
    mine = await find(db, shop, "desarmador de cruz")
    theirs = await find(db, other.business_id, "desarmador de cruz")
    assert "OTRO-DES" not in skus(mine) and skus(theirs) == ["OTRO-DES"]
    assert (await find(db, shop, "serrucho")).hits == []
    assert "SOLO" not in skus(await find(db, shop, None, SearchFilters(max_price=Decimal(99))))


async def test_business_language_picks_the_stemmer(db: Database) -> None:
    english = await make_business(
        db,
        3,
        language="en",
        products=[product("KETTLE", "Gooseneck kettle", 80, description="Pouring kettles")],
    )
    async with db.session() as session:
        vector = (
            await session.execute(
                text("SELECT search_vector::text FROM products WHERE business_id = :b"),
                {"b": english.business_id},
            )
        ).scalar_one()
    assert "'gooseneck':1A" in vector and "'pour':" in vector  # the english stemmer
    result = await find(db, english.business_id, "kettles")
    assert skus(result) == ["KETTLE"]


async def test_a_language_change_restems_the_catalog(db: Database) -> None:
    first = await make_business(db, 4, products=[product("X", "Pouring kettle", 5)])
    await make_business(db, 4, language="en", products=[product("X", "Pouring kettle", 5)])
    async with db.session() as session:
        vector = (
            await session.execute(
                text("SELECT search_vector::text FROM products WHERE business_id = :b"),
                {"b": first.business_id},
            )
        ).scalar_one()
    assert "'pour':" in vector  # spanish would have kept 'pouring'


async def test_a_renamed_product_is_found_by_its_new_name(
    db: Database, service: httpx.AsyncClient
) -> None:
    created = await make_business(db, products=HARDWARE)
    response = await service.patch(
        "/management/products/DES-PLANO",
        json={"name": "Serrucho de costilla", "aliases": ["serrote"]},
        headers={"Authorization": f"Bearer {created.api_key}"},
    )
    assert response.status_code == 200
    assert skus(await find(db, created.business_id, "serrucho costilla")) == ["DES-PLANO"]
    assert skus(await find(db, created.business_id, "serrote"))[0] == "DES-PLANO"
    assert "DES-PLANO" not in skus(await find(db, created.business_id, "desarmador plano"))


async def test_large_catalogs_get_their_own_hnsw_indexes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whsp_ai.db import vector_indexes as indexes

    monkeypatch.setattr(indexes, "LARGE_CATALOG", 5)
    large = await make_business(db, products=HARDWARE)  # 9 products: indexed at import
    small = await make_business(db, 2, products=HARDWARE[:2])

    async def names() -> set[str]:
        async with db.session() as session:
            rows = await session.execute(
                text("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'products_%_b%'")
            )
            return set(rows.scalars())

    assert await names() == set(indexes.index_names(large.business_id))
    # the small one grows through the API; the periodic task indexes it without blocking
    async with db.session() as session:
        await session.execute(
            text(
                "INSERT INTO products (business_id, sku, name, description, price, aliases, "
                "status, search_names, search_category, search_text) "
                "SELECT :b, 'N' || g, 'Nuevo ' || g, '', 1, '{}', 'confirmed', 'nuevo', '', '' "
                "FROM generate_series(1, 5) g"
            ),
            {"b": small.business_id},
        )
    assert await indexes.ensure_all_vector_indexes(db) == 2
    assert await names() == {
        *indexes.index_names(large.business_id),
        *indexes.index_names(small.business_id),
    }
    assert await indexes.ensure_all_vector_indexes(db) == 0
    # typo search on the indexed catalog still finds it, and stays inside the business
    assert skus(await find(db, large.business_id, "desarmadr de cruz"))[0] == "DES-CRUZ"
    assert "DES-CRUZ" not in skus(await find(db, small.business_id, "desarmadr de cruz"))[1:]
    async with db.session() as session:
        await session.execute(text("SET LOCAL enable_sort = off"))  # so 9 rows use it
        plan = "\n".join(
            (
                await session.execute(
                    text(
                        "EXPLAIN SELECT id FROM products WHERE business_id = CAST(:b AS bigint) "
                        "ORDER BY name_grams <=> (SELECT name_grams FROM products LIMIT 1) "
                        "LIMIT 5"
                    ),
                    {"b": large.business_id},
                )
            ).scalars()
        )
    assert indexes.index_names(large.business_id)[0] in plan


TEA = [
    product("WSK", "Bamboo Whisk", 21, aliases=["chasen", "tea whisk"]),
    product("WHD", "Whisk Holder", 9.5, aliases=["whisk stand"]),
    product("EG", "Earl Grey 100 g", 12, aliases=["earl grey tea"]),
    product("BAGS", "Paper Tea Filters (100 pack)", 4, aliases=["tea bags"]),
]


async def test_the_thing_named_beats_its_accessory(db: Database) -> None:
    tea = await make_business(db, 5, language="en", products=TEA)
    result = await find(db, tea.business_id, "a whisk")
    assert skus(result)[:2] == ["WSK", "WHD"]
    assert result.hits[0].score - result.hits[1].score >= 0.1  # a clear winner, not a tie
    holder = await find(db, tea.business_id, "whisk holder")
    assert skus(holder)[0] == "WHD" and holder.confidence == "exact"


async def test_spelling_variants_and_packaging_words(db: Database, shop: int) -> None:
    tea = await make_business(db, 6, language="en", products=TEA)
    assert skus(await find(db, tea.business_id, "earl gray"))[0] == "EG"
    assert skus(await find(db, tea.business_id, "a box of earl grey"))[0] == "EG"
    # a packaging word alone is not a product: "unicorn tea bags" is not the filters
    assert (await find(db, tea.business_id, "unicorn tea")).hits == []
    result = await find(db, shop, "un rollo de pintura blanca 4 litros")
    assert skus(result)[0] == "PIN-BCO-4L" and result.confidence == "likely"
