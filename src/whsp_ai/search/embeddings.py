"""Product embeddings for search by meaning ("algo para pegar tubos" → PVC cement).

Optional: with WHSP_EMBEDDINGS=off (the default without a Google Cloud project) search
uses words and typos only. With Vertex, `embed_pending` fills `products.embedding` in
batches, in the background (a periodic worker task); the products trigger clears an
embedding when the product's words change, so it is computed again. A product without an
embedding is simply not found by meaning; a failing provider never breaks search.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from sqlalchemy import text

from whsp_ai.db.database import Database
from whsp_ai.db.models import EMBEDDING_DIM
from whsp_ai.settings import Settings
from whsp_ai.text.fold import fold
from whsp_ai.text.search import embedding_text, vector_literal

log = logging.getLogger(__name__)

BATCH = 100  # texts per embeddings request (text-embedding-005 takes up to 250)
TIMEOUT_S = 10.0
QUERY_CACHE = 2048


class QueryEmbedder(Protocol):
    async def embed_query(self, text: str) -> list[float]: ...


class Embedder(QueryEmbedder, Protocol):
    name: str

    async def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


@dataclass
class VertexEmbedder:
    """Vertex AI embeddings through langchain-google-genai, on an httpx client we own."""

    settings: Settings
    credentials: Any = None  # None: application default credentials
    name: str = "vertex"
    _cache: OrderedDict[str, list[float]] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        from langchain_google_genai import GoogleGenerativeAIEmbeddings

        from whsp_ai.vertex_http import genai_client

        assert self.settings.google_cloud_project
        self._http = httpx.AsyncClient(timeout=TIMEOUT_S)
        self._model = GoogleGenerativeAIEmbeddings(
            model=self.settings.embedding_model,
            vertexai=True,
            project=self.settings.google_cloud_project,
            location=self.settings.google_cloud_location,
            credentials=self.credentials,
            output_dimensionality=EMBEDDING_DIM,
        )
        self._model.client = genai_client(self.settings, self._http, self.credentials)

    async def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = await self._model.aembed_documents(
            texts, batch_size=BATCH, task_type="RETRIEVAL_DOCUMENT"
        )
        return [list(v) for v in vectors]

    async def embed_query(self, text: str) -> list[float]:
        key = fold(text)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        vector = list(await self._model.aembed_query(key, task_type="RETRIEVAL_QUERY"))
        self._cache[key] = vector
        if len(self._cache) > QUERY_CACHE:
            self._cache.popitem(last=False)
        return vector

    async def aclose(self) -> None:
        await self._http.aclose()


def make_embedder(settings: Settings) -> Embedder | None:
    if settings.embeddings_provider != "vertex":
        return None
    return VertexEmbedder(settings)


_PENDING = text(
    """
    SELECT id, name, aliases, category, description,
           search_names, search_category, search_text
    FROM products
    WHERE embedding IS NULL AND status <> 'rejected'
      AND (CAST(:business_id AS bigint) IS NULL OR business_id = :business_id)
    ORDER BY id
    LIMIT :batch
    """
)
# Written only if the words are still the ones embedded: an edit in between clears the
# embedding (trigger) and this update then leaves the row for the next run.
_STORE = text(
    """
    UPDATE products SET embedding = CAST(:embedding AS vector)
    WHERE id = :id AND search_names = :search_names
      AND search_category = :search_category AND search_text = :search_text
    """
)


async def embed_pending(
    db: Database,
    embedder: Embedder,
    *,
    business_id: int | None = None,
    batch: int = BATCH,
    max_batches: int = 50,
) -> int:
    """Embed products that have no embedding, `batch` at a time; returns how many were stored.

    Runs outside any customer's transaction; the provider call holds no locks. A failure is
    logged and the rest wait for the next run.
    """
    stored = 0
    for _ in range(max_batches):
        async with db.session() as session:
            rows = (
                await session.execute(_PENDING, {"business_id": business_id, "batch": batch})
            ).all()
        if not rows:
            break
        texts = [embedding_text(r.name, r.aliases, r.category, r.description) for r in rows]
        try:
            vectors = await embedder.embed_documents(texts)
        except Exception as exc:
            log.warning("embedding %d products failed; retrying later: %s", len(rows), exc)
            break
        if len(vectors) != len(rows):
            log.warning("embeddings provider returned %d of %d vectors", len(vectors), len(rows))
            break
        async with db.session() as session:
            result = await session.execute(
                _STORE,
                [
                    {
                        "id": r.id,
                        "embedding": vector_literal(v),
                        "search_names": r.search_names,
                        "search_category": r.search_category,
                        "search_text": r.search_text,
                    }
                    for r, v in zip(rows, vectors, strict=True)
                ],
            )
            stored += int(result.rowcount or 0)  # type: ignore[attr-defined]
        if len(rows) < batch:
            break
    if stored:
        log.info("embedded %d products", stored)
    return stored
