"""Questions about the shop in conversations: answered from data, unknown ones asked of the
owner once, mid-checkout answers that leave the checkout as it was (real Postgres)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from tests.conversation import Customer, demo_ids
from whsp_ai.db.database import Database
from whsp_ai.db.models import ApprovalCustomer, Business, OutboundMessage
from whsp_ai.graph.engine import Engine


@pytest.fixture
async def pepe(db: Database, engine: Engine) -> Customer:
    ids = await demo_ids(db)
    return Customer(engine, db, ids["ferreteria-don-pepe"])


async def _checkout(engine: Engine, customer: Customer) -> Any:
    config: Any = {"configurable": {"thread_id": f"{customer.business_id}:{customer.wa_id}"}}
    return (await engine.sales.aget_state(config)).values.get("checkout")


async def test_unknown_question_raises_one_question_approval_shared(
    pepe: Customer, db: Database, engine: Engine
) -> None:
    told = await pepe.say("oigan estan contratando?")
    assert "pregunté" in told
    other = Customer(engine, db, pepe.business_id, wa_id="5215599990000")
    assert "pregunté" in await other.say("Oigan, ¿están contratando?")
    [approval] = await pepe.approvals()
    assert (approval.kind, approval.status) == ("question", "pending")
    async with db.session() as s:
        waiting = (
            await s.execute(
                select(func.count()).where(ApprovalCustomer.approval_id == approval.id)  # type: ignore[arg-type]
            )
        ).scalar_one()
        to_owner = (
            await s.execute(
                select(func.count()).where(OutboundMessage.to_wa_id == "5215550000001")  # type: ignore[arg-type]
            )
        ).scalar_one()
    assert waiting == 2 and to_owner == 1


async def test_a_question_mid_checkout_keeps_the_checkout(pepe: Customer, engine: Engine) -> None:
    await pepe.say("agrégame 2 desarmadores de cruz")
    await pepe.say("quiero pagar")
    await pepe.say("sí")
    await pepe.say("Av. Reforma 123, Col. Juárez, CDMX")
    before = await _checkout(engine, pepe)
    assert before["stage"] == "payment"
    answer = await pepe.say("¿cuánto cobran de envío?")
    assert "$60.00 MXN" in answer and "forma de pago" in answer.lower()
    assert await _checkout(engine, pepe) == before
    assert await pepe.cart() == {"HER-DES-CRUZ": 2}
    assert await pepe.approvals() == []


async def test_the_entries_follow_updated_at(pepe: Customer, db: Database) -> None:
    """Whoever edits the faq elsewhere only bumps updated_at; the next question sees it."""
    assert "pregunté" in await pepe.say("¿venden boletos para el fútbol?")
    async with db.session() as s:
        await s.execute(
            update(Business)
            .where(Business.id == pepe.business_id)  # type: ignore[arg-type]
            .values(
                faq=[{"q": "¿Venden boletos para el fútbol?", "a": "No, solo ferretería."}],
                updated_at=func.now(),
            )
        )
    pepe.engine.services.forget(pepe.business_id)
    assert "solo ferretería" in await pepe.say("¿venden boletos para el fútbol?")
