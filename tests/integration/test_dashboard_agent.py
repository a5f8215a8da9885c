"""The agent page's info and faq: validated like the business file, errors by field,
answered from at the customer's next message."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.dashboard import login
from tests.factories import make_business
from tests.whatsapp import Phone
from whsp_ai.db.database import Database

PNID = "110000000000001"
BASE = {
    "agent_name": "Rosa",
    "tone": "cálida",
    "greeting": "",
    "rules": "",
    "payment_methods": "efectivo",
    "delivery_fee": "",
    "free_delivery_over": "",
    "info_timezone": "America/Mexico_City",
    "info_address": "Calle Roble 12, Centro",
    "info_delivery": "",
    "info_returns": "",
}


@pytest.fixture
async def shop(db: Database) -> tuple[int, str]:
    made = await make_business(db, 1, whatsapp={"phone_number_id": PNID})
    assert made.api_key
    return made.business_id, made.api_key


async def stored(db: Database) -> tuple[Any, Any, Any]:
    async with db.session() as session:
        row = (await session.execute(text("SELECT info, faq, updated_at FROM businesses"))).one()
    return row[0], row[1], row[2]


async def test_bad_info_and_faq_are_shown_by_field_and_nothing_is_saved(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    csrf = await login(service, shop[1])
    before = await stored(db)
    bad = await service.post(
        "/dashboard/agent",
        data={
            **BASE,
            "info_timezone": "Mars/Olympus",
            "hours_mon": "8am to 5pm",
            "hours_tue": "09:00-25:00",
            "hours_wed": "closed",
            "faq_q_0": "¿Hacen factura?",
            "faq_a_0": "",
            "faq_q_1": "",
            "faq_a_1": "",
            "csrf_token": csrf,
        },
    )
    assert bad.status_code == 422
    for field in ("info_timezone", "hours_mon", "hours_tue", "faq_a_0"):
        assert (
            f'aria-describedby="{field}-error"' in bad.text or f'id="f-{field}-error"' in bad.text
        ), field
    assert 'id="f-hours_wed-error"' not in bad.text
    assert "8am to 5pm" in bad.text and "¿Hacen factura?" in bad.text  # what was typed stays
    assert await stored(db) == before


async def test_info_and_faq_are_saved_and_answer_the_next_customer(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    csrf = await login(service, shop[1])
    saved = await service.post(
        "/dashboard/agent",
        data={
            **BASE,
            "hours_mon": "08:00-14:00, 16:00-20:00",
            "hours_sun": "closed",
            "info_delivery": "Entregamos en Puebla capital.",
            "faq_q_0": "¿Hacen factura?",
            "faq_a_0": "Sí, con tu RFC, por correo el mismo día.",
            "faq_q_1": "",
            "faq_a_1": "",
            "csrf_token": csrf,
        },
    )
    assert saved.status_code == 303
    info, faq, _ = await stored(db)
    assert info["timezone"] == "America/Mexico_City"
    assert info["hours"] == {"mon": "08:00-14:00,16:00-20:00", "sun": "closed"}
    assert info["address"] == "Calle Roble 12, Centro"
    assert faq == [{"q": "¿Hacen factura?", "a": "Sí, con tu RFC, por correo el mismo día."}]
    page = await service.get("/dashboard/agent")
    assert "¿Hacen factura?" in page.text and 'name="faq_q_1"' in page.text  # + a blank one
    replies = await Phone(service, PNID, "5215512340009").say("hacen factura?")
    assert any("RFC" in r.get("text", "") for r in replies), replies
    # emptying both boxes removes the entry
    removed = await service.post(
        "/dashboard/agent",
        data={**BASE, "faq_q_0": "", "faq_a_0": "", "csrf_token": csrf},
    )
    assert removed.status_code == 303 and (await stored(db))[1] == []
