"""The Vertex provider through respx at the real generateContent URL: a turn, retries, fallback."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from google.oauth2.credentials import Credentials

from tests.factories import make_business
from whsp_ai.db.database import Database
from whsp_ai.db.repositories import carts, customers
from whsp_ai.graph.engine import Engine
from whsp_ai.graph.services import Services, install
from whsp_ai.nlu.provider import OfflineUnderstander
from whsp_ai.nlu.vertex import VertexUnderstander
from whsp_ai.settings import Settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "vertex"
PROJECT, LOCATION, MODEL = "whsp-test", "us-central1", "gemini-2.5-flash"
URL = (
    f"https://{LOCATION}-aiplatform.googleapis.com/v1beta1/projects/{PROJECT}/locations/"
    f"{LOCATION}/publishers/google/models/{MODEL}:generateContent"
)
WA = "5215500001111"


def fixture(name: str) -> dict[str, object]:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
async def vertex(db: Database, settings: Settings) -> tuple[Engine, VertexUnderstander]:
    vertex_settings = settings.model_copy(
        update={"llm_provider": "vertex", "google_cloud_project": PROJECT, "gemini_model": MODEL}
    )
    understander = VertexUnderstander(
        vertex_settings, fallback=OfflineUnderstander(), credentials=Credentials(token="ya29.test")
    )
    services = Services(db, understander, vertex_settings)
    install(services)
    return await Engine.create(services), understander


async def cart_of(db: Database, business_id: int) -> dict[str, int]:
    async with db.session() as s:
        customer = await customers.by_wa_id(s, business_id=business_id, wa_id=WA)
        assert customer is not None and customer.id is not None
        lines = await carts.lines(s, business_id=business_id, customer_id=customer.id)
    return {line.sku: line.quantity for line in lines}


async def test_a_turn_through_vertex(
    db: Database, vertex: tuple[Engine, VertexUnderstander], respx_mock: respx.MockRouter
) -> None:
    engine, understander = vertex
    biz = (await make_business(db)).business_id
    route = respx_mock.post(URL).mock(
        return_value=httpx.Response(200, json=fixture("function_call_add.json"))
    )
    result = await engine.handle(business_id=biz, customer_wa_id=WA, text="échame dos conchitas")
    assert route.call_count == 1
    assert await cart_of(db, biz) == {"CONCHA": 2}
    assert "Concha de vainilla" in result.replies[0]["text"]
    sent = json.loads(route.calls[0].request.content)
    assert sent["tools"][0]["functionDeclarations"][0]["name"] == "understand_message"
    system = json.dumps(sent.get("systemInstruction", {}), ensure_ascii=False)
    assert "Panadería Rosa" in system and "efectivo" in system
    assert "échame dos conchitas" in json.dumps(sent["contents"], ensure_ascii=False)
    assert route.calls[0].request.headers["authorization"] == "Bearer ya29.test"
    assert (understander.usage.calls, understander.usage.input_tokens) == (1, 912)
    assert understander.usage.output_tokens == 38 and understander.usage.fallbacks == 0


async def test_retry_after_a_server_error(
    db: Database, vertex: tuple[Engine, VertexUnderstander], respx_mock: respx.MockRouter
) -> None:
    engine, understander = vertex
    biz = (await make_business(db)).business_id
    route = respx_mock.post(URL).mock(
        side_effect=[
            httpx.Response(
                503,
                json={"error": {"code": 503, "message": "unavailable", "status": "UNAVAILABLE"}},
            ),
            httpx.Response(200, json=fixture("function_call_add.json")),
        ]
    )
    await engine.handle(business_id=biz, customer_wa_id=WA, text="dos conchas")
    assert route.call_count == 2
    assert await cart_of(db, biz) == {"CONCHA": 2}
    assert understander.usage.fallbacks == 0


@pytest.mark.parametrize(
    "responses",
    [
        [httpx.Response(429, json=fixture("error_429.json"))] * 2,
        [httpx.Response(200, json=fixture("text_only.json"))] * 2,
        [httpx.Response(200, text="<html>gateway</html>")] * 2,
        [httpx.ConnectTimeout("timed out")] * 2,
    ],
    ids=["429", "no-function-call", "not-json", "timeout"],
)
async def test_failures_fall_back_to_offline(
    db: Database,
    vertex: tuple[Engine, VertexUnderstander],
    responses: list[object],
    respx_mock: respx.MockRouter,
) -> None:
    engine, understander = vertex
    biz = (await make_business(db)).business_id
    route = respx_mock.post(URL).mock(side_effect=responses)
    result = await engine.handle(business_id=biz, customer_wa_id=WA, text="agrega 2 conchas")
    assert route.call_count == 2  # the retry budget, then the offline rules
    assert understander.usage.fallbacks == 1
    assert await cart_of(db, biz) == {"CONCHA": 2}
    assert result.replies and "Traceback" not in result.replies[0]["text"]
