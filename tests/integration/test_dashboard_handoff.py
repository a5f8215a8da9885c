"""Hand-off controls on the conversation page: the owner's reply goes out through the
outbox only while handed off, hand back tells the customer, take over silences the agent;
refused without a CSRF token and for another business's customer, changing nothing."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text

from tests.dashboard import login
from tests.factories import make_business
from whsp_ai.db.database import Database

WA = "5215500000042"
XSS = "<script>alert(1)</script>"


async def _customer(db: Database, business_id: int, wa_id: str, *, handed_off: bool) -> None:
    async with db.session() as session:
        await session.execute(
            text(
                "INSERT INTO customers (business_id, wa_id, profile_name, handed_off_at) "
                "VALUES (:b, :w, 'Ana', CASE WHEN :h THEN now() END)"
            ),
            {"b": business_id, "w": wa_id, "h": handed_off},
        )


async def _state(db: Database, wa_id: str = WA) -> tuple[Any, list[str]]:
    """Whether the conversation is handed off, and what went out to the customer."""
    async with db.session() as session:
        handed = (
            await session.execute(
                text("SELECT handed_off_at IS NOT NULL FROM customers WHERE wa_id = :w"),
                {"w": wa_id},
            )
        ).scalar_one()
        sent = (
            await session.execute(
                text(
                    "SELECT payload -> 'text' ->> 'body' FROM outbound_messages "
                    "WHERE to_wa_id = :w ORDER BY id"
                ),
                {"w": wa_id},
            )
        ).scalars()
        return handed, list(sent)


async def test_reply_while_handed_off_then_hand_back(
    service: httpx.AsyncClient, db: Database
) -> None:
    one = await make_business(db, 1)
    await _customer(db, one.business_id, WA, handed_off=True)
    csrf = await login(service, one.api_key or "")
    page = await service.get(f"/dashboard/conversations/{WA}")
    assert "Hand back to the agent" in page.text and 'name="text"' in page.text

    sent = await service.post(
        f"/dashboard/conversations/{WA}/reply", data={"text": f"Hola Ana {XSS}", "csrf_token": csrf}
    )
    assert sent.status_code == 303
    assert await _state(db) == (True, [f"Hola Ana {XSS}"])
    page = await service.get(f"/dashboard/conversations/{WA}")
    assert XSS not in page.text and "Hola Ana &lt;script&gt;" in page.text

    back = await service.post(f"/dashboard/conversations/{WA}/handback", data={"csrf_token": csrf})
    assert back.status_code == 303
    handed, bodies = await _state(db)
    assert not handed and len(bodies) == 2  # the customer is told the agent is back
    assert "Take over the conversation" in (await service.get(back.headers["location"])).text


async def test_no_reply_while_the_agent_answers_nor_an_empty_one(
    service: httpx.AsyncClient, db: Database
) -> None:
    one = await make_business(db, 1)
    await _customer(db, one.business_id, WA, handed_off=False)
    csrf = await login(service, one.api_key or "")
    refused = await service.post(
        f"/dashboard/conversations/{WA}/reply", data={"text": "hola", "csrf_token": csrf}
    )
    assert refused.status_code == 409 and "take over first" in refused.text
    assert await _state(db) == (False, [])

    taken = await service.post(f"/dashboard/conversations/{WA}/takeover", data={"csrf_token": csrf})
    assert taken.status_code == 303
    assert await _state(db) == (True, [])  # silent: nobody is messaged
    empty = await service.post(
        f"/dashboard/conversations/{WA}/reply", data={"text": "   ", "csrf_token": csrf}
    )
    assert empty.status_code == 422 and "Write something" in empty.text
    assert await _state(db) == (True, [])


async def test_forged_or_foreign_requests_change_nothing(
    service: httpx.AsyncClient, db: Database
) -> None:
    one = await make_business(db, 1)
    two = await make_business(db, 2)
    await _customer(db, one.business_id, WA, handed_off=True)
    other = "5215500000043"
    await _customer(db, two.business_id, other, handed_off=True)
    csrf = await login(service, one.api_key or "")
    for action, data in (("reply", {"text": "hola"}), ("handback", {}), ("takeover", {})):
        forged = await service.post(f"/dashboard/conversations/{WA}/{action}", data=data)
        assert forged.status_code == 403, action
        foreign = await service.post(
            f"/dashboard/conversations/{other}/{action}", data={**data, "csrf_token": csrf}
        )
        assert foreign.status_code == 404, action
    assert await _state(db) == (True, [])
    assert await _state(db, other) == (True, [])
