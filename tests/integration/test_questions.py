"""`question` approvals (issue 12 §1, CONTRACT §5): one per question, shared; the owner answers
by POST /management/questions/{id}/answer or by quote-replying on WhatsApp; every waiting
customer gets the owner's words in their language; save_to_faq grows the faq."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
import respx
from sqlmodel import select

from tests.factories import make_business
from tests.whatsapp import GRAPH, Phone, running, text_message
from whsp_ai.db.database import Database
from whsp_ai.db.models import Business, OutboundMessage
from whsp_ai.tools import asks
from whsp_ai.tools import customers as customer_tools

PNID = "110000000000001"
OWNER = "5215512345678"
ANA, BETO, CARL = "5215512340001", "5215512340002", "5215512340003"
ANSWER = "Sí, hacemos pasteles sin gluten con 3 días de anticipación."


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def ask(
    db: Database, business_id: int, wa_id: str, question: str, locale: str | None = None
) -> int | None:
    """A customer's unknown question, raised as the knowledge responder raises it."""
    async with db.session() as session:
        customer_id = await customer_tools.customer_id(
            session, business_id=business_id, wa_id=wa_id
        )
        if locale:
            await customer_tools.remember_locale(
                session, business_id=business_id, customer_id=customer_id, locale=locale
            )
        new_id = await asks.request_question(
            session, business_id=business_id, customer_id=customer_id, question=question
        )
    if new_id is not None:
        await running().engine.start_approval(business_id, new_id)
    return new_id


@pytest.fixture
async def shop(db: Database) -> tuple[int, str, str]:
    """(business id, its key, another business's key), both sandboxed."""
    a = await make_business(db, 1, whatsapp={"phone_number_id": PNID})
    b = await make_business(db, 2, whatsapp={"phone_number_id": "110000000000002"})
    assert a.api_key and b.api_key
    return a.business_id, a.api_key, b.api_key


async def faq_of(db: Database, business_id: int) -> tuple[list[dict[str, str]], Any]:
    async with db.session() as session:
        row = (
            await session.execute(
                select(Business.faq, Business.updated_at).where(Business.id == business_id)
            )
        ).one()
    return list(row[0]), row[1]


async def test_question_shared_answered_over_the_api(
    service: httpx.AsyncClient, shop: tuple[int, str, str], db: Database
) -> None:
    business_id, key, other = shop
    first = await ask(db, business_id, ANA, "¿Hacen pasteles sin gluten? https://bit.ly/x1")
    assert first is not None
    assert await ask(db, business_id, BETO, "hacen pasteles sin gluten") is None  # near-duplicate
    assert await ask(db, business_id, CARL, "¿hacen pasteles sin gluten?", locale="en") is None
    assert await ask(db, business_id, ANA, "¿hacen pasteles sin gluten?") is None  # asked again
    notices = await Phone(service, PNID, OWNER).replies()
    assert len(notices) == 1
    notice = notices[0]["text"]
    assert "> ¿Hacen pasteles sin gluten?" in notice
    assert "http" not in notice and "bit.ly" not in notice  # links stripped from the quote
    assert "buttons" not in notices[0]  # answered by replying, not by confirm/reject

    [listed] = (await service.get("/management/approvals?status=pending", headers=auth(key))).json()
    assert listed["kind"] == "question" and listed["id"] == first
    assert listed["customers"] == [ANA, BETO, CARL]
    url = f"/management/questions/{first}/answer"
    body = {"answer": ANSWER, "save_to_faq": True}
    assert (await service.post(url, json=body, headers=auth(other))).status_code == 404
    assert (await service.post(url, json=body)).status_code == 401
    for bad in (
        {},
        {"answer": ""},
        {"answer": "   "},
        {"answer": "x" * 1001},
        {"answer": "ok", "save_to_faq": "yes"},
        {"answer": "ok", "extra": 1},
        {"answer": "a\u0000b"},
    ):
        refused = await service.post(url, json=bad, headers=auth(key))
        assert refused.status_code == 422, (bad, refused.text)
    _, before = await faq_of(db, business_id)

    answered = await service.post(url, json=body, headers=auth(key))
    assert answered.status_code == 200, answered.text
    assert answered.json() == {
        "approval_id": first,
        "status": "answered",
        "customers_told": 3,
        "saved_to_faq": True,
    }
    again = await service.post(url, json=body, headers=auth(key))
    assert again.status_code == 409
    for wa_id, opening in (
        (ANA, "Panadería Rosa respondió"),
        (BETO, "respondió"),
        (CARL, "answered"),
    ):
        [told] = await Phone(service, PNID, wa_id).replies()
        assert opening in told["text"] and f"> {ANSWER}" in told["text"], told
    faq, after = await faq_of(db, business_id)
    assert faq[-1] == {"q": "¿Hacen pasteles sin gluten?", "a": ANSWER}
    assert after > before  # the knowledge index rebuilds when updated_at moves
    [done] = (await service.get("/management/approvals?status=answered", headers=auth(key))).json()
    assert done["id"] == first


