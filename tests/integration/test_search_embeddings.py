"""Search by meaning: Vertex embeddings through respx at the real URL; present, absent, failing.

The fake Vertex maps each text to a direction by the concept words in it, so "algo para unir
tuberías" lands next to the PVC cement although they share no word.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from google.oauth2.credentials import Credentials
from sqlalchemy import text

from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.db.models import EMBEDDING_DIM
from whsp_ai.search import embeddings
from whsp_ai.search.embeddings import VertexEmbedder, embed_pending
from whsp_ai.settings import Settings
from whsp_ai.tools.catalog import search_products

PROJECT, LOCATION, MODEL = "whsp-test", "us-central1", "text-embedding-005"
URL = (
    f"https://{LOCATION}-aiplatform.googleapis.com/v1beta1/projects/{PROJECT}/locations/"
    f"{LOCATION}/publishers/google/models/{MODEL}:predict"
)
CONCEPTS = [("pvc", "tuber", "pegar", "unir"), ("foco", "luz", "ilumin"), ("martillo", "clavar")]
PRODUCTS = [
    {"sku": "PEG-PVC", "name": "Pegamento para PVC 250 ml", "price": 95},
    {"sku": "FOCO", "name": "Foco LED 9 W", "price": 45, "description": "Luz cálida"},
    {"sku": "MART", "name": "Martillo de uña", "price": 150},
]


def direction(content: str) -> list[float]:
    vector = [0.0] * EMBEDDING_DIM
    for i, words in enumerate(CONCEPTS):
        if any(w in content.lower() for w in words):
            vector[i] = 1.0
    vector[EMBEDDING_DIM - 1] = 0.05  # never a zero vector
    return vector


def vertex_predict(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    predictions = [
        {
            "embeddings": {
                "values": direction(instance["content"]),
                "statistics": {"token_count": len(instance["content"].split()), "truncated": False},
            }
        }
        for instance in body["instances"]
    ]
    return httpx.Response(
        200, json={"predictions": predictions, "metadata": {"billableCharacterCount": 42}}
    )


@pytest.fixture
def embedder(settings: Settings) -> VertexEmbedder:
    configured = settings.model_copy(
        update={"google_cloud_project": PROJECT, "embeddings_provider": "vertex"}
    )
    return VertexEmbedder(configured, credentials=Credentials(token="ya29.test"))


@pytest.fixture
async def shop(db: Database) -> int:
    return (await make_business(db, products=PRODUCTS)).business_id


async def stored(db: Database, business_id: int) -> dict[str, bool]:
    async with db.session() as session:
        rows = await session.execute(
            text("SELECT sku, embedding IS NOT NULL FROM products WHERE business_id = :b"),
            {"b": business_id},
        )
        return {sku: has for sku, has in rows}


async def search(db: Database, business_id: int, query: str, **kwargs: Any) -> list[str]:
    async with db.session() as session:
        result = await search_products(session, business_id=business_id, query=query, **kwargs)
    return [h.sku for h in result.hits]


async def test_products_are_embedded_in_batches_at_the_vertex_url(
    db: Database, shop: int, embedder: VertexEmbedder, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(URL).mock(side_effect=vertex_predict)
    assert await embed_pending(db, embedder, batch=2) == 3
    assert await stored(db, shop) == {"PEG-PVC": True, "FOCO": True, "MART": True}
    assert route.call_count == 2  # 2 + 1
    first = json.loads(route.calls[0].request.content)
    assert first["parameters"]["outputDimensionality"] == EMBEDDING_DIM
    assert {i["task_type"] for i in first["instances"]} == {"RETRIEVAL_DOCUMENT"}
    assert "Pegamento para PVC 250 ml" in first["instances"][0]["content"]
    assert await embed_pending(db, embedder) == 0  # nothing left: no call
    assert route.call_count == 2


async def test_meaning_finds_what_words_cannot(
    db: Database, shop: int, embedder: VertexEmbedder, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(URL).mock(side_effect=vertex_predict)
    await embed_pending(db, embedder)
    query = "algo para unir tuberías"
    assert await search(db, shop, query) == []  # no shared words
    async with db.session() as session:
        result = await search_products(session, business_id=shop, query=query, embedder=embedder)
    assert [h.sku for h in result.hits] == ["PEG-PVC"]
    assert result.confidence == "weak"  # by meaning alone: "did you mean…", never assumed


async def test_words_still_win_over_meaning(
    db: Database, shop: int, embedder: VertexEmbedder, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(URL).mock(side_effect=vertex_predict)
    await embed_pending(db, embedder)
    async with db.session() as session:
        result = await search_products(
            session, business_id=shop, query="martillo de uña", embedder=embedder
        )
    assert result.hits[0].sku == "MART" and result.confidence == "exact"


async def test_missing_embeddings_never_break_search(
    db: Database, shop: int, embedder: VertexEmbedder, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(URL).mock(side_effect=vertex_predict)
    assert await stored(db, shop) == {"PEG-PVC": False, "FOCO": False, "MART": False}
    assert await search(db, shop, "foco led", embedder=embedder) == ["FOCO"]
    assert await search(db, shop, "algo para unir tuberías", embedder=embedder) == []


async def test_a_failing_provider_never_breaks_search(
    db: Database, shop: int, embedder: VertexEmbedder, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(503, json={"error": {"code": 503}}))
    assert await search(db, shop, "foco led", embedder=embedder) == ["FOCO"]
    assert await embed_pending(db, embedder) == 0  # logged; retried on the next run
    assert not any((await stored(db, shop)).values())
    respx_mock.post(URL).mock(side_effect=httpx.ConnectTimeout("slow"))
    assert await search(db, shop, "martillo", embedder=embedder) == ["MART"]


async def test_a_slow_provider_is_not_waited_for(
    db: Database,
    shop: int,
    embedder: VertexEmbedder,
    respx_mock: respx.MockRouter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio

    from whsp_ai.tools import catalog

    async def slow(_: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200)

    monkeypatch.setattr(catalog, "QUERY_EMBED_TIMEOUT_S", 0.1)
    respx_mock.post(URL).mock(side_effect=slow)
    assert await search(db, shop, "foco led", embedder=embedder) == ["FOCO"]


async def test_changed_words_are_embedded_again(
    db: Database, shop: int, embedder: VertexEmbedder, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(URL).mock(side_effect=vertex_predict)
    await embed_pending(db, embedder)
    async with db.session() as session:
        await session.execute(  # a stock change keeps the embedding; a new name drops it
            text("UPDATE products SET stock = 3 WHERE sku = 'MART' AND business_id = :b"),
            {"b": shop},
        )
    await make_business(db, products=[{**PRODUCTS[1], "name": "Foco LED 12 W"}, *PRODUCTS[::2]])
    assert await stored(db, shop) == {"PEG-PVC": True, "FOCO": False, "MART": True}
    calls = route.call_count
    assert await embed_pending(db, embedder) == 1
    sent = json.loads(route.calls[calls].request.content)["instances"]
    assert [i["content"] for i in sent] == ["Foco LED 12 W. Luz cálida"]


async def test_an_edit_during_embedding_is_not_overwritten(
    db: Database, shop: int, embedder: VertexEmbedder, respx_mock: respx.MockRouter
) -> None:
    def edit_then_answer(request: httpx.Request) -> httpx.Response:
        import psycopg

        with psycopg.connect(db.url, autocommit=True) as conn:  # the owner renames it meanwhile
            conn.execute(
                "UPDATE products SET name = 'Foco LED 12 W', search_names = 'foco led 12w' "
                "WHERE sku = 'FOCO'"
            )
        return vertex_predict(request)

    respx_mock.post(URL).mock(side_effect=edit_then_answer)
    assert await embed_pending(db, embedder, max_batches=1) == 2
    assert (await stored(db, shop))["FOCO"] is False  # embedded from stale words: dropped


def test_embeddings_are_off_without_a_project(settings: Settings) -> None:
    assert embeddings.make_embedder(settings) is None
    on = Settings(GOOGLE_CLOUD_PROJECT=PROJECT, LLM_PROVIDER="offline")
    assert isinstance(embeddings.make_embedder(on), VertexEmbedder)
    off = Settings(GOOGLE_CLOUD_PROJECT=PROJECT, WHSP_EMBEDDINGS="off")
    assert embeddings.make_embedder(off) is None
