"""Questions answered on the dashboard: every waiting customer told, saved to the faq."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from tests.dashboard import login
from tests.factories import make_business
from tests.whatsapp import running
from whsp_ai.db.database import Database
from whsp_ai.tools import asks
from whsp_ai.tools import customers as customer_tools

PNID = "110000000000001"
ANA, BETO = "5215512340001", "5215512340002"
ANSWER = "Sí, hacemos pasteles sin gluten con 3 días de anticipación."
HX = {"HX-Request": "true"}


async def ask(db: Database, business_id: int, wa_id: str, question: str) -> int | None:
    """A customer's unknown question, raised as the knowledge responder raises it."""
    async with db.session() as session:
        customer_id = await customer_tools.customer_id(
            session, business_id=business_id, wa_id=wa_id
        )
        await session.execute(
            text("UPDATE customers SET profile_name = :n WHERE id = :c"),
            {"n": f"Cliente {wa_id[-1]}", "c": customer_id},
        )
        new_id = await asks.request_question(
            session, business_id=business_id, customer_id=customer_id, question=question
        )
    if new_id is not None:
        await running().engine.start_approval(business_id, new_id)
    return new_id


@pytest.fixture
async def shop(db: Database) -> tuple[int, str]:
    made = await make_business(db, 1, whatsapp={"phone_number_id": PNID})
    assert made.api_key
    return made.business_id, made.api_key


async def state(db: Database, approval_id: int) -> tuple[str, list[dict[str, str]]]:
    async with db.session() as session:
        status = (
            await session.execute(
                text("SELECT status FROM approvals WHERE id = :a"), {"a": approval_id}
            )
        ).scalar_one()
        faq = (
            await session.execute(
                text(
                    "SELECT faq FROM businesses"
                    " WHERE id = (SELECT business_id FROM approvals WHERE id = :a)"
                ),
                {"a": approval_id},
            )
        ).scalar_one()
    return status, faq


async def sent_to(db: Database, wa_id: str) -> str:
    async with db.session() as session:
        rows = await session.execute(
            text("SELECT payload::text FROM outbound_messages WHERE to_wa_id = :w"), {"w": wa_id}
        )
        return " ".join(p for (p,) in rows.all())


async def test_a_question_answered_on_the_dashboard_reaches_everyone_and_the_faq(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    question = await ask(db, business_id, ANA, "¿Hacen pasteles sin gluten?")
    assert question is not None
    assert await ask(db, business_id, BETO, "hacen pasteles sin gluten") is None  # shared
    csrf = await login(service, key)
    listing = await service.get("/dashboard/approvals")
    assert "A question for you" in listing.text and "Cliente 1, Cliente 2" in listing.text
    url = f"/dashboard/questions/{question}"
    assert (await service.post(url, data={"answer": ANSWER})).status_code == 403
    empty = await service.post(url, data={"answer": "  ", "csrf_token": csrf}, headers=HX)
    assert empty.status_code == 200 and 'class="error"' in empty.text
    long = await service.post(url, data={"answer": "x" * 1001, "csrf_token": csrf}, headers=HX)
    assert 'class="error"' in long.text
    assert await state(db, question) == ("pending", [])
    answered = await service.post(
        url, data={"answer": ANSWER, "save_to_faq": "1", "csrf_token": csrf}, headers=HX
    )
    assert answered.status_code == 200
    assert "2 customers told" in answered.text and "Saved to the FAQ" in answered.text
    status, faq = await state(db, question)
    assert status == "answered" and faq[-1]["a"] == ANSWER
    for wa_id in (ANA, BETO):
        assert "sin gluten con 3" in await sent_to(db, wa_id), wa_id
    again = await service.post(url, data={"answer": "otra", "csrf_token": csrf}, headers=HX)
    assert "already answered" in again.text
    assert (await state(db, question))[1] == faq


async def test_without_save_to_faq_the_faq_stays_and_other_kinds_are_404(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    question = await ask(db, business_id, ANA, "¿Tienen estacionamiento?")
    assert question is not None
    csrf = await login(service, key)
    done = await service.post(
        f"/dashboard/questions/{question}", data={"answer": "No, lo siento.", "csrf_token": csrf}
    )
    assert done.status_code == 303
    assert await state(db, question) == ("answered", [])
    async with db.session() as session:
        other = await make_business(db, 2)
        foreign = await asks.request_question(
            session,
            business_id=other.business_id,
            customer_id=await customer_tools.customer_id(
                session, business_id=other.business_id, wa_id=BETO
            ),
            question="¿Abren domingo?",
        )
    response = await service.post(
        f"/dashboard/questions/{foreign}", data={"answer": "Sí", "csrf_token": csrf}
    )
    assert response.status_code == 404
    assert await state(db, foreign or 0) == ("pending", [])