async def test_answer_without_saving_and_wrong_kinds(
    service: httpx.AsyncClient, shop: tuple[int, str, str], db: Database
) -> None:
    business_id, key, _ = shop
    question = await ask(db, business_id, ANA, "¿tienen estacionamiento?")
    url = f"/management/questions/{question}/answer"
    answered = await service.post(
        url, json={"answer": "No, lo siento.", "save_to_faq": False}, headers=auth(key)
    )
    assert answered.status_code == 200 and answered.json()["saved_to_faq"] is False
    faq, _ = await faq_of(db, business_id)
    assert faq == []
    # a product approval is no question, and a question is not answered with a decision
    await Phone(service, PNID, BETO).say("¿tienen pastel tres leches?")
    [product] = (
        await service.get("/management/approvals?status=pending", headers=auth(key))
    ).json()
    refused = await service.post(
        f"/management/questions/{product['id']}/answer", json={"answer": "sí"}, headers=auth(key)
    )
    assert refused.status_code == 404
    assert (
        await service.post(
            "/management/questions/999999/answer", json={"answer": "sí"}, headers=auth(key)
        )
    ).status_code == 404
    other_question = await ask(db, business_id, CARL, "¿aceptan vales de despensa?")
    decided = await service.post(
        "/management/inventory_response",
        json={"approval_id": other_question, "decision": "confirm", "price": 1},
        headers=auth(key),
    )
    assert decided.status_code == 422


async def test_owner_answers_by_quote_replying_to_the_notice(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    made = await make_business(db)  # with its own token: sent to Meta, which gives ids
    ids = itertools.count(1)

    def meta(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"messages": [{"id": f"wamid.out{next(ids)}"}]})

    respx_mock.post(f"{GRAPH}/{PNID}/messages").mock(side_effect=meta)
    owner = Phone(service, PNID, OWNER)
    await owner.say("hola")  # the owner wrote today: the 24-hour window is open
    question = await ask(db, made.business_id, ANA, "¿hacen pasteles sin gluten?")
    await ask(db, made.business_id, BETO, "hacen pasteles sin gluten??", locale="en")
    await owner.replies()
    async with db.session() as session:
        notice_id = (
            await session.execute(
                select(OutboundMessage.wa_message_id).where(
                    OutboundMessage.dedupe_key == f"approval:{question}:notify:0"
                )
            )
        ).scalar_one()
    assert notice_id
    reply = {**text_message(OWNER, ANSWER), "context": {"from": PNID, "id": notice_id}}
    assert (await owner.post(reply)).status_code == 200
    confirmed = await owner.replies()
    assert (
        "a 2 cliente(s)" in confirmed[0]["text"] and "preguntas frecuentes" in confirmed[0]["text"]
    )
    ana = Phone(service, PNID, ANA)
    assert f"> {ANSWER}" in (await ana.replies())[0]["text"]
    assert "answered your question" in (await Phone(service, PNID, BETO).replies())[0]["text"]
    faq, _ = await faq_of(db, made.business_id)
    assert faq == [{"q": "¿hacen pasteles sin gluten?", "a": ANSWER}]
    # the same reply again: politely refused, nothing sent to customers
    again = {**text_message(OWNER, "otra respuesta"), "context": {"from": PNID, "id": notice_id}}
    await owner.post(again)
    assert "ya estaba respondida" in (await owner.replies())[0]["text"]
    assert await ana.replies() == []
    # a reply quoting some other message is the owner's usual conversation
    other = {**text_message(OWNER, "hola"), "context": {"from": PNID, "id": "wamid.unknown"}}
    await owner.post(other)
    assert "pendiente" in (await owner.replies())[0]["text"]


async def test_flywheel_the_faq_holds_the_answer_for_the_next_customer(
    service: httpx.AsyncClient, shop: tuple[int, str, str], db: Database
) -> None:
    """Issue 12 §1's flywheel, up to the data: customer A's unknown question, answered by the
    owner with save_to_faq, is in the faq (what the knowledge retrieval answers B from) and
    reached both waiting customers. B's instant answer is the eval scenario
    `es-flywheel-segundo-cliente` (evals/scenarios/flywheel.yaml), enabled at merge."""
    business_id, key, _ = shop
    question = await ask(db, business_id, ANA, "¿Hacen entregas en Cholula?")
    await ask(db, business_id, BETO, "hacen entregas en cholula")
    answered = await service.post(
        f"/management/questions/{question}/answer",
        json={"answer": "Sí, a Cholula entregamos los martes y viernes.", "save_to_faq": True},
        headers=auth(key),
    )
    assert answered.json()["customers_told"] == 2
    faq, _ = await faq_of(db, business_id)
    assert {
        "q": "¿Hacen entregas en Cholula?",
        "a": "Sí, a Cholula entregamos los martes y viernes.",
    } in faq
    for wa_id in (ANA, BETO):
        [told] = await Phone(service, PNID, wa_id).replies()
        assert "martes y viernes" in told["text"]
    # a later customer raises no new question approval: the knowledge engine answers from faq
