"""Approvals shared by every customer who asks the same thing (issue 13 §2, CONTRACT §5-6):
one notice to the owner, everyone told the outcome in their own language, a daily cap."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select

from tests.factories import make_business
from tests.whatsapp import Phone
from whsp_ai.db.database import Database
from whsp_ai.db.models import Customer

PNID = "110000000000001"
OWNER = "5215512345678"
ANA, BETO, CARL = "5215512340001", "5215512340002", "5215512340003"


@pytest.fixture
async def shop(db: Database) -> tuple[int, str]:
    made = await make_business(db, 1, whatsapp={"phone_number_id": PNID})
    assert made.api_key
    return made.business_id, made.api_key


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def approvals(service: httpx.AsyncClient, key: str, status: str = "") -> list[dict]:  # type: ignore[type-arg]
    query = f"?status={status}" if status else ""
    response = await service.get(f"/management/approvals{query}", headers=auth(key))
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_three_customers_share_one_new_product_approval_and_one_notice(
    service: httpx.AsyncClient, shop: tuple[int, str]
) -> None:
    _, key = shop
    ana, beto, carl = (Phone(service, PNID, who) for who in (ANA, BETO, CARL))
    owner = Phone(service, PNID, OWNER)
    await ana.say("¿tienen velas de cumpleaños?")
    await beto.say("do you have velas de cumpleanos?")  # English, no accent
    told_carl = await carl.say("agrega 2 velas de cumpleaño")  # a typo, and a wish to add
    assert "velas" in told_carl[0]["text"].lower()
    [approval] = await approvals(service, key, "pending")
    assert approval["kind"] == "new_product"
    assert approval["customer_wa_id"] == ANA
    assert approval["customers"] == [ANA, BETO, CARL]
    assert approval["number"] == 1
    notices = await owner.replies()
    assert len(notices) == 1, notices  # not once per customer
    assert "> " in notices[0]["text"] and "velas de cumplea" in notices[0]["text"].lower()

    body = {"approval_id": approval["id"], "decision": "confirm", "price": 25, "stock": 10}
    answered = await service.post("/management/inventory_response", json=body, headers=auth(key))
    assert answered.status_code == 200, answered.text
    assert "Buenas noticias" in (await ana.replies())[0]["text"]
    assert "Good news" in (await beto.replies())[0]["text"]  # in the language he wrote in
    carl_told = (await carl.replies())[0]["text"]
    assert "Lo agregué a tu carrito (2)" in carl_told
    assert "2 ×" in (await carl.say("qué llevo"))[0]["text"]
    assert "×" not in (await ana.say("qué llevo"))[0]["text"]  # she only asked


async def test_customers_of_an_unconfirmed_product_share_its_approval(
    service: httpx.AsyncClient, shop: tuple[int, str]
) -> None:
    _, key = shop
    ana, beto = Phone(service, PNID, ANA), Phone(service, PNID, BETO)
    await ana.say("quiero 2 pasteles tres leches")
    await beto.say("¿tienen pastel tres leches?")
    await ana.say("mejor quiero 3 pasteles tres leches")  # asked again: still one row
    [approval] = await approvals(service, key, "pending")
    assert approval["customers"] == [ANA, BETO]
    body = {"approval_id": approval["id"], "decision": "confirm", "price": 330}
    answered = await service.post("/management/inventory_response", json=body, headers=auth(key))
    assert answered.status_code == 200, answered.text
    assert answered.json()["added_to_cart"] == 3
    assert "(3)" in (await ana.replies())[0]["text"]
    beto_told = await beto.replies()
    assert "¿Lo agrego?" in beto_told[0]["text"]


async def test_a_customer_is_capped_at_three_open_requests_a_day(
    service: httpx.AsyncClient, shop: tuple[int, str]
) -> None:
    _, key = shop
    ana, beto = Phone(service, PNID, ANA), Phone(service, PNID, BETO)
    for thing in ("velas de cumpleaños", "globos metálicos", "platos desechables"):
        await ana.say(f"¿tienen {thing}?")
    capped = await ana.say("¿tienen servilletas de papel?")
    assert "ya tiene tus solicitudes" in capped[0]["text"]
    pending = await approvals(service, key, "pending")
    assert len(pending) == 3
    assert all(a["customers"] == [ANA] for a in pending)
    # joining someone else's request counts too; another customer is not capped by Ana
    assert "ya tiene tus solicitudes" in (await ana.say("tienen piñatas?"))[0]["text"]
    await beto.say("¿tienen servilletas de papel?")
    assert len(await approvals(service, key, "pending")) == 4


async def test_the_language_a_customer_writes_in_is_stored(
    service: httpx.AsyncClient, shop: tuple[int, str], db: Database
) -> None:
    beto = Phone(service, PNID, BETO)
    await beto.say("hi, do you have any bread?")
    async with db.session() as session:
        customer = (
            await session.execute(select(Customer).where(Customer.wa_id == BETO))
        ).scalar_one()
    assert customer.locale == "en"
    await beto.say("hola, ¿tienen conchas?")
    async with db.session() as session:
        again = (
            await session.execute(select(Customer.locale).where(Customer.wa_id == BETO))
        ).scalar_one()
    assert again == "es"
