"""The owner management API (CONTRACT §5) and approvals answered from the API or WhatsApp."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import make_business
from tests.whatsapp import Phone, tap
from whsp_ai.db.database import Database

PNID = "110000000000001"
OWNER = "5215512345678"
CUSTOMER = "5215512340001"


@pytest.fixture
async def shop(db: Database) -> tuple[int, str, str]:
    """Two sandboxed businesses; returns (business id, its key, the other's key)."""
    a = await make_business(db, 1, whatsapp={"phone_number_id": PNID})
    b = await make_business(db, 2, whatsapp={"phone_number_id": "110000000000002"})
    assert a.api_key and b.api_key
    return a.business_id, a.api_key, b.api_key


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_keys_are_required_and_scoped(
    service: httpx.AsyncClient, shop: tuple[int, str, str]
) -> None:
    _, key, other = shop
    assert (await service.get("/management/orders")).status_code == 401
    bad = await service.get("/management/orders", headers=auth("whsp_not-a-key"))
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    mine = (await service.get("/management/products", headers=auth(key))).json()
    theirs = (await service.get("/management/products", headers=auth(other))).json()
    assert {p["sku"] for p in mine} == {p["sku"] for p in theirs}  # same file, separate rows
    patched = await service.patch(
        "/management/products/CONCHA", json={"price": 15}, headers=auth(key)
    )
    assert patched.status_code == 200 and patched.json()["price"] == 15
    theirs = (await service.get("/management/products", headers=auth(other))).json()
    assert next(p for p in theirs if p["sku"] == "CONCHA")["price"] == 12.5


async def test_products_create_update_and_validation(
    service: httpx.AsyncClient, shop: tuple[int, str, str]
) -> None:
    _, key, _ = shop
    new = {"sku": "ROSCA", "name": "Rosca de reyes", "price": 350, "stock": 5, "aliases": ["rosca"]}
    created = await service.post("/management/products", json=new, headers=auth(key))
    assert created.status_code == 201 and created.json()["status"] == "confirmed"
    assert (
        await service.post("/management/products", json=new, headers=auth(key))
    ).status_code == 409
    bad = await service.post(
        "/management/products", json={**new, "sku": "X", "price": -1}, headers=auth(key)
    )
    assert bad.status_code == 422 and "price" in str(bad.json())
    assert (
        await service.patch("/management/products/NOPE", json={"stock": 1}, headers=auth(key))
    ).status_code == 404
    unknown_field = await service.patch(
        "/management/products/ROSCA", json={"colour": "red"}, headers=auth(key)
    )
    assert unknown_field.status_code == 422


async def test_approval_answered_over_the_api_reaches_the_customer(
    service: httpx.AsyncClient, shop: tuple[int, str, str]
) -> None:
    _, key, other = shop
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("quiero 2 pasteles tres leches")
    owner = Phone(service, PNID, OWNER)
    notice = await owner.replies()
    assert "Pastel tres leches" in notice[0]["text"]
    [approval] = (
        await service.get("/management/approvals?status=pending", headers=auth(key))
    ).json()
    assert approval["kind"] == "unconfirmed_product"
    assert approval["product"] == {"sku": "PASTEL-3L", "name": "Pastel tres leches"}
    assert approval["customer_wa_id"] == CUSTOMER
    body = {"approval_id": approval["id"], "decision": "confirm", "price": 330, "stock": 6}
    foreign = await service.post("/management/inventory_response", json=body, headers=auth(other))
    assert foreign.status_code == 404
    answered = await service.post("/management/inventory_response", json=body, headers=auth(key))
    assert answered.status_code == 200, answered.text
    assert answered.json()["added_to_cart"] == 2
    again = await service.post("/management/inventory_response", json=body, headers=auth(key))
    assert again.status_code == 409
    told = await phone.replies()
    assert "$330.00 MXN" in told[0]["text"]
    view = await phone.say("qué llevo")
    assert "2 × Pastel tres leches" in view[0]["text"]
    assert (
        await service.get("/management/approvals?status=pending", headers=auth(key))
    ).json() == []


async def test_approval_answered_by_the_owners_whatsapp_button(
    service: httpx.AsyncClient, shop: tuple[int, str, str]
) -> None:
    _, key, _ = shop
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("quiero un pastel tres leches")
    owner = Phone(service, PNID, OWNER)
    await owner.replies()
    done = await owner.tap("Rechazar")
    assert "rechazada" in done[0]["text"]
    told = await phone.replies()
    assert "no tiene" in told[0]["text"]
    [approval] = (await service.get("/management/approvals", headers=auth(key))).json()
    assert approval["status"] == "rejected"
    products = (await service.get("/management/products", headers=auth(key))).json()
    assert next(p for p in products if p["sku"] == "PASTEL-3L")["status"] == "rejected"
    # the owner taps the same button again: politely refused, nothing changes
    again = await owner.post(tap(OWNER, f"approval:{approval['id']}:confirm", "Confirmar"))
    assert again.status_code == 200
    assert "ya estaba respondida" in (await owner.replies())[0]["text"]


async def test_bad_inventory_bodies_are_422(
    service: httpx.AsyncClient, shop: tuple[int, str, str]
) -> None:
    _, key, _ = shop
    for body in (
        {"approval_id": 1, "decision": "maybe"},
        {"decision": "confirm"},
        {"approval_id": 1, "decision": "confirm", "price": -5},
    ):
        response = await service.post(
            "/management/inventory_response", json=body, headers=auth(key)
        )
        assert response.status_code == 422
    missing = await service.post(
        "/management/inventory_response",
        json={"approval_id": 999, "decision": "reject"},
        headers=auth(key),
    )
    assert missing.status_code == 404


async def test_spanish_order_made_of_taps_and_listed_for_the_owner(
    service: httpx.AsyncClient, db: Database
) -> None:
    from tests.conversation import demo_ids

    ids = await demo_ids(db)
    from sqlmodel import select

    from whsp_ai.db.models import Business

    async with db.session() as s:
        store = (
            await s.execute(select(Business).where(Business.id == ids["ferreteria-don-pepe"]))
        ).scalar_one()
        key = "whsp_test-key-for-demo"
        from whsp_ai.db.api_keys import hash_api_key

        store.api_key_hash = hash_api_key(key)
    phone = Phone(service, store.phone_number_id, "5215598765432")
    await phone.say("hola")
    await phone.tap("Herramientas")
    await phone.tap("Martillo de uña 16 oz")
    await phone.tap("Agregar")
    await phone.tap("Agregar")
    await phone.tap("Pagar")
    await phone.tap("Continuar")
    await phone.say("Calle Madero 20, Centro, CDMX")
    await phone.tap("Tarjeta")
    placed = await phone.tap("Confirmar")
    assert "confirmado" in placed[0]["text"]
    [order] = (await service.get("/management/orders", headers=auth(key))).json()
    assert order["customer_wa_id"] == "5215598765432"
    assert order["items"] == [
        {
            "sku": "HER-MAR-16OZ",
            "name": "Martillo de uña 16 oz",
            "quantity": 2,
            "unit_price": 189,
        }
    ]
    assert (order["subtotal"], order["delivery_fee"], order["total"]) == (378, 60, 438)
    assert (order["payment_method"], order["currency"]) == ("tarjeta", "MXN")
    assert order["delivery_address"] == "Calle Madero 20, Centro, CDMX"
    sandbox = await service.get(
        "/sandbox/messages", params={"to": "5215598765432"}, headers=auth(key)
    )
    assert sandbox.status_code == 200 and any(
        "confirmado" in m["message"]["text"] for m in sandbox.json()
    )


async def test_patch_refuses_nulls_but_stock_null_means_untracked(
    service: httpx.AsyncClient, shop: tuple[int, str, str]
) -> None:
    _, key, _ = shop
    for field in ("name", "price", "aliases", "description"):
        response = await service.patch(
            "/management/products/CONCHA", json={field: None}, headers=auth(key)
        )
        assert response.status_code == 422, field
    untracked = await service.patch(
        "/management/products/CONCHA", json={"stock": None}, headers=auth(key)
    )
    assert untracked.status_code == 200 and untracked.json()["stock"] is None
