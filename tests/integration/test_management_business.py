"""GET / PATCH /management/business: the file's fields, validated like the file, effective
from the next message, one business per key."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import make_business
from tests.whatsapp import Phone
from whsp_ai.db.database import Database

PNID = "110000000000001"
CUSTOMER = "5215512340001"


@pytest.fixture
async def keys(db: Database) -> tuple[str, str]:
    a = await make_business(db, 1, whatsapp={"phone_number_id": PNID})
    b = await make_business(db, 2, whatsapp={"phone_number_id": "110000000000002"})
    assert a.api_key and b.api_key
    return a.api_key, b.api_key


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_get_shows_the_file_without_secrets(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    assert (await service.get("/management/business")).status_code == 401
    assert (await service.patch("/management/business", json={"name": "X"})).status_code == 401
    got = await service.get("/management/business", headers=auth(keys[0]))
    assert got.status_code == 200
    body = got.json()
    assert body["slug"] == "panaderia-rosa"
    assert body["whatsapp"] == {"phone_number_id": PNID, "templates": {}}  # no token
    assert set(body) >= {"persona", "checkout", "info", "faq", "language", "currency"}
    assert "products" not in body and "api_key_hash" not in body
    assert "access_token" not in str(body)


async def test_patch_changes_one_business_only(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    mine, theirs = keys
    faq = [{"q": "¿Hacen pasteles de boda?", "a": "Sí, con una semana de anticipación."}]
    info = {"timezone": "America/Mexico_City", "hours": {"mon": "08:00-20:00", "sun": "closed"}}
    done = await service.patch(
        "/management/business", json={"faq": faq, "info": info}, headers=auth(mine)
    )
    assert done.status_code == 200, done.text
    assert done.json()["faq"] == faq and done.json()["info"]["hours"]["mon"] == "08:00-20:00"
    other = (await service.get("/management/business", headers=auth(theirs))).json()
    assert other["faq"] == [] and not other["info"].get("hours")
    again = (await service.get("/management/business", headers=auth(mine))).json()
    assert again["faq"] == faq and again["name"] == "Panadería Rosa"  # untouched fields kept


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"info": {"hours": {"mon": "9-5"}}}, "hours"),
        ({"info": {"timezone": "Mars/Olympus"}}, "timezone"),
        ({"faq": [{"q": "sin respuesta"}]}, "a"),
        ({"checkout": {"payment_methods": []}}, "payment_methods"),
        ({"language": "fr"}, "language"),
        ({"name": None}, "name"),
        ({"slug": "otro"}, "slug"),
    ],
)
async def test_patch_refuses_what_the_file_refuses(
    service: httpx.AsyncClient, keys: tuple[str, str], body: dict[str, object], field: str
) -> None:
    before = (await service.get("/management/business", headers=auth(keys[0]))).json()
    refused = await service.patch("/management/business", json=body, headers=auth(keys[0]))
    assert refused.status_code == 422
    assert field in str([e["loc"] for e in refused.json()["detail"]])
    after = (await service.get("/management/business", headers=auth(keys[0]))).json()
    assert after == before


async def test_a_patched_faq_answers_the_next_message(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("hola")  # the business is now cached by the engine
    faq = [{"q": "¿Hacen pasteles de boda?", "a": "Sí, con una semana de anticipación."}]
    done = await service.patch("/management/business", json={"faq": faq}, headers=auth(keys[0]))
    assert done.status_code == 200
    replies = await phone.say("oye, hacen pasteles de boda?")
    assert "una semana de anticipación" in replies[0]["text"]
    fee = {"payment_methods": ["efectivo"], "delivery_fee": 45, "free_delivery_over": 500}
    done = await service.patch(
        "/management/business", json={"checkout": fee}, headers=auth(keys[0])
    )
    assert done.status_code == 200 and done.json()["checkout"]["delivery_fee"] == 45
    replies = await phone.say("cuanto cobran de envio?")
    assert "$45.00 MXN" in replies[0]["text"] and "$500.00 MXN" in replies[0]["text"]


async def test_an_unknown_question_is_listed_as_a_question_approval(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    phone = Phone(service, PNID, CUSTOMER)
    replies = await phone.say("¿están contratando personal?")
    assert "pregunté" in replies[0]["text"]
    listed = await service.get("/management/approvals?status=pending", headers=auth(keys[0]))
    assert listed.status_code == 200, listed.text
    [approval] = listed.json()
    assert approval["kind"] == "question" and approval["customer_wa_id"] == CUSTOMER
    assert approval["query"] == "¿están contratando personal?" and approval["product"] is None
