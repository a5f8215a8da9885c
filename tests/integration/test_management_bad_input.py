"""Input the database cannot hold answers 422 and stores nothing (issue 10, items 4-6).

Integers past their column (BIGINT ids and limits, INTEGER stock, NUMERIC(12,2) prices), text
with NUL or a lone surrogate, and SKUs that cannot be used in a URL path.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.factories import make_business
from whsp_ai.db.database import Database

INT8_OVER = 2**63
INT4_OVER = 2**31
GOOD = {"sku": "ROSCA", "name": "Rosca de reyes", "price": 350, "stock": 5}


@pytest.fixture
async def key(db: Database) -> str:
    result = await make_business(db, 1)
    assert result.api_key
    return result.api_key


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def raw(body: dict[str, object]) -> str:
    """JSON as a client writes it: a lone surrogate as its \\u escape (httpx's json= can't)."""
    return json.dumps(body)


async def skus(service: httpx.AsyncClient, key: str) -> set[str]:
    response = await service.get("/management/products", headers=auth(key))
    assert response.status_code == 200
    return {p["sku"] for p in response.json()}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/management/products", {"limit": INT8_OVER}),
        ("/management/products", {"offset": INT8_OVER}),
        ("/management/orders", {"limit": INT8_OVER}),
        ("/sandbox/messages", {"after_id": INT8_OVER}),
    ],
)
async def test_query_integers_past_bigint_are_422(
    service: httpx.AsyncClient, key: str, path: str, params: dict[str, int]
) -> None:
    response = await service.get(path, params=params, headers=auth(key))
    assert response.status_code == 422, response.text
    edge = {name: INT8_OVER - 1 for name in params}
    assert (await service.get(path, params=edge, headers=auth(key))).status_code == 200


async def test_approval_id_past_bigint_is_422(service: httpx.AsyncClient, key: str) -> None:
    body = {"approval_id": INT8_OVER, "decision": "reject"}
    response = await service.post("/management/inventory_response", json=body, headers=auth(key))
    assert response.status_code == 422, response.text
    assert "approval_id" in response.text


@pytest.mark.parametrize(
    "change",
    [
        {"stock": INT4_OVER},
        {"price": 10**10},  # NUMERIC(12,2) holds 9,999,999,999.99 at most
        {"price": 1.005},  # a fraction of a cent
    ],
)
async def test_numbers_past_their_column_are_422_and_store_nothing(
    service: httpx.AsyncClient, key: str, change: dict[str, object]
) -> None:
    created = await service.post("/management/products", json={**GOOD, **change}, headers=auth(key))
    assert created.status_code == 422, created.text
    assert "ROSCA" not in await skus(service, key)
    patched = await service.patch("/management/products/CONCHA", json=change, headers=auth(key))
    assert patched.status_code == 422, patched.text
    answer = {"approval_id": 1, "decision": "confirm", **change}
    answered = await service.post("/management/inventory_response", json=answer, headers=auth(key))
    assert answered.status_code == 422, answered.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sku", "RO\x00SCA"),
        ("name", "Rosca\x00"),
        ("description", "con\x00nata"),
        ("aliases", ["ros\x00ca"]),
        ("name", "Rosca \ud83d"),  # half an emoji: a lone surrogate
        ("description", "\udc00"),
    ],
)
async def test_text_postgres_cannot_hold_is_422_and_stores_nothing(
    service: httpx.AsyncClient, key: str, field: str, value: object
) -> None:
    created = await service.post(
        "/management/products", content=raw({**GOOD, field: value}), headers=auth(key)
    )
    assert created.status_code == 422, created.text
    assert field in created.text
    assert "ROSCA" not in await skus(service, key)
    if field != "sku":
        patched = await service.patch(
            "/management/products/CONCHA", content=raw({field: value}), headers=auth(key)
        )
        assert patched.status_code == 422, patched.text
        concha = await service.get("/management/products", headers=auth(key))
        assert next(p for p in concha.json() if p["sku"] == "CONCHA")["name"] == (
            "Concha de vainilla"
        )


@pytest.mark.parametrize(
    "sku",
    ["A/B", "A?B", "A#B", "50%", "A\tB", "A\nB", "   ", " ROSCA", "ROSCA ", ".", ".."],
)
async def test_skus_unusable_in_a_path_are_422(
    service: httpx.AsyncClient, key: str, sku: str
) -> None:
    created = await service.post(
        "/management/products", json={**GOOD, "sku": sku}, headers=auth(key)
    )
    assert created.status_code == 422, created.text
    assert "sku" in created.text
    assert await skus(service, key) == {"PAN-INT-500", "CONCHA", "PASTEL-3L"}


async def test_every_accepted_sku_can_be_patched(service: httpx.AsyncClient, key: str) -> None:
    for sku in ("PAN INT 500", "café-1", "A.B", "x_y~z", "Ñ+1"):
        created = await service.post(
            "/management/products", json={**GOOD, "sku": sku}, headers=auth(key)
        )
        assert created.status_code == 201, created.text
        path = "/management/products/" + httpx.URL(sku).raw_path.decode()
        patched = await service.patch(path, json={"stock": 9}, headers=auth(key))
        assert patched.status_code == 200 and patched.json()["sku"] == sku, (sku, patched.text)


async def test_a_path_sku_postgres_cannot_hold_is_a_404(
    service: httpx.AsyncClient, key: str
) -> None:
    response = await service.patch(
        "/management/products/A%00B", json={"stock": 1}, headers=auth(key)
    )
    assert response.status_code == 404, response.text


async def test_sandbox_recipient_with_nul_is_422(service: httpx.AsyncClient, key: str) -> None:
    response = await service.get("/sandbox/messages", params={"to": "52\x0055"}, headers=auth(key))
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "path",
    [
        "/management/products?limit=1&limit=5",
        "/management/orders?limit=2&limit=3",
        "/management/approvals?status=pending&status=rejected",
        "/sandbox/messages?after_id=1&after_id=768",
    ],
)
async def test_a_query_parameter_given_twice_is_422(
    service: httpx.AsyncClient, key: str, path: str
) -> None:
    response = await service.get(path, headers=auth(key))
    assert response.status_code == 422, response.text
    single = path.rsplit("&", 1)[0]
    assert (await service.get(single, headers=auth(key))).status_code == 200
