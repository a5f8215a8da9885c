"""The google-genai client every Vertex caller uses (Gemini, embeddings, the eval judge).

Pinned to an httpx client we own: pooled, closed on shutdown, visible to respx in tests
(google-genai would switch to aiohttp if it were installed). No SDK-level retries: each
caller has its own policy (the understander retries then falls back to the offline rules;
the embeddings job retries on its next run; a query skips meaning).
"""

from __future__ import annotations

from typing import Any

import httpx
from google.genai import Client
from google.genai.types import HttpOptions, HttpRetryOptions

from whsp_ai.settings import Settings


def genai_client(settings: Settings, http: httpx.AsyncClient, credentials: Any = None) -> Client:
    """`credentials` None: application default credentials."""
    return Client(
        vertexai=True,
        project=settings.google_cloud_project,
        location=settings.google_cloud_location,
        credentials=credentials,
        http_options=HttpOptions(
            httpx_async_client=http, retry_options=HttpRetryOptions(attempts=1)
        ),
    )
