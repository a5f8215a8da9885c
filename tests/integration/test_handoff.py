"""Hand-off to a person (CONTRACT §7): the owner is told, the agent is silent, the owner's
replies reach the customer, and it ends by hand-back or after 24 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from tests.factories import make_business
from tests.whatsapp import Phone, running
from whsp_ai.db.database import Database
from whsp_ai.db.models import Customer, InboundMessage
from whsp_ai.tools import handoff

PNID = "110000000000001"
OWNER = "5215512345678"
CUSTOMER = "5215512340001"


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def shop(db: Database) -> tuple[int, str, str]:
    a = await make_business(db, 1, whatsapp={"phone_number_id": PNID})
    b = await make_business(db, 2, whatsapp={"phone_number_id": "110000000000002"})
    assert a.api_key and b.api_key
    return a.business_id, a.api_key, b.api_key


async def handed_off_at(db: Database, wa_id: str = CUSTOMER) -> datetime | None:
    async with db.session() as s:
        return (
            await s.execute(select(Customer.handed_off_at).where(Customer.wa_id == wa_id))
        ).scalar_one()


async def test_asking_for_a_person_hands_off_and_silences_the_agent(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str, str]
) -> None:
    phone = Phone(service, PNID, CUSTOMER)
    owner = Phone(service, PNID, OWNER)
    await phone.say("tienen conchas?")
    [told] = await phone.say("me comunica con el encargado?")
    assert "una persona del equipo te contestará" in told["text"]
    assert await handed_off_at(db) is not None
    [notice] = await owner.replies()
    assert "quiere hablar con una persona" in notice["text"]
    assert "› tienen conchas?" in notice["text"]  # the last few messages, oldest first
    assert notice["text"].index("conchas") < notice["text"].index("encargado")
    # while handed off: recorded and processed, never answered by the agent
    assert await phone.say("hola? quiero 2 conchas") == []
    assert await phone.say("sigues ahi?") == []
    async with db.session() as s:
        statuses = (
            await s.execute(
                select(InboundMessage.status)
                .where(InboundMessage.customer_wa_id == CUSTOMER)
                .order_by(col(InboundMessage.id))
            )
        ).scalars()
        assert list(statuses) == ["processed"] * 4
    # asking again changes nothing and doesn't notify the owner twice
    assert await phone.say("quiero hablar con una persona") == []
    assert await owner.replies() == []


async def test_the_owner_replies_and_hands_back(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str, str]
) -> None:
    _, key, other = shop
    phone = Phone(service, PNID, CUSTOMER)
    [told] = await phone.say("quiero hablar con una persona")
    assert "te contestará" in told["text"] and await handed_off_at(db) is not None
    sent = await service.post(
        f"/management/conversations/{CUSTOMER}/reply",
        json={"text": "Hola Ana, soy Rosa. ¿En qué te ayudo?"},
        headers=auth(key),
    )
    assert sent.status_code == 200 and sent.json() == {"wa_id": CUSTOMER, "messages": 1}
    [reply] = await phone.replies()
    assert reply["text"] == "Hola Ana, soy Rosa. ¿En qué te ayudo?"
    # another business can't hand back or write to this customer: they don't exist there
    for path in ("handback", "reply"):
        response = await service.post(
            f"/management/conversations/{CUSTOMER}/{path}", json={"text": "x"}, headers=auth(other)
        )
        assert response.status_code == 404, path
    unknown = await service.post(
        "/management/conversations/5215500000000/handback", headers=auth(key)
    )
    assert unknown.status_code == 404
    for bad in ({"text": ""}, {"text": "   "}, {}, {"text": "x", "y": 1}):
        response = await service.post(
            f"/management/conversations/{CUSTOMER}/reply", json=bad, headers=auth(key)
        )
        assert response.status_code == 422, bad
    assert await handed_off_at(db) is not None
    back = await service.post(f"/management/conversations/{CUSTOMER}/handback", headers=auth(key))
    assert back.status_code == 200 and back.json() == {"wa_id": CUSTOMER, "handed_back": True}
    [told] = await phone.replies()
    assert "Soy Rosa otra vez" in told["text"]
    assert await handed_off_at(db) is None
    again = await service.post(f"/management/conversations/{CUSTOMER}/handback", headers=auth(key))
    assert again.json()["handed_back"] is False
    assert await phone.replies() == []  # not told twice
    # the agent answers again
    assert await phone.say("tienen conchas?") != []


async def test_after_24_hours_the_next_message_is_the_agents_again(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str, str]
) -> None:
    phone = Phone(service, PNID, CUSTOMER)
    # Spanish, so the "I'm back" message (in the customer's stored language) is Spanish too
    await phone.say("quiero hablar con una persona")
    async with db.session() as s:
        await s.execute(
            update(Customer).values(handed_off_at=datetime.now(UTC) - timedelta(hours=25))
        )
    replies = await phone.say("tienen conchas?")
    assert "otra vez" in replies[0]["text"]  # told the agent is back, then answered
    assert len(replies) >= 2
    assert await handed_off_at(db) is None


async def test_the_periodic_job_hands_back_expired_conversations(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str, str]
) -> None:
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("quiero hablar con una persona")
    other = Phone(service, PNID, "5215512340002")
    await other.say("pasame con un humano porfa")
    async with db.session() as s:  # only the first began more than 24 hours ago
        await s.execute(
            update(Customer)
            .where(Customer.wa_id == CUSTOMER)
            .values(handed_off_at=datetime.now(UTC) - timedelta(hours=24, seconds=1))
        )
    async with db.session() as s:
        assert await handoff.expire_all(s) == 1
    while await running().sender.drain():
        pass
    assert "otra vez" in (await phone.replies())[0]["text"]
    assert await handed_off_at(db) is None
    assert await handed_off_at(db, "5215512340002") is not None


async def test_the_same_customer_at_two_businesses_is_two_conversations(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str, str]
) -> None:
    """Handed off at one shop, still the agent's at the other; one's key can't end the other's."""
    _, key, other = shop
    here = Phone(service, PNID, CUSTOMER)
    there = Phone(service, "110000000000002", CUSTOMER)
    await here.say("quiero hablar con una persona")
    assert await there.say("tienen conchas?") != []  # the other shop's agent still answers
    back = await service.post(f"/management/conversations/{CUSTOMER}/handback", headers=auth(other))
    assert back.status_code == 200 and back.json()["handed_back"] is False
    assert await here.say("hola?") == []  # still handed off here
    sent = await service.post(
        f"/management/conversations/{CUSTOMER}/reply", json={"text": "hola"}, headers=auth(other)
    )
    assert sent.status_code == 200
    assert await here.replies() == []  # the other shop's words went from the other number
    assert [r["text"] for r in await there.replies()] == ["hola"]
    assert (
        await service.post(f"/management/conversations/{CUSTOMER}/handback", headers=auth(key))
    ).json()["handed_back"] is True
